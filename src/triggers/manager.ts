/**
 * Embedded mode's EventListener manager: watches EventListeners in all namespaces, serves each on its own
 * ephemeral port (loopback by default), writes its status (address.url and Tekton-like conditions) through the
 * /status subresource, and stops the sink of an EventListener that is deleted.
 */
import type { Condition, EventListener } from '../api/types.js';
import { Informer, keyOf } from '../controller/runtime/informer.js';
import type { KubeClient } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { outcomeRecorder, type OutcomeRecorder } from './k8s-events.js';
import { cachedLookup, LOOKUP_REFS, type CachedLookup } from './lookup.js';
import { clientWriters, listenSink, type RunningSink, type SinkTuning } from './server.js';

/** Options of {@link startEventListenerManager}. */
export interface EventListenerManagerOptions extends SinkTuning {
  client: KubeClient;
  /** Listen address of every sink (default 127.0.0.1). */
  host?: string;
  /** Called on errors the manager recovers from (status writes, sink starts). */
  onError?: (err: unknown, key: string) => void;
}

/** A running manager. */
export interface EventListenerManager {
  /** The sink URL of an EventListener, once it is served. */
  urlOf(namespace: string, name: string): string | undefined;
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

function statusCurrent(el: EventListener, url: string): boolean {
  const s = el.status;
  if (s?.address?.url !== url) return false;
  if (el.metadata.generation !== undefined && s.observedGeneration !== el.metadata.generation) return false;
  const byType = new Map((s.conditions ?? []).map((c) => [c.type, c.status]));
  return ['Available', 'Deployment', 'Ready', 'Service'].every((t) => byType.get(t) === 'True');
}

/** The sinks of every EventListener, with per-EventListener serialised start/stop. */
class SinkSet {
  private readonly sinks = new Map<string, RunningSink>();
  private readonly queues = new Map<string, Promise<void>>();
  private closing = false;

  constructor(
    private readonly opts: EventListenerManagerOptions,
    private readonly lookup: CachedLookup,
    private readonly recorder: OutcomeRecorder,
    private readonly latest: (key: string) => EventListener | undefined,
  ) {}

  urlOf(namespace: string, name: string): string | undefined {
    return this.sinks.get(`${namespace}/${name}`)?.url;
  }

  /** Serves the EventListener (once) and brings its status up to date. */
  ensure(el: EventListener): void {
    this.serial(keyOf(el), async () => {
      if (this.closing) return;
      const key = keyOf(el);
      let sink = this.sinks.get(key);
      if (!sink) {
        sink = await listenSink({
          client: this.opts.client, name: el.metadata.name ?? '', namespace: el.metadata.namespace ?? 'default',
          port: 0, host: this.opts.host ?? '127.0.0.1', lookup: this.lookup, recorder: this.recorder, tuning: this.opts,
        });
        this.sinks.set(key, sink);
      }
      await this.writeStatus(this.latest(key) ?? el, sink.url);
    });
  }

  private async writeStatus(el: EventListener, url: string): Promise<void> {
    if (statusCurrent(el, url)) return;
    try {
      await this.opts.client.patch(LOOKUP_REFS.EventListener, el.metadata.namespace, el.metadata.name ?? '', { status: servedStatus(el, url, new Date()) }, { status: true, type: 'merge' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Stops the sink of a deleted EventListener. */
  stop(el: EventListener): void {
    this.serial(keyOf(el), async () => {
      const sink = this.sinks.get(keyOf(el));
      this.sinks.delete(keyOf(el));
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
  informer.addHandlers({ onAdd: (el) => sinks.ensure(el), onUpdate: (el) => sinks.ensure(el), onDelete: (el) => sinks.stop(el) });
  await informer.start();
  await sinks.settled();
  return {
    urlOf: (namespace, name) => sinks.urlOf(namespace, name),
    async close() {
      informer.stop();
      await sinks.close();
      await recorder.flush();
      lookup.stop();
    },
  };
}
