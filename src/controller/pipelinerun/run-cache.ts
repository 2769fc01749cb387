/**
 * What the PipelineRun reconciler keeps per run between reconciles, so that a run of thousands of tasks is not
 * resolved and derived from scratch on each of its hundreds of reconciles:
 * - the fetched PipelineSpec, reused while the run's generation is unchanged and its status holds the spec (as
 *   Tekton: once stored in the status, the spec is the run's source of truth; a changed Pipeline changes nothing);
 * - the task entries: fetched each reconcile for the tasks not started yet (a deleted or changed Task is seen; a
 *   started one keeps its TaskRun's status.taskSpec, see fetchTaskSpecs), but the previous map object is kept when
 *   every entry is equal, so that the engine's memo (keyed on object identity) stays valid;
 * - the engine's {@link PlanMemo};
 * - the last status written and the resourceVersion it got, so that the next status is compared with it (shared,
 *   unchanged parts compare by identity) rather than with a freshly parsed copy of a status of megabytes.
 * Entries are per run uid and bounded in number (least recently used dropped).
 */
import type { PipelineRun, PipelineRunStatus } from '../../api/types.js';
import { type PlanMemo, newPlanMemo } from '../../engine/pipelinerun/index.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { FetchedPipeline, TaskEntry } from './resolve.js';

type Fetched = Extract<FetchedPipeline, { ok: true }>;

/** One run's cache. */
export interface RunCacheEntry {
  uid: string | undefined;
  generation: number | undefined;
  fetched?: Fetched;
  tasks?: Map<string, TaskEntry>;
  memo: PlanMemo;
  written?: { resourceVersion: string; status: PipelineRunStatus };
}

/** Runs kept at most (a run's entry is rebuilt, at the cost of one full reconcile, if it was dropped). */
const MAX_RUNS = 2000;


/** Per-run caches by key (`namespace/name`). */
export class RunCaches {
  private readonly byKey = new Map<string, RunCacheEntry>();

  /** The entry of this run (a new one when the key now names another run or its spec changed). */
  entry(key: string, pr: PipelineRun): RunCacheEntry {
    const old = this.byKey.get(key);
    this.byKey.delete(key);
    let e = old;
    if (!e || e.uid !== pr.metadata.uid || e.generation !== pr.metadata.generation) {
      // a new generation (e.g. a cancel) keeps the last written status: it is the same run
      const written = old && old.uid === pr.metadata.uid ? old.written : undefined;
      e = { uid: pr.metadata.uid, generation: pr.metadata.generation, memo: newPlanMemo(), ...(written ? { written } : {}) };
    }
    this.byKey.set(key, e);
    if (this.byKey.size > MAX_RUNS) this.byKey.delete(this.byKey.keys().next().value as string);
    return e;
  }

  /** Forgets a run (finished or gone). */
  drop(key: string): void {
    this.byKey.delete(key);
  }

  /** Number of runs kept (tests). */
  get size(): number {
    return this.byKey.size;
  }
}

/** The fetched spec to use: the cached one while the run's status holds the spec it was resolved to. */
export function cachedSpec(e: RunCacheEntry, pr: PipelineRun): Fetched | undefined {
  return pr.status?.pipelineSpec && e.fetched ? e.fetched : undefined;
}

/** `fresh`, or the cached map when every entry is equal (keeps the engine memo valid). */
export function stableTasks(e: RunCacheEntry, fresh: Map<string, TaskEntry>): Map<string, TaskEntry> {
  const old = e.tasks;
  if (old && old.size === fresh.size) {
    const compared = new Map<TaskEntry, TaskEntry>();
    let same = true;
    for (const [name, entry] of fresh) {
      const before = old.get(name);
      if (before === undefined) same = false;
      else if (compared.get(entry) !== before) {
        // the entries of several pipeline tasks naming one Task are one object: compare it once
        if (!jsonEqual(before, entry)) same = false;
        else compared.set(entry, before);
      }
      if (!same) break;
    }
    if (same) return old;
  }
  e.tasks = fresh;
  return fresh;
}

/** The run with the status last written in place of the one read, when the read one is that write. */
export function withWrittenStatus(e: RunCacheEntry, pr: PipelineRun): PipelineRun {
  const w = e.written;
  return w && w.resourceVersion === pr.metadata.resourceVersion ? { ...pr, status: w.status } : pr;
}
