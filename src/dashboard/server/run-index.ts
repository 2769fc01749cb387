/**
 * The runs index: every PipelineRun and TaskRun as a small summary (not the object), kept current by list + watch
 * of the API server. Lists are read in pages so that 10,000 runs never sit in memory as full objects; a watch
 * that ends is resumed from its resourceVersion, and an expired one (410) relists. Memory is one summary per run
 * (a few hundred bytes; see docs/performance.md).
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient } from '../../kube/client.js';
import { newestFirst, queryRuns } from '../model/query.js';
import { summaryOf } from '../model/summary.js';
import type { RunKind, RunPage, RunQuery, RunSummary } from '../model/types.js';

const LIST_PAGE = 500;
const KINDS: ReadonlyArray<KindRef & { kind: RunKind }> = [
  { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' },
  { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' },
];

export interface RunIndexOptions {
  /** Watch one namespace only. */
  namespace?: string;
  onError?: (err: unknown) => void;
}

/** Summaries of every run, queried by the runs page and watched by its event stream. */
export class RunIndex {
  private readonly runs = new Map<string, RunSummary>();
  private sorted?: RunSummary[];
  private readonly listeners = new Set<(version: number) => void>();
  private readonly watches = new Set<{ stop: () => void }>();
  private readonly syncedKinds = new Set<RunKind>();
  private stopped = false;
  /** Bumped on every change. */
  version = 0;

  constructor(private readonly client: KubeClient, private readonly opts: RunIndexOptions = {}) {}

  private started?: Promise<void>;

  /**
   * Starts list + watch of both kinds (once; later calls answer the same promise); resolves when both first lists
   * are in. Queries start it too, so a dashboard nobody opens costs nothing.
   */
  start(): Promise<void> {
    this.started ??= Promise.all(KINDS.map((ref) => new Promise<void>((synced) => void this.run(ref, synced)))).then(() => undefined);
    return this.started;
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watches) w.stop();
    this.watches.clear();
  }

  get synced(): boolean {
    return this.syncedKinds.size === KINDS.length;
  }

  get size(): number {
    return this.runs.size;
  }

  /** One page of runs. */
  query(q: RunQuery): RunPage {
    void this.start();
    this.sorted ??= [...this.runs.values()].sort(newestFirst);
    return queryRuns(this.sorted, q, { version: this.version, synced: this.synced });
  }

  /** Namespaces that hold runs. */
  namespaces(): string[] {
    void this.start();
    return [...new Set([...this.runs.values()].map((r) => r.namespace))].sort();
  }

  /** Calls `fn` with the new version after each change; answers the unsubscribe. */
  subscribe(fn: (version: number) => void): () => void {
    void this.start();
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.sorted = undefined;
    this.version++;
    for (const fn of this.listeners) fn(this.version);
  }

  private key(kind: string, obj: KubeObject): string {
    return `${kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  }

  private async run(ref: KindRef & { kind: RunKind }, synced: () => void): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        let rv = await this.relist(ref);
        if (!this.syncedKinds.has(ref.kind)) {
          this.syncedKinds.add(ref.kind);
          synced();
        }
        for (;;) {
          if (this.stopped) return;
          const next = await this.watchOnce(ref, rv);
          if (next === undefined) break;
          rv = next;
          backoff = 100;
        }
      } catch (err) {
        if (this.stopped) return;
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** Lists the kind in pages into the index (dropping runs that are gone); answers the list's resourceVersion. */
  private async relist(ref: KindRef & { kind: RunKind }): Promise<string> {
    const seen = new Set<string>();
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list<KubeObject>(ref, this.opts.namespace, { limit: LIST_PAGE, ...(cont ? { continue: cont } : {}) });
      for (const obj of page.items) {
        const key = this.key(ref.kind, obj);
        seen.add(key);
        this.runs.set(key, summaryOf(ref.kind, obj));
      }
      cont = page.metadata.continue || undefined;
      rv ||= page.metadata.resourceVersion ?? '';
    } while (cont);
    for (const key of this.runs.keys()) if (key.startsWith(`${ref.kind}/`) && !seen.has(key)) this.runs.delete(key);
    this.changed();
    return rv;
  }

  /** One watch from `rv`; answers the last resourceVersion seen, or undefined when a relist is needed. */
  private watchOnce(ref: KindRef & { kind: RunKind }, rv: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const handle = { stop: (): void => undefined };
      this.watches.add(handle);
      let last = rv;
      let expired = false;
      void this.client.watch<KubeObject>(ref, this.opts.namespace, { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 600 }, (type, obj) => {
        if (type === 'ERROR') {
          expired = (obj as unknown as { code?: number }).code === 410;
          return;
        }
        if (obj.metadata?.resourceVersion) last = obj.metadata.resourceVersion;
        if (type === 'BOOKMARK') return;
        const key = this.key(ref.kind, obj);
        if (type === 'DELETED') this.runs.delete(key);
        else this.runs.set(key, summaryOf(ref.kind, obj));
        this.changed();
      }, (err) => {
        this.watches.delete(handle);
        if (expired || (err as { code?: number } | undefined)?.code === 410) resolve(undefined);
        else if (err) reject(err);
        else resolve(last);
      }).then((s) => {
        handle.stop = s;
        if (this.stopped) s();
      }, reject);
    });
  }
}
