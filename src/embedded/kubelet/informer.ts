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

/** Starts the loop. */
export function startInformer<T extends KubeObject>(opts: InformerOptions<T>): Informer {
  let stopped = false;
  let abort: (() => void) | undefined;
  let wake: (() => void) | undefined;
  let markSynced!: () => void;
  const synced = new Promise<void>((r) => { markSynced = r; });
  const sleep = (ms: number): Promise<void> => new Promise((r) => {
    const t = setTimeout(r, ms);
    wake = () => { clearTimeout(t); r(); };
  });

  const watchOnce = (rv: string, seen: (rv: string) => void): Promise<WatchEnd> => new Promise((resolve) => {
    let end: WatchEnd = 'ended';
    const onEvent = (type: WatchEventType, obj: T): void => {
      if (type === 'ERROR') {
        end = 'relist';
        return;
      }
      if (obj?.metadata?.resourceVersion) seen(obj.metadata.resourceVersion);
      if (type === 'BOOKMARK') return;
      try {
        opts.onEvent(type, obj);
      } catch (err) {
        opts.log.warn(`kubelet: ${opts.ref.kind} event: ${(err as Error).message}`);
      }
    };
    const onDone = (err?: unknown): void => {
      if (err && !stopped) opts.log.warn(`kubelet: watch ${opts.ref.kind}: ${(err as Error).message ?? String(err)}`);
      resolve(err ? 'relist' : end);
    };
    opts.client.watch<T>(opts.ref, undefined, { resourceVersion: rv, allowWatchBookmarks: true }, onEvent, onDone)
      .then((a) => { abort = a; if (stopped) a(); }, (err: unknown) => onDone(err ?? new Error('watch failed')));
  });

  const loop = async (): Promise<void> => {
    let backoff = 100;
    while (!stopped) {
      try {
        const list = await opts.client.list<T>(opts.ref);
        await opts.onSync(list.items);
        markSynced();
        backoff = 100;
        let rv = list.metadata.resourceVersion ?? '';
        for (let quick = 0; !stopped;) {
          const began = Date.now();
          if ((await watchOnce(rv, (v) => { rv = v; })) === 'relist') break;
          quick = Date.now() - began < 1000 ? quick + 1 : 0;
          if (quick > 3) await sleep(Math.min(100 * quick, 2000));
        }
      } catch (err) {
        if (stopped) break;
        if (!isGone(err)) opts.log.warn(`kubelet: list ${opts.ref.kind}: ${(err as Error).message} (retrying in ${backoff} ms)`);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  };
  void loop();
  return {
    synced,
    stop() {
      stopped = true;
      abort?.();
      wake?.();
    },
  };
}
