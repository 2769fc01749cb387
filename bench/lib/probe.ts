/**
 * Commit-time probe: subscribes to the API server's store and records, with performance.now(), when each Pod,
 * TaskRun and PipelineRun was created and when it reached a terminal state (pod phase Succeeded/Failed; the
 * Succeeded condition True/False for runs). It also counts writes per resource, to spot redundant updates.
 * The subscriber runs synchronously inside the store's commit, so it does only map lookups.
 */
import type { KubeObject } from '../../src/api/types.js';
import type { Store, StoreEvent } from '../../src/embedded/apiserver/index.js';

/** Times of one object, in performance.now() milliseconds. */
export interface Times {
  created?: number;
  done?: number;
  /** The terminal outcome: 'Succeeded' or 'Failed' (pods) / 'True' or 'False' (runs). */
  outcome?: string;
}

const KINDS = { '/pods': 'pod', 'tekton.dev/taskruns': 'taskrun', 'tekton.dev/pipelineruns': 'pipelinerun' } as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];

/** Records creation and completion times of pods and runs by name (one namespace is assumed). */
export class Probe {
  readonly times: Record<Kind, Map<string, Times>> = { pod: new Map(), taskrun: new Map(), pipelinerun: new Map() };
  /** Writes (ADDED + MODIFIED + DELETED) per resource. */
  readonly writes = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();
  private readonly unsubscribe: () => void;

  constructor(store: Store) {
    this.unsubscribe = store.subscribe((ev) => this.record(ev));
  }

  /** Stops recording. */
  close(): void {
    this.unsubscribe();
  }

  /** Times of an object of a kind. */
  get(kind: Kind, name: string): Times {
    return this.times[kind].get(name) ?? {};
  }

  /** Resolves when the object is terminal (immediately when it already is). */
  whenDone(kind: Kind, name: string): Promise<Times> {
    const t = this.times[kind].get(name);
    if (t?.done !== undefined) return Promise.resolve(t);
    return new Promise((resolve) => this.waiters.set(`${kind}/${name}`, () => resolve(this.get(kind, name))));
  }

  private record(ev: StoreEvent): void {
    this.writes.set(ev.resource, (this.writes.get(ev.resource) ?? 0) + 1);
    const kind = (KINDS as Record<string, Kind | undefined>)[ev.resource];
    if (!kind || ev.type === 'DELETED') return;
    const now = performance.now();
    const map = this.times[kind];
    let t = map.get(ev.name);
    if (!t) map.set(ev.name, (t = {}));
    if (ev.type === 'ADDED') t.created ??= now;
    if (t.done !== undefined) return;
    const outcome = kind === 'pod' ? podOutcome(ev.object) : runOutcome(ev.object);
    if (!outcome) return;
    t.done = now;
    t.outcome = outcome;
    const key = `${kind}/${ev.name}`;
    const w = this.waiters.get(key);
    if (w) {
      this.waiters.delete(key);
      w();
    }
  }
}

function podOutcome(obj: KubeObject): string | undefined {
  const phase = (obj as { status?: { phase?: string } }).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' ? phase : undefined;
}

function runOutcome(obj: KubeObject): string | undefined {
  const conds = (obj as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions;
  const c = conds?.find((x) => x.type === 'Succeeded');
  return c && c.status !== 'Unknown' ? c.status : undefined;
}
