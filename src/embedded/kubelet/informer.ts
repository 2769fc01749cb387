/**
 * A supervised list+watch loop over one kind in all namespaces. It lists, hands the full set to `onSync`, then
 * watches from the list's resourceVersion. A watch that ends cleanly is resumed from the last resourceVersion
 * seen; 410 Gone, an ERROR event or a failed request leads to a relist (after a backoff for failures).
 * Errors are logged, never thrown.
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient, WatchEventType } from '../../kube/client.js';
import { isGone } from '../../kube/errors.js';
import type { KubeletLogger } from './types.js';

/** Callbacks and target of an informer. */
export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  ref: KindRef;
  log: KubeletLogger;
  /** Every (re)list: the complete current set. */
  onSync(items: T[]): void | Promise<void>;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void;
}

/** A running informer. */
export interface Informer {
  /** Resolves after the first successful list has been handed to onSync. */
  synced: Promise<void>;
  stop(): void;
}

type WatchEnd = 'ended' | 'relist';

class ListWatch<T extends KubeObject> implements Informer {
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private stopped = false;
  private abort?: () => void;
  private wake?: () => void;

  constructor(private readonly opts: InformerOptions<T>) {
    this.synced = new Promise<void>((r) => { this.markSynced = r; });
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.();
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      this.wake = () => { clearTimeout(t); r(); };
    });
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        const list = await this.listAll();
        await this.opts.onSync(list.items);
        this.markSynced();
        const began = Date.now();
        await this.watchFrom(list.rv);
        if (Date.now() - began > 1000) backoff = 100;
        else {
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, 5000);
        }
      } catch (err) {
        if (this.stopped) break;
        if (!isGone(err)) this.opts.log.warn(`kubelet: list ${this.opts.ref.kind}: ${(err as Error).message} (retrying in ${backoff} ms)`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /**
   * Every object, read in pages of 500 (the API server then reads a page at a time from its store); the watch
   * starts from the first page's resourceVersion, so a change made while later pages were read is delivered.
   */
  private async listAll(): Promise<{ items: T[]; rv: string }> {
    const items: T[] = [];
    let rv: string | undefined;
    let cont: string | undefined;
    do {
      const page = await this.opts.client.list<T>(this.opts.ref, undefined, { limit: 500, ...(cont ? { continue: cont } : {}) });
      rv ??= page.metadata.resourceVersion ?? '';
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
    } while (cont !== undefined && !this.stopped);
    return { items, rv: rv ?? '' };
  }

  /** Watches (resuming after clean ends) until a relist is needed. */
  private async watchFrom(rv: string): Promise<void> {
    for (let quick = 0; !this.stopped;) {
      const began = Date.now();
      if ((await this.watchOnce(rv, (v) => { rv = v; })) === 'relist') return;
      quick = Date.now() - began < 1000 ? quick + 1 : 0;
      if (quick > 3) await this.sleep(Math.min(100 * quick, 2000));
    }
  }

  private deliver(type: WatchEventType, obj: T): void {
    if (type === 'BOOKMARK' || type === 'ERROR') return;
    try {
      this.opts.onEvent(type, obj);
    } catch (err) {
      this.opts.log.warn(`kubelet: ${this.opts.ref.kind} event: ${(err as Error).message}`);
    }
  }

  private watchOnce(rv: string, seen: (rv: string) => void): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let end: WatchEnd = 'ended';
      const onEvent = (type: WatchEventType, obj: T): void => {
        if (type === 'ERROR') end = 'relist';
        else if (obj?.metadata?.resourceVersion) seen(obj.metadata.resourceVersion);
        this.deliver(type, obj);
      };
      const onDone = (err?: unknown): void => {
        if (err && !this.stopped) this.opts.log.warn(`kubelet: watch ${this.opts.ref.kind}: ${(err as Error).message ?? String(err)}`);
        resolve(err ? 'relist' : end);
      };
      this.opts.client.watch<T>(this.opts.ref, undefined, { resourceVersion: rv, allowWatchBookmarks: true }, onEvent, onDone)
        .then((a) => { this.abort = a; if (this.stopped) a(); }, (err: unknown) => onDone(err ?? new Error('watch failed')));
    });
  }
}

/** Starts the loop. */
export function startInformer<T extends KubeObject>(opts: InformerOptions<T>): Informer {
  return new ListWatch(opts);
}
