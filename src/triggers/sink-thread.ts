/**
 * Embedded mode's EventListener sinks in a worker thread (sink-worker.ts is the other side). The main thread keeps
 * the API server; the worker serves the sinks and sends each create and delete here, where it goes through the
 * in-process API server (admission, defaults, group commit) and is answered after the commit — so a webhook is
 * answered 2xx only once its runs are stored, as with in-process sinks. If the worker exits unexpectedly, its
 * pending requests fail (their senders got no answer and retry: nothing answered 2xx is lost) and `onExit` lets the
 * manager serve its listeners again. Used only when the client's API server runs in this process with a bearer
 * token (see {@link workerConnection}); anything else keeps the in-process sinks.
 */
import type { RequestOptions } from 'node:https';
import type { Worker } from 'node:worker_threads';
import type { KubeObject } from '../api/types.js';
import { localApiFor, type LocalApi } from '../embedded/apiserver/local.js';
import type { KubeClient } from '../kube/client.js';
import { ApiError } from '../kube/errors.js';
import { Batcher } from '../kube/in-process-port.js';
import { startWorker, workerModule } from '../threads.js';
import type { RunningSink, SinkTuning } from './server.js';
import type { SinkLogger } from './sink.js';

/** An error as it crosses threads. */
export interface WireError { code: number; reason: string; message: string; status?: Record<string, unknown> }

/** What the worker starts with. */
export interface WorkerSetup {
  kind: 'tkt-sink-worker';
  connection: { server: string; token: string; namespace: string; ca?: string; socketPath?: string };
  tuning: Omit<SinkTuning, 'logger'>;
  logger: boolean;
}

/** Main thread → worker. */
export type ToWorker =
  | { t: 'listen'; id: number; name: string; namespace: string; port: number; host: string }
  | { t: 'close'; id: number; sink: number }
  | { t: 'shutdown'; id: number }
  | { t: 'replies'; items: WriteReply[] };

/** A create or delete the worker asks for. */
export interface WriteAsk { op: 'create' | 'remove'; id: number; obj: KubeObject }
/** Its answer. */
export type WriteReply = { id: number; ok: true; obj?: KubeObject } | { id: number; ok: false; error: WireError };

/** Worker → main thread. */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'done'; id: number; ok: boolean; url?: string; error?: WireError }
  | { t: 'writes'; items: WriteAsk[] }
  | { t: 'log'; level: 'info' | 'warn'; obj: object; msg?: string };

/** The tuning fields that cross to the worker (data only). */
const TUNING_KEYS = ['maxBodyBytes', 'maxInFlightBodyBytes', 'githubApiUrl', 'httpTimeoutMs', 'celMaxSteps', 'allowNamespaces', 'checkServiceAccounts', 'resolveServices', 'events', 'triggersEvents', 'inProcess'] as const;

/**
 * The connection a worker can rebuild, and the in-process API server it writes through: only for a client of an API
 * server in this process (embedded mode), authenticated by its bearer token.
 */
export async function workerConnection(client: KubeClient): Promise<{ setup: WorkerSetup['connection']; local: LocalApi } | undefined> {
  const c = client.connection;
  const local = c.token ? localApiFor(client.server.href, c.token) : undefined;
  if (!local || !c.token) return undefined;
  const o: RequestOptions = {};
  await c.applyToHTTPSOptions(o);
  // only a bearer token (and a CA) can be handed to the worker; client certificates stay with the in-process sinks
  if (o.cert || o.key || o.pfx || o.rejectUnauthorized === false) return undefined;
  const ca = typeof o.ca === 'string' ? o.ca : Buffer.isBuffer(o.ca) ? o.ca.toString('utf8') : undefined;
  if (o.ca !== undefined && ca === undefined) return undefined;
  return { setup: { server: c.server, token: c.token, namespace: c.namespace, ...(ca ? { ca } : {}), ...(c.socketPath ? { socketPath: c.socketPath } : {}) }, local };
}

/** The worker could not be started (the manager then serves the listeners in the main thread). */
export class SinkWorkerStartError extends Error {}

type Waiter = { resolve: (m: Extract<FromWorker, { t: 'done' }>) => void; reject: (e: Error) => void };

/** One worker thread serving sinks; started on first use, started again after it exits. */
export class SinkThread {
  private worker?: Promise<Worker>;
  /** The worker once it is ready (until it exits). */
  running?: Worker;
  private next = 0;
  private readonly waiting = new Map<number, Waiter>();
  private readonly replies = new WeakMap<Worker, Batcher<WriteReply>>();

  constructor(
    private readonly connection: WorkerSetup['connection'],
    private readonly local: LocalApi,
    private readonly tuning: SinkTuning,
    private readonly onExit: (err: Error) => void,
  ) {}

