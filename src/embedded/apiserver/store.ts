/**
 * The storage contract of the embedded API server: a keyed object store with a global, monotonic
 * resourceVersion, a bounded event log for watch resume, and in-process subscribers.
 *
 * Objects are addressed by `resource` (`<group>/<plural>`, `/pods` for core), `namespace` ('' for cluster-scoped
 * kinds) and `name`. Objects handed out by a store are shared and deep-frozen: copy before changing them.
 */
import type { KubeObject } from '../../api/types.js';

/** A change recorded by the store. `rv` is the resourceVersion the change produced. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  namespace: string;
  name: string;
  rv: number;
  /** The object after the change (for DELETED: its last state, carrying the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change, when known (not kept across restarts). */
  old?: KubeObject;
}

/** What went wrong in a store write. */
export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict';

/** A failed store write. The API layer maps it to a Kubernetes Status. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** A page of a list: objects whose `namespace\u0000name` key sorts after `after`, at most `limit` of them. */
export interface ListPage {
  after?: string;
  limit?: number;
}

/** The page key of an object (what ListPage.after names). */
export function pageKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

/** Applies a page to objects sorted by namespace then name. */
export function slicePage(objs: KubeObject[], page: ListPage | undefined): KubeObject[] {
  if (!page) return objs;
  const after = page.after;
  const from = after === undefined ? objs : objs.filter((o) => pageKey(o.metadata.namespace ?? '', o.metadata.name ?? '') > after);
  return page.limit !== undefined && page.limit > 0 ? from.slice(0, page.limit) : from;
}

/** An object together with the resource it is stored under. */
export interface StoredRef {
  resource: string;
  object: KubeObject;
}

/** The object store behind the API server. Every write is durable when it returns. */
export interface Store {
  /** 'memory' or 'sqlite'. */
  readonly backend: 'memory' | 'sqlite';
  /** The latest resourceVersion handed out. */
  resourceVersion(): number;
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  /**
   * Objects of a resource sorted by namespace then name; `namespace` undefined means all namespaces. With `page`:
   * only those after the key `after` (`namespace\u0000name`), at most `limit` of them.
   */
  list(resource: string, namespace?: string, page?: ListPage): KubeObject[];
  /** Objects of a resource carrying every given label (an index lookup); sorted like {@link list}. */
  listByLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): KubeObject[];
  /** Resources that hold at least one object in `namespace`. */
  resourcesIn(namespace: string): string[];
  /** Finds any object by metadata.uid. */
  byUid(uid: string): StoredRef | undefined;
  /** Objects whose ownerReferences name `ownerUid`. */
  dependents(ownerUid: string): StoredRef[];
  /** Stores a new object; sets metadata.resourceVersion. Throws StoreError AlreadyExists. */
  create(resource: string, obj: KubeObject): KubeObject;
  /** Replaces an object; with `expectedRv`, fails with Conflict unless it is the stored one. Throws NotFound. */
  update(resource: string, obj: KubeObject, expectedRv?: string): KubeObject;
  /** Removes an object and records DELETED. Throws NotFound / Conflict. */
  remove(resource: string, namespace: string, name: string, expectedRv?: string): KubeObject;
  /** Events after `rv` (oldest first), or undefined when `rv` is older than the retained window. */
  eventsSince(rv: number): StoreEvent[] | undefined;
  /** The oldest resourceVersion a watch can resume from. */
  oldestResumableRv(): number;
  /** Calls `fn` synchronously after every committed write. Answers an unsubscribe function. */
  subscribe(fn: (ev: StoreEvent) => void): () => void;
  /**
   * Runs `fn` (which writes) as one transaction: its writes are visible to later writes inside `fn` at once, but
   * subscribers hear of them only after the whole transaction committed. When persisting fails, nothing of `fn`
   * is kept (the in-memory state is reloaded from disk) and the error is thrown. When `fn` throws, what it wrote
   * is committed and announced, then its error is rethrown. Nested calls join the outer one.
   */
  batch<T>(fn: () => T): T;
  close(): void;
}

/** The storage key of an object. */
export function objectKey(resource: string, namespace: string, name: string): string {
  return `${resource}\u0000${namespace}\u0000${name}`;
}

/** JSON text of stored (frozen) objects: serialised once, shared by persistence, responses and every watcher. */
const jsonCache = new WeakMap<object, string>();

/** The JSON text of a value; cached when it is a frozen object (a stored object never changes). */
export function objectJson(value: unknown): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  let text = jsonCache.get(value);
  if (text === undefined && !Object.isFrozen(value) && Array.isArray((value as { items?: unknown }).items)) return listJson(value as { items: unknown[] });
  if (text === undefined) {
    text = JSON.stringify(value);
    if (Object.isFrozen(value)) jsonCache.set(value, text);
  }
  return text;
}

/** A list's JSON with each item's cached text (a long list of stored objects is not serialised again). */
function listJson(list: { items: unknown[] }): string {
  const { items, ...rest } = list;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"items":[${items.map((i) => (i === undefined ? 'null' : objectJson(i))).join(',')}]}`;
}

/** Remembers the JSON text of a frozen object read back from storage (so that it is not serialised again). */
export function rememberJson(value: object, text: string): void {
  if (Object.isFrozen(value)) jsonCache.set(value, text);
}
