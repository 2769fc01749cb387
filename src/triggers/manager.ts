/**
 * Embedded mode's EventListener manager: watches EventListeners in all namespaces, serves each on its own
 * ephemeral port (loopback by default), writes its status (address.url and Tekton-like conditions) through the
 * /status subresource, and stops the sink of an EventListener that is deleted.
 */
import type { Condition, EventListener } from '../api/types.js';
import { Informer, keyOf } from '../controller/runtime/informer.js';
import type { KubeClient } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { outcomeRecorder } from './k8s-events.js';
import { cachedLookup, LOOKUP_REFS } from './lookup.js';
import { listenSink, type RunningSink, type SinkTuning } from './server.js';

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

/** Starts the manager; resolves once the existing EventListeners are being served. */
export async function startEventListenerManager(opts: EventListenerManagerOptions): Promise<EventListenerManager> {
  const { client } = opts;
  const host = opts.host ?? '127.0.0.1';
  const lookup = cachedLookup(client);
  const recorder = outcomeRecorder((obj) => client.create(obj));
  const sinks = new Map<string, RunningSink>();
  const queues = new Map<string, Promise<void>>();
  let closing = false;

  const serial = (key: string, fn: () => Promise<void>): void => {
    const next = (queues.get(key) ?? Promise.resolve()).then(fn).catch((err: unknown) => opts.onError?.(err, key));
    queues.set(key, next);
    void next.finally(() => { if (queues.get(key) === next) queues.delete(key); });
  };

  const ensure = (el: EventListener): void => serial(keyOf(el), async () => {
    if (closing) return;
    const key = keyOf(el);
    let sink = sinks.get(key);
    if (!sink) {
      sink = await listenSink({ client, name: el.metadata.name ?? '', namespace: el.metadata.namespace ?? 'default', port: 0, host, lookup, recorder, tuning: opts });
      sinks.set(key, sink);
    }
    const latest = informer.get(key) ?? el;
    if (statusCurrent(latest, sink.url)) return;
    try {
      await client.patch(LOOKUP_REFS.EventListener, latest.metadata.namespace, latest.metadata.name ?? '', { status: servedStatus(latest, sink.url, new Date()) }, { status: true, type: 'merge' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  });

  const stop = (el: EventListener): void => serial(keyOf(el), async () => {
    const key = keyOf(el);
    const sink = sinks.get(key);
    sinks.delete(key);
    await sink?.close();
  });

  const informer = new Informer<EventListener>(client, LOOKUP_REFS.EventListener, { onError: (err) => opts.onError?.(err, 'EventListener watch') });
  informer.addHandlers({ onAdd: ensure, onUpdate: (el) => ensure(el), onDelete: stop });
  await informer.start();
  await Promise.all([...queues.values()]);

  return {
    urlOf: (namespace, name) => sinks.get(`${namespace}/${name}`)?.url,
    async close() {
      closing = true;
      informer.stop();
      await Promise.all([...queues.values()]);
      await Promise.all([...sinks.values()].map((s) => s.close()));
      sinks.clear();
      await recorder.flush();
      lookup.stop();
    },
  };
}
