/**
 * A supervised informer: lists a kind, then watches from the list's resourceVersion, keeping a local cache and
 * telling handlers about adds, updates and deletes. A watch that ends is resumed from the last seen
 * resourceVersion; a 410 Expired (or any error) leads to a relist after a short backoff. It never gives up.
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient } from '../../kube/client.js';

export interface InformerHandlers<T extends KubeObject> {
  onAdd?: (obj: T) => void;
  onUpdate?: (obj: T, old: T) => void;
  onDelete?: (obj: T) => void;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key reconcilers work on. */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : String(obj.metadata.name);
}

/** Splits a key into namespace and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** List + watch of one kind (all namespaces unless given) with a local cache. */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
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
    private readonly opts: { namespace?: string; labelSelector?: string; onError?: (err: unknown) => void } = {},
  ) {}

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
    const list = await this.client.list<T>(this.ref, this.opts.namespace, { labelSelector: this.opts.labelSelector });
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = keyOf(obj);
      seen.add(key);
      this.upsert(key, obj);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        for (const h of this.handlers) h.onDelete?.(old);
      }
    }
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private upsert(key: string, obj: T): void {
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(key, obj);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(obj, old);
      else h.onAdd?.(obj);
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
        if (type === 'DELETED') {
          const old = this.cache.get(key) ?? obj;
          this.cache.delete(key);
          for (const h of this.handlers) h.onDelete?.(old);
        } else {
          this.upsert(key, obj);
        }
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
