/**
 * Where each pipeline task stands, derived only from the child TaskRuns that exist now (level-triggered): not
 * started, running, or finished as succeeded / failed / cancelled / cancelled by a PipelineRun timeout.
 * Mirrors Tekton's ResolvedPipelineTask predicates, including the matrix rule (a fanned-out task is finished
 * only when every one of its TaskRuns is).
 */
import type { CustomRun, PipelineRun, PipelineTask, TaskRun } from '../../api/types.js';
import { getSucceeded, isDone as runIsDone } from '../conditions.js';
import type { Failure } from './params.js';
import {
  CUSTOMRUN_CANCELLED, CUSTOMRUN_TIMEOUT_MESSAGE, PipelineRunReason, TASKRUN_CANCELLED, TIMEOUT_MESSAGE, type SkipReasonValue,
} from './reasons.js';
import type { TaskRef } from './refs.js';
import type { TaskEntry } from './types.js';

/** Terminal or not: `pending` has no TaskRun yet; `timedOut` was cancelled by a PipelineRun timeout. */
export type Outcome = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timedOut';

/** A child of a PipelineRun: a TaskRun, a child PipelineRun (Pipelines in Pipelines) or a CustomRun. */
export type ChildRun = TaskRun | PipelineRun | CustomRun;
/** The kind of child a pipeline task creates. */
export type ChildKind = 'TaskRun' | 'PipelineRun' | 'CustomRun';

/** Tekton's IsCustomTask: a taskRef or taskSpec with both apiVersion and kind set. */
export function isCustomTask(pt: PipelineTask): boolean {
  return Boolean((pt.taskRef?.apiVersion && pt.taskRef.kind) || (pt.taskSpec?.apiVersion && pt.taskSpec.kind));
}

/** What a pipeline task runs as. */
export function childKindOf(pt: PipelineTask): ChildKind {
  if (pt.pipelineRef || pt.pipelineSpec) return 'PipelineRun';
  return isCustomTask(pt) ? 'CustomRun' : 'TaskRun';
}

/** One pipeline task during a reconcile. */
export interface TaskState {
  pt: PipelineTask;
  /** The kind of its children. */
  kind: ChildKind;
  isFinally: boolean;
  entry: TaskEntry | undefined;
  refs: TaskRef[];
  /** Existing children, in matrix order. */
  runs: ChildRun[];
  /** Children created by this plan. */
  created: ChildRun[];
  outcome: Outcome;
  /** Failed (or cancelled) but the pipeline task has `onError: continue`. */
  ignored: boolean;
  skip?: SkipReasonValue;
  /** Set when the task cannot start because a result it needs was never produced. */
  invalid?: Failure;
}

/** Groups the run's children by pipeline task, ignoring children owned by another PipelineRun of the same name. */
export function groupRuns<T extends ChildRun>(pr: PipelineRun, taskRuns: readonly T[]): Map<string, T[]> {
  const uid = pr.metadata.uid;
  const out = new Map<string, T[]>();
  for (const tr of taskRuns) {
    const owners = tr.metadata.ownerReferences ?? [];
    if (uid && owners.length > 0 && !owners.some((o) => o.uid === uid)) continue;
    const pt = tr.metadata.labels?.['tekton.dev/pipelineTask'];
    if (!pt) continue;
    const list = out.get(pt) ?? [];
    list.push(tr);
    out.set(pt, list);
  }
  for (const list of out.values()) list.sort(byMatrixIndex);
  return out;
}

function matrixIndex(tr: ChildRun): number {
  const m = /-(\d+)$/.exec(tr.metadata.name ?? '');
  return m ? Number(m[1]) : 0;
}

function byMatrixIndex(a: ChildRun, b: ChildRun): number {
  // by code unit (the order of localeCompare for DNS names, without ICU's ~10 ms first use in a process)
  const an = a.metadata.name ?? '';
  const bn = b.metadata.name ?? '';
  return matrixIndex(a) - matrixIndex(b) || (an < bn ? -1 : an > bn ? 1 : 0);
}

/** True when the child was cancelled because a PipelineRun timeout fired (TaskRuns and CustomRuns say so). */
export function cancelledByTimeout(r: ChildRun): boolean {
  const c = getSucceeded(r.status);
  if (c?.status !== 'False') return false;
  if (r.kind === 'CustomRun') return c.reason === CUSTOMRUN_CANCELLED && r.spec.statusMessage === CUSTOMRUN_TIMEOUT_MESSAGE;
  return r.kind === 'TaskRun' && r.spec.statusMessage === TIMEOUT_MESSAGE && r.spec.status === 'TaskRunCancelled';
}

const CANCELLED_REASONS = new Set<string>([TASKRUN_CANCELLED, CUSTOMRUN_CANCELLED, PipelineRunReason.Cancelled]);

/**
 * The outcome of a task from its runs; `expected` is how many runs it must have (matrix fan-out), so a
 * partially created matrix is still running.
 */
export function outcomeOf(runs: readonly ChildRun[], expected: number): Outcome {
  if (runs.length === 0) return 'pending';
  if (runs.length < expected || !runs.every((r) => runIsDone(r.status))) return 'running';
  if (runs.every((r) => getSucceeded(r.status)?.status === 'True')) return 'succeeded';
  if (runs.some(cancelledByTimeout)) return 'timedOut';
  if (runs.some((r) => CANCELLED_REASONS.has(getSucceeded(r.status)?.reason ?? ''))) return 'cancelled';
  return 'failed';
}

/** Finished: succeeded, failed or cancelled in any way. */
export function isTerminal(o: Outcome): boolean {
  return o === 'succeeded' || o === 'failed' || o === 'cancelled' || o === 'timedOut';
}

/** Tekton's isDone for scheduling and for "all DAG tasks are done": skipped, finished, or found invalid. */
export function isSettled(s: TaskState): boolean {
  return s.skip !== undefined || isTerminal(s.outcome) || s.invalid !== undefined;
}

/** A failure that stops the run (not covered by `onError: continue`). */
export function isStoppingFailure(s: TaskState): boolean {
  if (s.invalid) return true;
  return (s.outcome === 'failed' || s.outcome === 'cancelled' || s.outcome === 'timedOut') && !s.ignored;
}

/** `$(tasks.X.status)`: Succeeded, Failed, or None (skipped or not run). */
export function executionStatus(s: TaskState): string {
  if (s.outcome === 'succeeded') return 'Succeeded';
  if (s.runs.some((r) => getSucceeded(r.status)?.status === 'False')) return 'Failed';
  return 'None';
}

/** `$(tasks.X.reason)`: the reason of the failed TaskRun if any, else of the first one; empty when not run. */
export function executionReason(s: TaskState): string {
  const failed = s.runs.find((r) => getSucceeded(r.status)?.status === 'False');
  return getSucceeded((failed ?? s.runs[0])?.status)?.reason ?? '';
}
