/**
 * Embedded mode's EventListener manager: watches EventListeners in all namespaces, serves each on its own
 * port (loopback by default; chosen and remembered as addresses.ts says), writes its status (address.url and Tekton-like conditions) through the
 * /status subresource, and stops the sink of an EventListener that is deleted.
 */
import type { Worker } from 'node:worker_threads';
import type { Condition, EventListener } from '../api/types.js';
import { Informer, keyOf } from '../controller/runtime/informer.js';
import type { KubeClient } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { outcomeRecorder, type OutcomeRecorder } from './k8s-events.js';
import { automaticPort, fixedPort, PortMemory, type PortSource, type SinkAddressOptions } from './addresses.js';
import { cachedLookup, LOOKUP_REFS, type CachedLookup } from './lookup.js';
import { clientWriters, listenSink, type RunningSink, type SinkTuning } from './server.js';
import { SinkThread, SinkWorkerStartError, workerConnection } from './sink-thread.js';

/** Options of {@link startEventListenerManager}. */
export interface EventListenerManagerOptions extends SinkTuning, SinkAddressOptions {
  client: KubeClient;
  /** Called on errors the manager recovers from (status writes, sink starts). */
  onError?: (err: unknown, key: string) => void;
  /**
   * Serve the sinks in a worker thread when the API server runs in this process (sink-thread.ts): the webhooks'
   * parsing, interceptors and templates then run on another core than the API server's writes. Default: off, or
   * on with TKT_EL_SINK_THREAD=1 — on the shared 2-core machine it cost more CPU per webhook than it gained
   * (docs/performance.md); it pays only with a core to spare.
   */
  sinkThread?: boolean;
}

/** A running manager. */
export interface EventListenerManager {
  /** The sink URL of an EventListener, once it is served. */
  urlOf(namespace: string, name: string): string | undefined;
  /** The worker thread serving the sinks, once started (diagnostics, tests); undefined when they run in this thread. */
  sinkWorker(): Worker | undefined;
  /** Stops every sink (after their in-flight events) and the watches. */
  close(): Promise<void>;
}

