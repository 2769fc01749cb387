/**
 * A small informer: list, then watch from the list's resourceVersion, keeping the latest version of every
 * object of a selection. The watch is re-established (with a fresh list) whenever it ends or fails, so a
 * follower never misses the update that ends its wait. Followers wait with {@link Watched.waitUntil}.
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient } from '../../kube/client.js';
import { ApiError, isUnreachable } from '../../kube/errors.js';

/** What to watch. */
export interface WatchSelection {
  labelSelector?: string;
  fieldSelector?: string;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_UNREACHABLE_RETRIES = 8;

/** The latest state of a watched selection of objects. */
export class Watched<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly deleted = new Set<string>();
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(obj: T) => void>();
  private stopWatch?: () => void;
  private stopped = false;
  private failure?: unknown;
  private failures = 0;
  private unlisten?: () => void;

  private constructor(private readonly client: KubeClient, private readonly ref: KindRef, private readonly ns: string, private readonly sel: WatchSelection) {}

  /** Lists and starts watching; resolves after the first list. */
  static async start<T extends KubeObject>(client: KubeClient, ref: KindRef, ns: string, sel: WatchSelection, signal?: AbortSignal): Promise<Watched<T>> {
    const w = new Watched<T>(client, ref, ns, sel);
    if (signal?.aborted) {
      w.stop();
      return w;
    }
    if (signal) {
      const onAbort = (): void => w.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      w.unlisten = () => signal.removeEventListener('abort', onAbort); // one signal serves every pod of a run
    }
    await w.relist();
    return w;
  }

  /** Watches one object by name. */
  static one<T extends KubeObject>(client: KubeClient, ref: KindRef, ns: string, name: string, signal?: AbortSignal): Promise<Watched<T>> {
    return Watched.start<T>(client, ref, ns, { fieldSelector: `metadata.name=${name}` }, signal);
  }

  /** The latest version of an object, if seen and not deleted. */
  get(name: string): T | undefined {
    return this.objects.get(name);
  }

  /** True once the object was seen deleted (or vanished from a relist). */
  isDeleted(name: string): boolean {
    return this.deleted.has(name);
  }

  /** Every current object. */
  all(): T[] {
    return [...this.objects.values()];
  }

  /** Calls `fn` for every object now and on every later change. */
  onChange(fn: (obj: T) => void): void {
    this.listeners.add(fn);
    for (const o of this.objects.values()) fn(o);
  }

  /** Resolves when `test` is true (checked now and after every change); rejects if the watch failed for good. */
  waitUntil(test: () => boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopped || test()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.add({ test, resolve, reject }));
  }

  /** A fresh list (picks up anything a watch could have missed), then the watch again. */
  async relist(): Promise<void> {
    this.stopWatch?.();
    const list = await this.client.list<T>(this.ref, this.ns, this.sel);
    const seen = new Set<string>();
    for (const item of list.items) {
      const name = item.metadata.name ?? '';
      seen.add(name);
      this.objects.set(name, item);
      this.deleted.delete(name);
    }
    for (const name of [...this.objects.keys()]) if (!seen.has(name)) this.markDeleted(name);
    this.notify(list.items);
    if (this.stopped) return;
    const opts = { ...this.sel, resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true };
    const stop = await this.client.watch<T>(this.ref, this.ns, opts, (type, obj) => this.onEvent(type, obj), (err) => this.onWatchEnd(err));
    if (this.stopped) stop();
    else this.stopWatch = stop;
  }

  private markDeleted(name: string): void {
    this.objects.delete(name);
    this.deleted.add(name);
  }

  private onEvent(type: string, obj: T): void {
    if (type === 'BOOKMARK' || type === 'ERROR' || !obj?.metadata?.name) return;
    this.failures = 0;
    if (type === 'DELETED') this.markDeleted(obj.metadata.name);
    else {
      this.objects.set(obj.metadata.name, obj);
      this.deleted.delete(obj.metadata.name);
    }
    this.notify([obj]);
  }

  private notify(changed: T[]): void {
    for (const obj of changed) for (const fn of this.listeners) if (this.objects.has(obj.metadata.name ?? '')) fn(obj);
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  private onWatchEnd(err: unknown): void {
    if (this.stopped) return;
    this.stopWatch = undefined;
    const delay = Math.min(2000, 25 * 2 ** this.failures);
    this.failures++;
    setTimeout(() => void this.retry(err), delay);
  }

  private async retry(cause: unknown): Promise<void> {
    if (this.stopped) return;
    try {
      await this.relist();
    } catch (err) {
      if (isUnreachable(err) && this.failures > MAX_UNREACHABLE_RETRIES) return this.fail(err);
      if (err instanceof ApiError && err.code >= 400 && err.code < 500 && err.code !== 410 && err.code !== 429) return this.fail(err);
      this.onWatchEnd(err ?? cause);
    }
  }

  private fail(err: unknown): void {
    this.failure = err;
    this.stop();
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
  }

  /** Stops watching; pending waits resolve (their tests decide what happened). */
  stop(): void {
    this.unlisten?.();
    this.stopped = true;
    this.stopWatch?.();
    this.stopWatch = undefined;
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
  }
}
