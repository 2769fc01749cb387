/**
 * How the sink reads the objects it needs (EventListeners, Triggers, bindings, templates, interceptors,
 * Secrets): a small getter interface so that trigger selection and processing take getters, not a client.
 * Three implementations: in-memory (tests), direct API calls, and watch-backed caches with a live fallback.
 */
import { REF } from '../api/registry.js';
import type { KubeObject } from '../api/types.js';
import { Informer } from '../controller/runtime/informer.js';
import type { KindRef, KubeClient } from '../kube/client.js';

/** The kinds the sink reads. */
export type LookupKind =
  | 'EventListener' | 'Trigger' | 'TriggerBinding' | 'ClusterTriggerBinding' | 'TriggerTemplate'
  | 'Interceptor' | 'ClusterInterceptor' | 'Secret';

/** Reads objects; `undefined` when absent. Cluster-scoped kinds take `namespace` undefined. */
export interface TriggerLookup {
  get<T extends KubeObject>(kind: LookupKind, namespace: string | undefined, name: string): Promise<T | undefined>;
  /** Objects of a kind in one namespace, or in all namespaces when `namespace` is undefined. */
  list<T extends KubeObject>(kind: LookupKind, namespace: string | undefined): Promise<T[]>;
}

/** apiVersion/kind of each lookup kind. */
export const LOOKUP_REFS: Record<LookupKind, KindRef> = {
  EventListener: REF.EventListener,
  Trigger: REF.Trigger,
  TriggerBinding: REF.TriggerBinding,
  ClusterTriggerBinding: REF.ClusterTriggerBinding,
  TriggerTemplate: REF.TriggerTemplate,
  Interceptor: REF.Interceptor,
  ClusterInterceptor: REF.ClusterInterceptor,
  Secret: REF.Secret,
};

const CLUSTER_SCOPED = new Set<LookupKind>(['ClusterTriggerBinding', 'ClusterInterceptor']);

/** An in-memory lookup over a fixed set of objects (tests, tools). */
export function memoryLookup(objects: readonly KubeObject[]): TriggerLookup {
  const matches = (o: KubeObject, kind: LookupKind, ns: string | undefined): boolean =>
    o.kind === kind && (CLUSTER_SCOPED.has(kind) || ns === undefined || (o.metadata.namespace ?? 'default') === ns);
  return {
    async get<T extends KubeObject>(kind: LookupKind, ns: string | undefined, name: string) {
      return objects.find((o) => matches(o, kind, ns) && o.metadata.name === name) as T | undefined;
    },
    async list<T extends KubeObject>(kind: LookupKind, ns: string | undefined) {
      return objects.filter((o) => matches(o, kind, ns)) as T[];
    },
  };
}

/** A lookup that asks the API server every time. */
export function clientLookup(client: KubeClient): TriggerLookup {
  return {
    get: (kind, ns, name) => client.tryGet(LOOKUP_REFS[kind], CLUSTER_SCOPED.has(kind) ? undefined : ns, name),
    async list<T extends KubeObject>(kind: LookupKind, ns: string | undefined) {
      return (await client.list<T>(LOOKUP_REFS[kind], CLUSTER_SCOPED.has(kind) ? undefined : ns)).items;
    },
  };
}

/** A lookup with a stop function. */
export interface CachedLookup extends TriggerLookup {
  stop(): void;
}

/**
 * Watch-backed caches (all namespaces) for the given kinds. A cache answers once synced; before that, and on
 * a cache miss for `get` (an object created a moment ago), the API server is asked directly, so a reference
 * that exists is never reported missing. Kinds whose list/watch is forbidden simply stay on direct calls.
 */
export function cachedLookup(client: KubeClient, kinds: readonly LookupKind[] = Object.keys(LOOKUP_REFS) as LookupKind[]): CachedLookup {
  const direct = clientLookup(client);
  const informers = new Map<LookupKind, { inf: Informer<KubeObject>; synced: boolean }>();
  for (const kind of kinds) {
    const entry = { inf: new Informer<KubeObject>(client, LOOKUP_REFS[kind]), synced: false };
    informers.set(kind, entry);
    void entry.inf.start().then(() => { entry.synced = true; });
  }
  const keyOf = (kind: LookupKind, ns: string | undefined, name: string): string => (CLUSTER_SCOPED.has(kind) || !ns ? name : `${ns}/${name}`);
  return {
    async get<T extends KubeObject>(kind: LookupKind, ns: string | undefined, name: string) {
      const e = informers.get(kind);
      const hit = e?.synced ? e.inf.get(keyOf(kind, ns, name)) : undefined;
      return (hit as T | undefined) ?? direct.get<T>(kind, ns, name);
    },
    async list<T extends KubeObject>(kind: LookupKind, ns: string | undefined) {
      const e = informers.get(kind);
      if (!e?.synced) return direct.list<T>(kind, ns);
      return e.inf.list((o) => CLUSTER_SCOPED.has(kind) || ns === undefined || o.metadata.namespace === ns) as T[];
    },
    stop() {
      for (const e of informers.values()) e.inf.stop();
    },
  };
}

export { matchesSelector } from '../api/label-selector.js';