/** The status the manager writes for a served EventListener (pure). */
export function servedStatus(el: EventListener, url: string, now: Date): NonNullable<EventListener['status']> {
  const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const old = new Map((el.status?.conditions ?? []).map((c) => [c.type, c]));
  const cond = (type: string, reason: string | undefined, message: string): Condition => {
    const prev = old.get(type);
    const same = prev?.status === 'True';
    return { type, status: 'True', ...(reason ? { reason } : {}), message, lastTransitionTime: same && prev?.lastTransitionTime ? prev.lastTransitionTime : ts };
  };
  return {
    ...(el.metadata.generation !== undefined ? { observedGeneration: el.metadata.generation } : {}),
    address: { url },
    configuration: { generatedName: `el-${el.metadata.name ?? ''}` },
    conditions: [
      cond('Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
      cond('Deployment', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
      cond('Ready', undefined, 'EventListener is serving events.'),
      cond('Service', 'ServiceExists', 'Service exists.'),
    ],
  };
}

/**
 * True when a cluster controller serves the EventListener (its status names the `el-<name>` Service's cluster
 * address): the in-process manager then leaves it alone, so the two can never fight over its status.
 */
export function servedByCluster(el: EventListener): boolean {
  return /^https?:\/\/[^/:]+\.svc(\.cluster\.local)?(:\d+)?\/?$/.test(el.status?.address?.url ?? '');
}

function statusCurrent(el: EventListener, url: string): boolean {
  const s = el.status;
  if (s?.address?.url !== url) return false;
  if (el.metadata.generation !== undefined && s.observedGeneration !== el.metadata.generation) return false;
  const byType = new Map((s.conditions ?? []).map((c) => [c.type, c.status]));
  return ['Available', 'Deployment', 'Ready', 'Service'].every((t) => byType.get(t) === 'True');
}

/** What each sink is run with. */
function sinkTuning(opts: EventListenerManagerOptions): SinkTuning {
  return { checkServiceAccounts: true, resolveServices: true, ...opts };
}

/** How long a listener whose port could not be bound waits before the next try. */
const RETRY_MS = 10_000;

/** The sinks of every EventListener, with per-EventListener serialised start/stop. */
class SinkSet {
  private readonly sinks = new Map<string, RunningSink & { port: number; source: PortSource }>();
  private readonly memory: PortMemory;
  private readonly queues = new Map<string, Promise<void>>();
  /** EventListeners left to a cluster controller (said once each). */
  private readonly yielded = new Set<string>();
  private closing = false;
  /** The worker thread serving the sinks, when there is one (see sink-thread.ts). */
  thread?: SinkThread;

  constructor(
    private readonly opts: EventListenerManagerOptions,
    private readonly lookup: CachedLookup,
    private readonly recorder: OutcomeRecorder,
    private readonly latest: (key: string) => EventListener | undefined,
  ) {
    this.memory = new PortMemory(opts.stateFile);
  }

  urlOf(namespace: string, name: string): string | undefined {
    return this.sinks.get(`${namespace}/${name}`)?.url;
  }

  /** Serves the EventListener (again when its fixed port changed) and brings its status up to date. */
  ensure(el: EventListener): void {
    this.serial(keyOf(el), async () => {
      if (this.closing) return;
      const key = keyOf(el);
      const cur = this.latest(key) ?? el;
      let sink = this.sinks.get(key);
      if (servedByCluster(cur)) {
        // owned by a cluster controller (`tkt controller` with its el-<name> Deployment): never a second status writer
        if (sink) {
          this.sinks.delete(key);
          await sink.close();
        }
        if (!this.yielded.has(key)) this.opts.onError?.(new Error(`EventListener ${key} is served by a cluster controller (status.address.url ${cur.status?.address?.url ?? ''}): not serving it in this process`), key);
        this.yielded.add(key);
        return;
      }
      this.yielded.delete(key);
      const want = fixedPort(cur, this.opts);
      if (sink && want && sink.port !== want.port) {
        this.sinks.delete(key);
        await sink.close();
        sink = undefined;
      }
      if (!sink) {
        try {
          sink = await this.listen(cur, key, want);
        } catch (err) {
          // try again later (the port may be freed); report only a new reason
          setTimeout(() => { if (!this.closing) this.ensure(this.latest(key) ?? cur); }, RETRY_MS).unref();
          if (await this.writeFailure(cur, err)) throw err;
          return;
        }
        this.sinks.set(key, sink);
      }
      await this.writeStatus(cur, sink.url);
    });
  }

  private async listen(el: EventListener, key: string, want: { port: number; source: PortSource } | undefined): Promise<RunningSink & { port: number; source: PortSource }> {
    const taken = new Set([...this.sinks.values()].map((s) => s.port));
    let choice = want ?? automaticPort(key, this.memory.ports, this.opts, taken);
    const start = (port: number) => this.startSink(el, port);
    let sink: RunningSink;
    try {
      sink = await start(choice.port);
    } catch (err) {
      // a remembered or range port taken by someone else: fall back to a new one (fixed ports fail loudly)
      if (choice.source === 'flag' || choice.source === 'servicePort' || choice.port === 0) throw err;
      this.opts.onError?.(new Error(`port ${choice.port} of EventListener ${key} is in use (${err instanceof Error ? err.message : String(err)}); serving it on another port`), key);
      choice = { port: 0, source: 'ephemeral' };
      sink = await start(0);
    }
    const port = Number(new URL(sink.url).port);
    if (!want) this.memory.set(key, port);
    return { ...sink, port, source: choice.source };
  }

  private async startSink(el: EventListener, port: number): Promise<RunningSink> {
    const name = el.metadata.name ?? '';
    const namespace = el.metadata.namespace ?? 'default';
    const host = this.opts.host ?? '127.0.0.1';
    if (this.thread) {
      try {
        return await this.thread.listen(name, namespace, port, host);
      } catch (err) {
        if (!(err instanceof SinkWorkerStartError)) throw err;
        this.opts.onError?.(new Error(`${err.message}; serving EventListeners in the main thread`), 'sink worker');
        this.thread = undefined;
      }
    }
    return listenSink({ client: this.opts.client, name, namespace, port, host, lookup: this.lookup, recorder: this.recorder, tuning: sinkTuning(this.opts) });
  }

  /** The worker thread exited: every listener it served is served again (by a new worker). */
  lost(err: Error): void {
    if (this.closing) return;
    this.opts.onError?.(err, 'sink worker');
    for (const key of [...this.sinks.keys()]) {
      this.serial(key, async () => { this.sinks.delete(key); });
      const el = this.latest(key);
      if (el) this.ensure(el);
    }
  }

  /** Writes Ready=False with the reason; answers false when the status already said so. */
  private async writeFailure(el: EventListener, err: unknown): Promise<boolean> {
    const message = `cannot serve the sink: ${err instanceof Error ? err.message : String(err)}`;
    if (el.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'False' && c.message === message)) return false;
    const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status = { conditions: [{ type: 'Ready', status: 'False', reason: 'SinkNotServed', message, lastTransitionTime: ts }] };
    await this.opts.client.patch(LOOKUP_REFS.EventListener, el.metadata.namespace, el.metadata.name ?? '', { status }, { status: true, type: 'merge' }).catch(() => undefined);
    return true;
  }

  private async writeStatus(el: EventListener, url: string): Promise<void> {
    if (statusCurrent(el, url)) return;
    try {
      await this.opts.client.patch(LOOKUP_REFS.EventListener, el.metadata.namespace, el.metadata.name ?? '', { status: servedStatus(el, url, new Date()) }, { status: true, type: 'merge' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Forgets remembered ports of listeners that no longer exist (deleted while `tkt up` was down). */
  forgetAllBut(keys: ReadonlySet<string>): void {
    for (const k of [...this.memory.ports.keys()]) if (!keys.has(k)) this.memory.delete(k);
  }

  /** Stops the sink of a deleted EventListener. */
  stop(el: EventListener): void {
    this.serial(keyOf(el), async () => {
      const sink = this.sinks.get(keyOf(el));
      this.sinks.delete(keyOf(el));
      this.memory.delete(keyOf(el));
      await sink?.close();
    });
  }

  /** Resolves when every queued start/stop has run. */
  async settled(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.settled();
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
    this.sinks.clear();
    await this.thread?.close();
  }

  private serial(key: string, fn: () => Promise<void>): void {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(fn).catch((err: unknown) => this.opts.onError?.(err, key));
    this.queues.set(key, next);
    void next.finally(() => { if (this.queues.get(key) === next) this.queues.delete(key); });
  }
}

/** Starts the manager; resolves once the existing EventListeners are being served. */
export async function startEventListenerManager(opts: EventListenerManagerOptions): Promise<EventListenerManager> {
  const lookup = cachedLookup(opts.client);
  const recorder = outcomeRecorder(clientWriters(opts.client, opts.inProcess).create);
  const informer = new Informer<EventListener>(opts.client, LOOKUP_REFS.EventListener, { onError: (err) => opts.onError?.(err, 'EventListener watch') });
  const sinks = new SinkSet(opts, lookup, recorder, (key) => informer.get(key));
  const threaded = (opts.sinkThread ?? process.env.TKT_EL_SINK_THREAD === '1') && opts.inProcess !== false;
  const conn = threaded ? await workerConnection(opts.client) : undefined;
  if (conn) sinks.thread = new SinkThread(conn.setup, conn.local, sinkTuning(opts), (err) => sinks.lost(err));
  informer.addHandlers({ onAdd: (el) => sinks.ensure(el), onUpdate: (el) => sinks.ensure(el), onDelete: (el) => sinks.stop(el) });
  await informer.start();
  await sinks.settled();
  sinks.forgetAllBut(new Set(informer.list().map((el) => keyOf(el))));
  return {
    urlOf: (namespace, name) => sinks.urlOf(namespace, name),
    sinkWorker: () => sinks.thread?.running,
    async close() {
      informer.stop();
      await sinks.close();
      await recorder.flush();
      lookup.stop();
    },
  };
}
