/**
 * The indexed store: objects in an {@link ObjectTable} (all in memory with indexes by uid, owner uid and label; or,
 * over SQLite, in the database with a bounded LRU of recent objects in memory), the recent events in a bounded log.
 * An optional {@link Persistence} makes it durable (SQLite); without one it is the memory store.
 */
import type { KubeObject } from '../../api/types.js';
import { EventLog } from './store-events.js';
import { CachedTable, MemoryTable, type ObjectTable, type StoreQueries } from './store-table.js';
import { deepFreeze } from '../../api/deep-freeze.js';
import { StoreError, type ListPage, type Store, type StoreEvent, type StoredRef } from './store.js';

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
  /**
   * When the backend answers queries itself, the store keeps only a bounded cache of objects in memory: then
   * `loadTail` replaces `load` (the latest `events` events, the latest rv, and the oldest persisted event's rv - 1),
   * and `eventsAfter` answers watch resumes older than the events kept in memory.
   */
  queries?(): StoreQueries;
  loadTail?(events: number): { events: StoreEvent[]; rv: number; floor: number };
  eventsAfter?(rv: number): StoreEvent[];
}

/** Options of an IndexedStore. */
export interface IndexedStoreOptions {
  /** Events a watch can resume from (default 10,000). */
  eventWindow?: number;
  /** Objects kept in memory when the backend answers queries (default 2,000). */
  cacheSize?: number;
  /** Events kept in memory when the backend answers queries (default 1,000); older ones are read back. */
  memoryEvents?: number;
}

/** A Store over an ObjectTable, optionally backed by a Persistence. */
export class IndexedStore implements Store {
  readonly backend: 'memory' | 'sqlite';
  private rv = 0;
  private readonly table: ObjectTable;
  private readonly log: EventLog;
  /** With a querying backend: events kept on disk (the watch window), every one with rv > persistedFloor. */
  private readonly diskEvents?: { window: number; floor: number };
  private readonly subscribers = new Set<(ev: StoreEvent) => void>();
  private closed = false;
  /** Inside batch(): events wait here until the batch committed; `failed` once persisting went wrong. */
  private batching?: { events: StoreEvent[]; failed?: unknown };

  constructor(private readonly persistence?: Persistence, opts: IndexedStoreOptions = {}) {
    this.backend = persistence ? 'sqlite' : 'memory';
    const window = opts.eventWindow ?? 10_000;
    const queries = persistence?.queries?.();
    if (queries && persistence?.loadTail && persistence.eventsAfter) {
      this.table = new CachedTable(queries, opts.cacheSize ?? 2_000);
      this.log = new EventLog(Math.min(window, opts.memoryEvents ?? 1_000));
      this.diskEvents = { window, floor: 0 };
    } else {
      this.table = new MemoryTable();
      this.log = new EventLog(window);
    }
    this.load();
  }

  /** (Re)builds the in-memory state from persistence. */
  private load(): void {
    if (!this.persistence) return;
    this.table.reset();
    if (this.diskEvents && this.persistence.loadTail) {
      const tail = this.persistence.loadTail(this.log.capacity());
      this.rv = tail.rv;
      this.diskEvents.floor = tail.floor;
      this.log.load(tail.events.map((e) => deepFreeze(e)), tail.rv);
      return;
    }
    const state = this.persistence.load();
    for (const ref of state.objects) this.table.put(ref.resource, deepFreeze(ref.object), undefined);
    this.rv = state.rv;
    this.log.load(state.events.map((e) => deepFreeze(e)), state.rv);
  }

  resourceVersion(): number {
    return this.rv;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.table.get(resource, namespace, name);
  }

  list(resource: string, namespace?: string, page?: ListPage): KubeObject[] {
    return this.table.list(resource, namespace, page);
  }

  listByLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): KubeObject[] {
    return this.table.listByLabels(resource, namespace, labels);
  }

  resourcesIn(namespace: string): string[] {
    return this.table.resourcesIn(namespace);
  }

  byUid(uid: string): StoredRef | undefined {
    return this.table.byUid(uid);
  }

  dependents(ownerUid: string): StoredRef[] {
    return this.table.dependents(ownerUid);
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
    const recent = this.log.since(rv);
    if (recent || !this.diskEvents || rv < this.diskEvents.floor) return recent;
    return this.persistence?.eventsAfter?.(rv).map((e) => deepFreeze(e));
  }

  oldestResumableRv(): number {
    return this.diskEvents ? this.diskEvents.floor : this.log.floor();
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
    if (type === 'DELETED') this.table.drop(resource, object);
    else this.table.put(resource, object, old);
    const pruned = this.log.append(ev);
    const disk = this.diskEvents;
    if (disk) {
      if (rv - disk.floor >= 2 * disk.window) {
        const floor = rv - disk.window;
        this.persist(() => this.persistence?.prune(floor));
        disk.floor = floor;
      }
    } else if (pruned !== undefined) {
      this.persist(() => this.persistence?.prune(pruned));
    }
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
}

function addrOf(obj: KubeObject): { namespace: string; name: string } {
  return { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}
