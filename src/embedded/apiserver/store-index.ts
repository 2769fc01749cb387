/**
 * The in-memory indexed store: the whole state lives in maps (by resource/namespace/name, uid, owner uid and
 * label), the recent events in a bounded log. An optional {@link Persistence} makes it durable (SQLite); without one
 * it is the memory store.
 */
import type { KubeObject } from '../../api/types.js';
import { EventLog } from './store-events.js';
import { deepFreeze, objectKey, StoreError, type Store, type StoreEvent, type StoredRef } from './store.js';

/**
 * What a durable backend must do. `commit` runs one transaction and returns only after it is committed; inside
 * `transaction(fn)` it joins that transaction instead, which commits when `fn` returns (and rolls back if it throws).
 */
export interface Persistence {
  load(): { objects: StoredRef[]; events: StoreEvent[]; rv: number };
  commit(ev: StoreEvent): void;
  transaction<T>(fn: () => T): T;
  /** Drops persisted events with rv <= `rv`. */
  prune(rv: number): void;
  close(): void;
}

interface Addr {
  resource: string;
  namespace: string;
  name: string;
}

/** A Store over in-memory indexes, optionally backed by a Persistence. */
export class IndexedStore implements Store {
  readonly backend: 'memory' | 'sqlite';
  private rv = 0;
  private readonly objects = new Map<string, Map<string, Map<string, KubeObject>>>();
  private readonly uids = new Map<string, Addr>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly labels = new Map<string, Map<string, Set<string>>>();
  private readonly addrs = new Map<string, Addr>();
  private readonly nsCounts = new Map<string, Map<string, number>>();
  private readonly log: EventLog;
  private readonly subscribers = new Set<(ev: StoreEvent) => void>();
  private closed = false;
  /** Inside batch(): events wait here until the batch committed; `failed` once persisting went wrong. */
  private batching?: { events: StoreEvent[]; failed?: unknown };

  constructor(private readonly persistence?: Persistence, opts: { eventWindow?: number } = {}) {
    this.backend = persistence ? 'sqlite' : 'memory';
    this.log = new EventLog(opts.eventWindow ?? 10_000);
    this.load();
  }

  /** (Re)builds the in-memory state from persistence. */
  private load(): void {
    if (!this.persistence) return;
    for (const m of [this.objects, this.uids, this.owners, this.labels, this.addrs, this.nsCounts]) m.clear();
    const state = this.persistence.load();
    for (const ref of state.objects) this.index(ref.resource, deepFreeze(ref.object));
    this.rv = state.rv;
    this.log.load(state.events.map((e) => deepFreeze(e)), state.rv);
  }

  resourceVersion(): number {
    return this.rv;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(namespace)?.get(name);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const byNs = this.objects.get(resource);
    if (!byNs) return [];
    const namespaces = namespace === undefined ? [...byNs.keys()].sort() : [namespace];
    const out: KubeObject[] = [];
    for (const ns of namespaces) {
      const names = byNs.get(ns);
      if (!names) continue;
      for (const n of [...names.keys()].sort()) out.push(names.get(n) as KubeObject);
    }
    return out;
  }

  listByLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): KubeObject[] {
    const index = this.labels.get(resource);
    const sets = Object.entries(labels).map(([k, v]) => index?.get(`${k}=${v}`));
    if (sets.length === 0) return this.list(resource, namespace);
    if (sets.some((s) => !s)) return [];
    const [smallest, ...rest] = (sets as Set<string>[]).sort((a, b) => a.size - b.size);
    const out: KubeObject[] = [];
    for (const key of smallest ?? []) {
      if (!rest.every((s) => s.has(key))) continue;
      const a = this.addrs.get(key) as Addr;
      if (namespace !== undefined && a.namespace !== namespace) continue;
      out.push(this.get(a.resource, a.namespace, a.name) as KubeObject);
    }
    return out.sort(compareObjects);
  }

  resourcesIn(namespace: string): string[] {
    return [...(this.nsCounts.get(namespace)?.keys() ?? [])];
  }

  byUid(uid: string): StoredRef | undefined {
    const a = this.uids.get(uid);
    return a ? { resource: a.resource, object: this.get(a.resource, a.namespace, a.name) as KubeObject } : undefined;
  }

  dependents(ownerUid: string): StoredRef[] {
    const keys = this.owners.get(ownerUid);
    if (!keys) return [];
    return [...keys].map((k) => {
      const a = this.addrs.get(k) as Addr;
      return { resource: a.resource, object: this.get(a.resource, a.namespace, a.name) as KubeObject };
    });
  }

  create(resource: string, obj: KubeObject): KubeObject {
    const { namespace, name } = addrOf(obj);
    if (this.get(resource, namespace, name)) throw new StoreError('AlreadyExists', `${resource} ${namespace}/${name} already exists`);
    return this.write('ADDED', resource, obj, undefined);
  }

  update(resource: string, obj: KubeObject, expectedRv?: string): KubeObject {
    const { namespace, name } = addrOf(obj);
    const old = this.current(resource, namespace, name, expectedRv);
    return this.write('MODIFIED', resource, obj, old);
  }

  remove(resource: string, namespace: string, name: string, expectedRv?: string): KubeObject {
    const old = this.current(resource, namespace, name, expectedRv);
    return this.write('DELETED', resource, old, old);
  }

  eventsSince(rv: number): StoreEvent[] | undefined {
    return this.log.since(rv);
  }

  oldestResumableRv(): number {
    return this.log.floor();
  }

  subscribe(fn: (ev: StoreEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  batch<T>(fn: () => T): T {
    if (this.batching) return fn();
    const b: { events: StoreEvent[]; failed?: unknown } = { events: [] };
    this.batching = b;
    let out: { value: T } | { thrown: unknown };
    try {
      const run = (): typeof out => {
        let r: typeof out;
        try {
          r = { value: fn() };
        } catch (err) {
          r = { thrown: err }; // fn's own error: keep what it wrote, then rethrow
        }
        if (b.failed !== undefined) throw b.failed; // persisting failed: roll everything back
        return r;
      };
      out = this.persistence ? this.persistence.transaction(run) : run();
    } catch (err) {
      this.batching = undefined;
      this.load(); // nothing of the batch was announced: go back to what is on disk
      throw err;
    }
    this.batching = undefined;
    for (const ev of b.events) this.notify(ev);
    if ('thrown' in out) throw out.thrown;
    return out.value;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscribers.clear();
    this.persistence?.close();
  }

  private current(resource: string, namespace: string, name: string, expectedRv?: string): KubeObject {
    const old = this.get(resource, namespace, name);
    if (!old) throw new StoreError('NotFound', `${resource} ${namespace}/${name} not found`);
    if (expectedRv && old.metadata.resourceVersion !== expectedRv) {
      throw new StoreError('Conflict', `${resource} ${namespace}/${name}: resourceVersion ${expectedRv} is stale`);
    }
    return old;
  }

  /** Commits one change: persistence first, then indexes, event log and subscribers. */
  private write(type: StoreEvent['type'], resource: string, obj: KubeObject, old: KubeObject | undefined): KubeObject {
    if (this.closed) throw new Error('store is closed');
    const rv = this.rv + 1;
    const object = deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });
    const { namespace, name } = addrOf(object);
    const ev: StoreEvent = { type, resource, namespace, name, rv, object, ...(old ? { old } : {}) };
    this.persist(() => this.persistence?.commit(ev));
    this.rv = rv;
    if (old) this.unindex(resource, old);
    if (type !== 'DELETED') this.index(resource, object);
    const pruned = this.log.append(ev);
    if (pruned !== undefined) this.persist(() => this.persistence?.prune(pruned));
    if (this.batching) this.batching.events.push(ev);
    else this.notify(ev);
    return object;
  }

  /** Runs a persistence call; inside a batch, a failure dooms the whole batch (later writes fail at once). */
  private persist(fn: () => void): void {
    const b = this.batching;
    if (b?.failed !== undefined) throw b.failed;
    try {
      fn();
    } catch (err) {
      if (b) b.failed = err;
      throw err;
    }
  }

  private notify(ev: StoreEvent): void {
    for (const fn of this.subscribers) {
      try {
        fn(ev);
      } catch {
        // a failing subscriber must not break writes
      }
    }
  }

  private index(resource: string, obj: KubeObject): void {
    const a: Addr = { resource, ...addrOf(obj) };
    const key = objectKey(resource, a.namespace, a.name);
    let byNs = this.objects.get(resource);
    if (!byNs) this.objects.set(resource, (byNs = new Map()));
    let names = byNs.get(a.namespace);
    if (!names) byNs.set(a.namespace, (names = new Map()));
    names.set(a.name, obj);
    this.addrs.set(key, a);
    if (obj.metadata.uid) this.uids.set(obj.metadata.uid, a);
    for (const ref of obj.metadata.ownerReferences ?? []) addToSet(this.owners, ref.uid, key);
    let li = this.labels.get(resource);
    if (!li) this.labels.set(resource, (li = new Map()));
    for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) addToSet(li, `${k}=${v}`, key);
    let counts = this.nsCounts.get(a.namespace);
    if (!counts) this.nsCounts.set(a.namespace, (counts = new Map()));
    counts.set(resource, (counts.get(resource) ?? 0) + 1);
  }

  private unindex(resource: string, obj: KubeObject): void {
    const { namespace, name } = addrOf(obj);
    const key = objectKey(resource, namespace, name);
    const names = this.objects.get(resource)?.get(namespace);
    names?.delete(name);
    if (names?.size === 0) this.objects.get(resource)?.delete(namespace);
    this.addrs.delete(key);
    if (obj.metadata.uid) this.uids.delete(obj.metadata.uid);
    for (const ref of obj.metadata.ownerReferences ?? []) removeFromSet(this.owners, ref.uid, key);
    const li = this.labels.get(resource);
    for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) if (li) removeFromSet(li, `${k}=${v}`, key);
    const counts = this.nsCounts.get(namespace);
    const n = (counts?.get(resource) ?? 1) - 1;
    if (n > 0) counts?.set(resource, n);
    else counts?.delete(resource);
    if (counts?.size === 0) this.nsCounts.delete(namespace);
  }
}

function addrOf(obj: KubeObject): { namespace: string; name: string } {
  return { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a2 = a.metadata.name ?? '';
  const b2 = b.metadata.name ?? '';
  return a2 < b2 ? -1 : a2 > b2 ? 1 : 0;
}

function addToSet(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFromSet(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  s?.delete(v);
  if (s?.size === 0) m.delete(k);
}