  /** Serves one EventListener's sink in the worker. */
  async listen(name: string, namespace: string, port: number, host: string): Promise<RunningSink> {
    const w = await this.start();
    const id = ++this.next;
    const r = await this.call(w, { t: 'listen', id, name, namespace, port, host });
    if (!r.ok || !r.url) throw new Error(r.error?.message ?? 'the sink worker did not listen');
    return {
      url: r.url,
      close: async () => {
        const cur = await this.worker?.catch(() => undefined);
        if (cur !== w) return; // that worker is gone, and its listeners with it
        await this.call(w, { t: 'close', id: ++this.next, sink: id }).catch(() => undefined);
      },
    };
  }

  /** Closes every sink (after in-flight events) and ends the worker. */
  async close(): Promise<void> {
    const w = await this.worker?.catch(() => undefined);
    this.worker = undefined;
    if (!w) return;
    await this.call(w, { t: 'shutdown', id: ++this.next }).catch(() => undefined);
    await w.terminate();
  }

  private start(): Promise<Worker> {
    this.worker ??= this.spawn();
    return this.worker;
  }

  private spawn(): Promise<Worker> {
    const entry = workerModule(import.meta.url, 'triggers', 'sink-worker');
    if (!entry) return Promise.reject(new SinkWorkerStartError('the sink-worker module is not beside sink-thread'));
    const tuning = Object.fromEntries(TUNING_KEYS.filter((k) => this.tuning[k] !== undefined).map((k) => [k, this.tuning[k]]));
    const setup: WorkerSetup = { kind: 'tkt-sink-worker', connection: this.connection, tuning, logger: this.tuning.logger !== undefined };
    const w = startWorker(entry, 'runSinkWorker', { ...setup }, { name: 'tkt-eventlistener-sinks' });
    const started = new Promise<Worker>((resolve, reject) => {
      let ready = false;
      w.on('message', (m: FromWorker | { t: 'fatal'; message: string }) => {
        if (m.t === 'ready') { ready = true; this.running = w; resolve(w); } else if (m.t === 'fatal') reject(new SinkWorkerStartError(`the EventListener sink worker did not start: ${m.message}`));
        else this.onMessage(w, m);
      });
      w.on('error', (err) => { if (!ready) reject(new SinkWorkerStartError(`the EventListener sink worker did not start: ${err.message}`)); });
      w.on('exit', (code) => {
        const err = new Error(`the EventListener sink worker exited (code ${code})`);
        for (const x of this.waiting.values()) x.reject(err);
        this.waiting.clear();
        if (this.running === w) this.running = undefined;
        if (started !== this.worker) return;
        this.worker = undefined;
        if (ready) this.onExit(err);
        else reject(new SinkWorkerStartError(err.message));
      });
    });
    return started;
  }

  private call(w: Worker, m: Extract<ToWorker, { id: number; t: 'listen' | 'close' | 'shutdown' }>): Promise<Extract<FromWorker, { t: 'done' }>> {
    return new Promise((resolve, reject) => {
      this.waiting.set(m.id, { resolve, reject });
      w.postMessage(m);
    });
  }

  private repliesFor(w: Worker): Batcher<WriteReply> {
    const b = new Batcher<WriteReply>((items) => w.postMessage({ t: 'replies', items } satisfies ToWorker));
    this.replies.set(w, b);
    return b;
  }

  private onMessage(w: Worker, m: FromWorker): void {
    if (m.t === 'done') {
      const x = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      x?.resolve(m);
    } else if (m.t === 'writes') {
      const replies = this.replies.get(w) ?? this.repliesFor(w);
      for (const a of m.items) {
        const done = a.op === 'create' ? this.local.create(a.obj, this.connection.namespace).then(identity) : this.local.remove(a.obj, this.connection.namespace).then(() => undefined);
        done.then(
          (obj) => replies.push({ id: a.id, ok: true, ...(obj ? { obj } : {}) }),
          (err: unknown) => replies.push({ id: a.id, ok: false, error: wireError(err) }),
        );
      }
    } else if (m.t === 'log') {
      const logger: SinkLogger | undefined = this.tuning.logger;
      logger?.[m.level](m.obj, m.msg);
    }
  }
}

/** What the sink uses of a created object: its identity (the rest stays in this thread). */
function identity(o: KubeObject): KubeObject {
  const m = o.metadata;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}), ...(m.uid ? { uid: m.uid } : {}) } };
}

function wireError(err: unknown): WireError {
  if (err instanceof ApiError) return { code: err.code, reason: err.reason, message: err.message, ...(err.status ? { status: err.status } : {}) };
  return { code: 500, reason: 'Error', message: err instanceof Error ? err.message : String(err) };
}
