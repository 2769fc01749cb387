/**
 * A supervised informer: lists a kind, then watches from the list's resourceVersion, keeping a local cache and
 * telling handlers about adds, updates and deletes. A watch that ends is resumed from the last seen
 * resourceVersion; a 410 Expired (or any error) leads to a relist after a short backoff. It never gives up.
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient } from '../../kube/client.js';
import { isOlder, keyOf, matchesLabels, type IndexFn } from './informer-keys.js';

export { isOlder, keyOf, labelIndex, matchesLabels, splitKey, type IndexFn } from './informer-keys.js';

export interface InformerHandlers<T extends KubeObject> {
  onAdd?: (obj: T) => void;
  onUpdate?: (obj: T, old: T) => void;
  onDelete?: (obj: T) => void;
}

/** Options of an {@link Informer}. */
export interface InformerOptions<T> {
  namespace?: string;
  labelSelector?: string;
  onError?: (err: unknown) => void;
  /**
   * Which objects the cache keeps (default: all). Handlers hear of every object; one that fails stays out of the
   * cache (a get() misses it), so that e.g. finished runs do not make the cache grow without bound.
   */
  retain?: (obj: T) => boolean;
}

/** Objects per page when (re)listing. */
const RELIST_PAGE = 500;

/** How many keys of objects let go by the retention rule are remembered (to ignore older versions arriving late). */
const RELEASED_MEMORY = 10_000;

