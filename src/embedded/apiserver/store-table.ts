/**
 * Where the indexed store keeps its objects. {@link MemoryTable}: every object in maps, with indexes by uid, owner
 * uid and label (the memory store). {@link CachedTable}: the objects and their indexes live in the database
 * (SQLite, see store-sqlite.ts); memory holds every object of the few kinds that do not grow with the work done
 * (configuration: namespaces, RBAC, webhooks, Tasks… read on every request by some), a bounded LRU of recently used
 * objects of the kinds that do (runs, pods, Events) and a count of objects per namespace and resource, so that the
 * memory of a long-running server stays flat however many runs it keeps.
 */
import type { KubeObject } from '../../api/types.js';
import { deepFreeze } from '../../api/deep-freeze.js';
import { objectKey, rememberJson, type ListPage, type Store, type StoredRef } from './store.js';

import { addrOf, MemoryTable, NamespaceCounts } from './store-table-memory.js';

/** The object storage of an IndexedStore: the Store's reads, and the index upkeep after a committed write. */
export interface ObjectTable extends Pick<Store, 'get' | 'list' | 'listByLabels' | 'resourcesIn' | 'byUid' | 'dependents'> {
  /** Records an object as stored (a create or an update replacing `old`). */
  put(resource: string, obj: KubeObject, old: KubeObject | undefined): void;
  /** Records an object as removed. */
  drop(resource: string, old: KubeObject): void;
  /** Forgets what memory holds (after a rolled-back batch); a memory table is refilled by the caller. */
  reset(): void;
}

export interface Addr {
  resource: string;
  namespace: string;
  name: string;
}

/** A stored row of an object: its address, resourceVersion and JSON text. */
export interface ObjectRow extends Addr {
  rv: number;
  data: string;
}

/** The queries a database answers for a {@link CachedTable} (SqlitePersistence implements them). */
export interface StoreQueries {
  row(resource: string, namespace: string, name: string): ObjectRow | undefined;
  /** Rows of a resource sorted by namespace then name (one page of them with `page`). */
  scan(resource: string, namespace?: string, page?: ListPage): ObjectRow[];
  /** Addresses of objects carrying every label, sorted by namespace then name. */
  byLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): Addr[];
  byUid(uid: string): Addr | undefined;
  byOwner(ownerUid: string): Addr[];
  /** Objects per namespace and resource. */
  counts(): Array<{ namespace: string; resource: string; n: number }>;
}

/** The resources that grow with the work done (one or more per run): read back from the database when needed. */
const BULK = new Set(['/pods', '/events', 'events.k8s.io/events', 'tekton.dev/taskruns', 'tekton.dev/pipelineruns', 'tekton.dev/customruns', 'tekton.dev/runs']);

/** Whether a resource's objects are kept out of memory beyond the LRU (see BULK). */
export const isBulkResource = (resource: string): boolean => BULK.has(resource);

/** Objects read from a database through a bounded LRU cache of parsed, frozen objects. */
export class CachedTable implements ObjectTable {
  /** Most recently used last (a Map keeps insertion order). */
  private readonly cache = new Map<string, KubeObject>();
  private readonly counts = new NamespaceCounts();
  /** Every object of the resources that are not bulk (see BULK). */
  private readonly pinned = new MemoryTable();

  constructor(private readonly db: StoreQueries, private readonly maxCached: number) {
    this.reset();
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    if (!isBulkResource(resource)) return this.pinned.get(resource, namespace, name);
    const key = objectKey(resource, namespace, name);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const row = this.db.row(resource, namespace, name);
    if (!row) return undefined;
    const obj = revive(row.data);
    this.remember(key, obj);
    return obj;
  }

  list(resource: string, namespace?: string, page?: ListPage): KubeObject[] {
    if (!isBulkResource(resource)) return this.pinned.list(resource, namespace, page);
    return this.db.scan(resource, namespace, page).map((r) => this.peek(r.resource, r.namespace, r.name, r));
  }

  listByLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): KubeObject[] {
    if (!isBulkResource(resource)) return this.pinned.listByLabels(resource, namespace, labels);
    if (Object.keys(labels).length === 0) return this.list(resource, namespace);
    return this.db.byLabels(resource, namespace, labels).flatMap((a) => this.peekAddr(a));
  }

  resourcesIn(namespace: string): string[] {
    return this.counts.resources(namespace);
  }

  byUid(uid: string): StoredRef | undefined {
    const a = this.db.byUid(uid);
    const object = a ? this.peekAddr(a)[0] : undefined;
    return a && object ? { resource: a.resource, object } : undefined;
  }

  dependents(ownerUid: string): StoredRef[] {
    return this.db.byOwner(ownerUid).flatMap((a) => this.peekAddr(a).map((object) => ({ resource: a.resource, object })));
  }

  put(resource: string, obj: KubeObject, old: KubeObject | undefined): void {
    const { namespace, name } = addrOf(obj);
    if (!isBulkResource(resource)) this.pinned.put(resource, obj, old);
    const key = objectKey(resource, namespace, name);
    if (!isBulkResource(resource)) {
      if (!old) this.counts.add(namespace, resource, 1);
      return;
    }
    this.cache.delete(key);
    this.remember(key, obj);
    if (!old) this.counts.add(namespace, resource, 1);
  }

  drop(resource: string, old: KubeObject): void {
    const { namespace, name } = addrOf(old);
    if (!isBulkResource(resource)) this.pinned.drop(resource, old);
    this.cache.delete(objectKey(resource, namespace, name));
    this.counts.add(namespace, resource, -1);
  }

  reset(): void {
    this.cache.clear();
    this.counts.clear();
    this.pinned.reset();
    const resources = new Set<string>();
    for (const c of this.db.counts()) {
      this.counts.add(c.namespace, c.resource, c.n);
      resources.add(c.resource);
    }
    for (const r of resources) if (!isBulkResource(r)) for (const row of this.db.scan(r)) this.pinned.put(r, revive(row.data), undefined);
  }

  /** The object at an address without making it recently used (lists and index lookups must not flush the cache). */
  private peek(resource: string, namespace: string, name: string, row?: ObjectRow): KubeObject {
    const pinned = isBulkResource(resource) ? undefined : this.pinned.get(resource, namespace, name);
    if (pinned) return pinned;
    const hit = this.cache.get(objectKey(resource, namespace, name));
    if (hit && (!row || hit.metadata.resourceVersion === String(row.rv))) return hit;
    return revive((row ?? this.db.row(resource, namespace, name) as ObjectRow).data);
  }

  private peekAddr(a: Addr): KubeObject[] {
    if (!isBulkResource(a.resource)) {
      const pinned = this.pinned.get(a.resource, a.namespace, a.name);
      return pinned ? [pinned] : [];
    }
    const hit = this.cache.get(objectKey(a.resource, a.namespace, a.name));
    if (hit) return [hit];
    const row = this.db.row(a.resource, a.namespace, a.name);
    return row ? [revive(row.data)] : [];
  }

  private remember(key: string, obj: KubeObject): void {
    this.cache.set(key, obj);
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

/** A stored object from its JSON text: frozen, its text remembered so that answers need not serialise it again. */
function revive(text: string): KubeObject {
  const obj = deepFreeze(JSON.parse(text) as KubeObject);
  rememberJson(obj, text);
  return obj;
}

export { compareObjects, MemoryTable } from './store-table-memory.js';
