/**
 * A small watched set of objects (one PipelineRun, its TaskRuns): list, then watch from the list's
 * resourceVersion, relisting when the watch expires. Used by a run page's event stream while it is open.
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient, ListOptions } from '../../kube/client.js';

export class ObjectSet<T extends KubeObject> {
  readonly items = new Map<string, T>();
  private stopped = false;
  private stopWatch?: () => void;
  private synced = false;

  constructor(
    private readonly client: KubeClient,
    private readonly ref: KindRef,
    private readonly namespace: string,
    private readonly selector: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
    private readonly onChange: () => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts; resolves after the first list. */
  start(): Promise<void> {
    return new Promise((resolve) => void this.loop(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  private async loop(synced: () => void): Promise<void> {
    let backoff = 200;
    while (!this.stopped) {
      try {
        const list = await this.client.list<T>(this.ref, this.namespace, this.selector);
        this.items.clear();
        for (const o of list.items) this.items.set(o.metadata.name ?? '', o);
        if (!this.synced) {
          this.synced = true;
          synced();
        } else this.onChange();
        let rv = list.metadata.resourceVersion ?? '';
        while (!this.stopped && rv) rv = await this.watchOnce(rv);
      } catch (err) {
        if (this.stopped) return;
        this.onError(err);
        if (!this.synced) {
          this.synced = true;
          synced();
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** Watches from `rv`; answers the resourceVersion to resume from, '' to relist. */
  private watchOnce(rv: string): Promise<string> {
    return new Promise((resolve, reject) => {
      let last = rv;
      let expired = false;
      void this.client.watch<T>(this.ref, this.namespace, { ...this.selector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 300 }, (type, obj) => {
        if (type === 'ERROR') {
          expired = true;
          return;
        }
        if (obj.metadata?.resourceVersion) last = obj.metadata.resourceVersion;
        if (type === 'BOOKMARK') return;
        obj.apiVersion ??= this.ref.apiVersion;
        obj.kind ??= this.ref.kind;
        if (type === 'DELETED') this.items.delete(obj.metadata.name ?? '');
        else this.items.set(obj.metadata.name ?? '', obj);
        this.onChange();
      }, (err) => {
        this.stopWatch = undefined;
        if (expired || (err as { code?: number } | undefined)?.code === 410) resolve('');
        else if (err) reject(err);
        else resolve(last);
      }).then((s) => {
        this.stopWatch = s;
        if (this.stopped) s();
      }, reject);
    });
  }
}