/** List + watch of one kind (all namespaces unless given) with a local cache. */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  /** Keys let go by the retention rule, with the version let go: an older version must not come back. */
  private readonly released = new Map<string, string | undefined>();
  private retain?: (obj: T) => boolean;
  private readonly indexes = new Map<string, { fn: IndexFn<T>; values: Map<string, Map<string, T>> }>();
  /** resourceVersions of recent deletions, so that a late {@link observe} does not bring an object back. */
  private readonly tombstones = new Map<string, string | undefined>();
  /** Keys taken in by observe() whose handlers wait for the watch event, with the version handlers last saw. */
  private readonly unannounced = new Map<string, T | undefined>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private resourceVersion = '';
  private stopWatch?: () => void;
  private stopped = false;
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];
  private backoffMs = 50;

  constructor(
    private readonly client: KubeClient,
    private readonly ref: KindRef,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.retain = opts.retain;
  }

  /** Sets the retention rule (see InformerOptions.retain) and lets go of the cached objects that fail it. */
  setRetention(retain: (obj: T) => boolean): void {
    this.retain = retain;
    this.recheck(this.list());
  }

  /** Applies the retention rule again to these objects (their state, or another informer's, changed). */
  recheck(objs: Iterable<T>): void {
    for (const obj of objs) {
      const key = keyOf(obj);
      const cur = this.cache.get(key);
      if (cur && !this.keeps(cur)) this.release(key, cur.metadata.resourceVersion, cur);
    }
  }

  private keeps(obj: T): boolean {
    return !this.retain || this.retain(obj);
  }

  /** Takes an object out of the cache for the retention rule (no handler runs: it is not deleted). */
  private release(key: string, rv: string | undefined, cached: T | undefined): void {
    if (cached) {
      this.cache.delete(key);
      this.reindex(key, undefined, cached);
    }
    this.released.delete(key);
    this.released.set(key, rv);
    if (this.released.size > RELEASED_MEMORY) this.released.delete(this.released.keys().next().value as string);
  }

  /** Whether `rv` is older than the version of `key` the retention rule let go. */
  private releasedNewer(key: string, rv: string | undefined): boolean {
    return this.released.has(key) && isOlder(rv, this.released.get(key));
  }

  /** Registers handlers; call before start(). */
  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    void this.run();
    await this.waitForSync();
  }

  /** Resolves once the cache holds a full list. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Stops the watch; the cache stays readable. */
  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  /** The cached object with this key. */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  /** Maintains an index `name` of the cache by the values `fn` derives; call before start(). */
  addIndex(name: string, fn: IndexFn<T>): void {
    this.indexes.set(name, { fn, values: new Map() });
  }

  /** The cached objects whose index `name` holds `value` (without scanning the cache). */
  byIndex(name: string, value: string): T[] {
    const idx = this.indexes.get(name);
    if (!idx) throw new Error(`informer has no index "${name}"`);
    return [...(idx.values.get(value)?.values() ?? [])];
  }

  /**
   * Takes in an object that a write of this process returned, so that reconciles read their own writes before the
   * watch delivers them (client-go's mutation cache): no 409 from a stale resourceVersion, no second create.
   * Handlers are not run here but when the watch delivers that version (so events coalesce as before). Ignored
   * when the cache holds this or a newer version, or the object is outside this informer's namespace or selector.
   */
  observe(obj: T): void {
    if (obj.kind !== undefined && obj.kind !== this.ref.kind) return;
    if (this.opts.namespace && obj.metadata.namespace !== this.opts.namespace) return;
    if (!matchesLabels(obj.metadata.labels, this.opts.labelSelector)) return;
    const key = keyOf(obj);
    const rv = obj.metadata.resourceVersion;
    if (this.tombstones.has(key) && !isOlder(this.tombstones.get(key), rv)) return;
    const old = this.cache.get(key);
    if (old && (old.metadata.resourceVersion === rv || isOlder(rv, old.metadata.resourceVersion))) return;
    if (!old && this.releasedNewer(key, rv)) return;
    if (!this.keeps(obj)) {
      this.release(key, rv, old); // handlers hear of it when the watch delivers it
      return;
    }
    if (!this.unannounced.has(key)) this.unannounced.set(key, old);
    this.cache.set(key, obj);
    this.reindex(key, obj, old);
  }

  /** Every cached object, optionally filtered. */
  list(filter?: (obj: T) => boolean): T[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.relist();
        while (!this.stopped) {
          const expired = await this.watchOnce();
          if (expired) break;
        }
        this.backoffMs = 50;
      } catch (err) {
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, this.backoffMs));
        this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
      }
    }
  }

  private async relist(): Promise<void> {
    // in pages: neither end holds a kind's every object at once (50,000 Pods of finished runs, say); the watch then
    // starts from the first page's resourceVersion, so a change made while later pages were read is delivered
    const seen = new Set<string>();
    let rv: string | undefined;
    let cont: string | undefined;
    do {
      const list = await this.client.list<T>(this.ref, this.opts.namespace, { labelSelector: this.opts.labelSelector, limit: RELIST_PAGE, ...(cont ? { continue: cont } : {}) });
      rv ??= list.metadata.resourceVersion ?? '';
      for (const obj of list.items) {
        const key = keyOf(obj);
        seen.add(key);
        this.upsert(key, obj, true);
      }
      cont = list.metadata.continue || undefined;
    } while (cont !== undefined && !this.stopped);
    for (const [key, old] of [...this.cache]) {
      // not listed: gone, unless written after the first page was read (a page before it could not show it)
      if (!seen.has(key) && !isOlder(rv, old.metadata.resourceVersion)) this.remove(key, old);
    }
    this.resourceVersion = rv ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private upsert(key: string, obj: T, relist = false): void {
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) {
      if (this.unannounced.has(key)) this.notify(obj, this.announce(key));
      return;
    }
    if (old && !relist && isOlder(obj.metadata.resourceVersion, old.metadata.resourceVersion)) return;
    if (!old && !relist && this.releasedNewer(key, obj.metadata.resourceVersion)) return;
    const seen = this.unannounced.has(key) ? this.announce(key) : old;
    if (!this.keeps(obj)) {
      this.release(key, obj.metadata.resourceVersion, old);
      this.notify(obj, seen);
      return;
    }
    this.cache.set(key, obj);
    this.reindex(key, obj, old);
    this.notify(obj, seen);
  }

  /** Forgets that a key's handlers are pending; answers the version they last saw. */
  private announce(key: string): T | undefined {
    const seen = this.unannounced.get(key);
    this.unannounced.delete(key);
    return seen;
  }

  private notify(obj: T, old: T | undefined): void {
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(obj, old);
      else h.onAdd?.(obj);
    }
  }

  private remove(key: string, old: T): void {
    if (this.tombstones.size >= 10_000) this.tombstones.clear();
    this.tombstones.set(key, old.metadata.resourceVersion);
    this.unannounced.delete(key);
    this.cache.delete(key);
    this.reindex(key, undefined, old);
    for (const h of this.handlers) h.onDelete?.(old);
  }

  private reindex(key: string, obj: T | undefined, old: T | undefined): void {
    for (const { fn, values } of this.indexes.values()) {
      for (const v of old ? fn(old) : []) {
        const set = values.get(v);
        set?.delete(key);
        if (set?.size === 0) values.delete(v);
      }
      for (const v of obj ? fn(obj) : []) {
        let set = values.get(v);
        if (!set) values.set(v, (set = new Map()));
        set.set(key, obj as T);
      }
    }
  }

  /** Watches until the stream ends; answers true when the server said the resourceVersion expired (relist). */
  private watchOnce(): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let expired = false;
      const onEvent = (type: string, obj: T): void => {
        if (type === 'ERROR') {
          const code = (obj as unknown as { code?: number }).code;
          if (code === 410) expired = true;
          return;
        }
        if (obj?.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
        if (type === 'BOOKMARK') return;
        obj.apiVersion ??= this.ref.apiVersion;
        obj.kind ??= this.ref.kind;
        const key = keyOf(obj);
        if (type === 'DELETED') this.remove(key, this.cache.get(key) ?? obj);
        else this.upsert(key, obj);
      };
      const onDone = (err?: unknown): void => {
        this.stopWatch = undefined;
        const code = (err as { code?: number; statusCode?: number } | undefined)?.code ?? (err as { statusCode?: number } | undefined)?.statusCode;
        if (expired || code === 410) resolve(true);
        else if (err && !this.stopped && !String((err as Error).message ?? '').includes('aborted')) reject(err);
        else resolve(false);
      };
      this.client
        .watch<T>(this.ref, this.opts.namespace, { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, labelSelector: this.opts.labelSelector }, onEvent, onDone)
        .then((stop) => {
          if (this.stopped) stop();
          else this.stopWatch = stop;
        })
        .catch(reject);
    });
  }
}
