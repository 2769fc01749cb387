/**
 * Embedded mode's controllers in a worker thread (controller-worker.ts is the other side). The main thread keeps the
 * API server (and the kubelet, which shares the log store with it); the controllers — informers, reconcilers, pod
 * building, their JSON and garbage — run on the second core and reach the API server through the in-process
 * contract carried over a MessagePort (src/kube/in-process-port.ts): same token, authorization, admission and
 * answers as on the main thread. The worker builds its configuration from the same explicit settings and follows
 * Tekton's ConfigMaps through its own watch, which reaches it through the same port, in order with the watch
 * events of the runs (a ConfigMap changed before a run was created is in force when the run is reconciled), as the
 * main thread's copy (admission) does. Controllers keep no state of their own beyond their caches, so a worker
 * that dies is started again (with a growing pause) and relists.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { LiveConfig } from '../cluster/live-config.js';
import type { ControllerConfig } from '../controller/config.js';
import type { RunningControllers } from '../controller/index.js';
import type { ControllerStats, Logger } from '../controller/runtime/controller.js';
import type { InProcessHttp } from '../kube/in-process.js';
import { servePort } from '../kube/in-process-port.js';
import { startWorker, workerModule } from '../threads.js';

/** What the worker starts with (its workerData, besides the port). */
export interface ControllerWorkerSetup {
  connection: { server: string; token: string; ca?: string; socketPath?: string };
  /** LiveConfig's explicit settings; the worker applies the ConfigMaps of `configNamespace` over them. */
  config: { base: Partial<ControllerConfig>; overrides: Partial<ControllerConfig> };
  configNamespace: string;
  events: boolean;
  namespace?: string;
  log: boolean;
}

/** Main thread → worker. */
export type ToControllerWorker =
  | { t: 'stats'; id: number }
  | { t: 'stop'; id: number; flushMs?: number };

/** Worker → main thread. */
export type FromControllerWorker =
  | { t: 'ready'; stats: Record<string, ControllerStats> }
  | { t: 'stats'; id: number; stats: Record<string, ControllerStats> }
  | { t: 'stopped'; id: number }
  | { t: 'log'; level: keyof Logger; obj: object; msg?: string }
  | { t: 'fatal'; message: string };

export interface ControllerThreadOptions {
  connection: ControllerWorkerSetup['connection'];
  /** The in-process handler of the API server of this process. */
  inProcess: InProcessHttp;
  /** The configuration: its explicit settings go to the worker, which follows the ConfigMaps of `configNamespace`. */
  live: LiveConfig;
  configNamespace: string;
  log?: Logger;
  events?: boolean;
  namespace?: string;
  /** Told when the worker died and is started again. */
  warn?: (message: string) => void;
}

/** Controllers in a worker thread; `refreshStats` fetches their counters (stats() answers the last ones fetched). */
export interface ControllerThread extends RunningControllers {
  refreshStats(): Promise<Record<string, ControllerStats>>;
  /** The running worker (diagnostics; tests end it to see it started again). */
  worker(): Worker | undefined;
  /** The worker's event-loop utilization since it started (see performance.eventLoopUtilization). */
  utilization(): EventLoopUtilization | undefined;
}

/** The worker could not be started (embedded mode then runs the controllers on the main thread). */
export class ControllerThreadStartError extends Error {}

interface Running { worker: Worker; closePort: () => void; ready: Promise<void>; exited: boolean }

/**
 * The worker's young generation (V8's default is sized for a whole process): each isolate keeps its own, and at the
 * default the worker's added ~27 MiB to `tkt up`'s RSS with no gain in speed (bench:memory at 2,000 runs: 272 →
 * 245 MiB; 6 MiB gave 242).
 */
const WORKER_YOUNG_MB = 12;

/** A worker that ran this long before it died counts as healthy again: its next restart pauses 0.5 s. */
const HEALTHY_MS = 60_000;

/** Starts the controllers in a worker thread; resolves once their caches are synced. */
export async function startControllerThread(opts: ControllerThreadOptions): Promise<ControllerThread> {
  const entry = workerModule(import.meta.url, 'embedded', 'controller-worker');
  if (!entry) throw new ControllerThreadStartError('the controller-worker module is not beside controller-thread');
  let current: Running | undefined;
  let stopping = false;
  let restarts = 0;
  let lastStats: Record<string, ControllerStats> = {};
  let next = 0;
  const waiting = new Map<number, (m: FromControllerWorker | undefined) => void>();
  const call = (r: Running, m: Extract<ToControllerWorker, { id: number }>): Promise<FromControllerWorker | undefined> => new Promise((resolve) => {
    if (r.exited) {
      resolve(undefined);
      return;
    }
    waiting.set(m.id, resolve);
    r.worker.postMessage(m);
  });

  const spawn = (): Running => {
    const channel = new MessageChannel();
    const closeServed = servePort(channel.port1, opts.inProcess);
    const setup: ControllerWorkerSetup = {
      connection: opts.connection, config: opts.live.explicit(), configNamespace: opts.configNamespace, events: opts.events !== false, log: opts.log !== undefined,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
    };
    const worker = startWorker(entry, 'runControllerWorker', { ...setup, port: channel.port2 }, { name: 'tkt-controllers', transferList: [channel.port2], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    const closePort = (): void => {
      closeServed();
      channel.port1.close();
    };
    let ready = false;
    let readyAt = 0;
    const running: Running = { worker, closePort, ready: Promise.resolve(), exited: false };
    running.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromControllerWorker) => {
        if (m.t === 'ready') {
          ready = true;
          readyAt = Date.now();
          lastStats = m.stats;
          resolve();
        } else if (m.t === 'fatal') {
          reject(new ControllerThreadStartError(`the controller thread did not start: ${m.message}`));
        } else if (m.t === 'log') {
          opts.log?.[m.level](m.obj, m.msg);
        } else {
          if (m.t === 'stats') lastStats = m.stats;
          const w = waiting.get(m.id);
          waiting.delete(m.id);
          w?.(m);
        }
      });
      worker.on('error', (err) => {
        if (!ready) reject(new ControllerThreadStartError(`the controller thread did not start: ${err.message}`));
        else opts.warn?.(`the controller thread failed: ${err.stack ?? err.message}`);
      });
      worker.on('exit', (code) => {
        running.exited = true;
        closePort();
        for (const w of waiting.values()) w(undefined);
        waiting.clear();
        if (!ready) reject(new ControllerThreadStartError(`the controller thread exited while starting (code ${code})`));
        if (stopping || current?.worker !== worker || (!ready && restarts === 0)) return;
        // the controllers keep nothing that their caches cannot relist: start them again
        if (ready && Date.now() - readyAt > HEALTHY_MS) restarts = 0;
        restarts += 1;
        const pauseMs = Math.min(30_000, 500 * 2 ** Math.min(restarts - 1, 6));
        opts.warn?.(`the controller thread exited (code ${code}); starting it again in ${pauseMs} ms`);
        const timer = setTimeout(() => {
          if (stopping) return;
          current = spawn();
          current.ready.catch((err: unknown) => opts.warn?.(err instanceof Error ? err.message : String(err)));
        }, pauseMs);
        timer.unref();
      });
    });
    return running;
  };

  current = spawn();
  try {
    await current.ready;
  } catch (err) {
    await current.worker.terminate();
    throw err;
  }
  return {
    stats: () => lastStats,
    worker: () => current?.worker,
    utilization: () => current?.worker.performance.eventLoopUtilization(),
    async refreshStats() {
      if (current) await call(current, { t: 'stats', id: ++next });
      return lastStats;
    },
    async stop(flushMs?: number) {
      stopping = true;
      const r = current;
      current = undefined;
      if (!r) return;
      // the worker stops its controllers (and flushes queued Events for up to flushMs) before it is ended
      const grace = setTimeout(() => { void r.worker.terminate(); }, (flushMs ?? 2000) + 5000);
      await call(r, { t: 'stop', id: ++next, ...(flushMs === undefined ? {} : { flushMs }) });
      clearTimeout(grace);
      await r.worker.terminate();
      r.closePort();
    },
  };
}
