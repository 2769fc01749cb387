/**
 * The PipelineRun status Tekton writes (pipelinerunstate.go GetPipelineConditionStatus, GetSkippedTasks,
 * GetChildReferences): task counts, the `Succeeded` condition with Tekton's reasons and messages, the
 * children list and the skipped list.
 */
import type { ChildStatusReference, SkippedTask } from '../../api/types.js';
import { formatDuration } from '../durations.js';
import { type Ctx, scopeFor } from './context.js';
import { PipelineRunReason, isTimeoutSkip } from './reasons.js';
import { allRuns } from './schedule.js';
import type { TaskState } from './state.js';
import { substituteWhen } from './when.js';
import { replaceString } from '../substitution/replace.js';

/** Tekton's pipelineRunStatusCount. */
export interface Counts {
  succeeded: number;
  failed: number;
  ignoredFailed: number;
  cancelled: number;
  skipped: number;
  skippedByTimeout: number;
  timedOut: number;
  invalid: number;
  incomplete: number;
}

/** Counts tasks by outcome; tasks created by this plan are incomplete. */
export function countTasks(states: readonly TaskState[]): Counts {
  const c: Counts = { succeeded: 0, failed: 0, ignoredFailed: 0, cancelled: 0, skipped: 0, skippedByTimeout: 0, timedOut: 0, invalid: 0, incomplete: 0 };
  for (const s of states) {
    if (s.outcome === 'succeeded') c.succeeded++;
    else if (s.skip !== undefined) {
      c.skipped++;
      if (isTimeoutSkip(s.skip)) c.skippedByTimeout++;
    } else if (s.outcome === 'timedOut') {
      c.failed++;
      c.timedOut++;
    } else if (s.outcome === 'cancelled') c.cancelled++;
    else if (s.outcome === 'failed') {
      if (s.ignored) c.ignoredFailed++;
      else c.failed++;
    } else if (s.invalid) c.invalid++;
    else c.incomplete++;
  }
  return c;
}

/** The value of the `Succeeded` condition. */
export interface ConditionValue {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** Global circumstances the condition depends on. */
export interface RunCircumstances {
  gracefullyCancelled: boolean;
  gracefullyStopped: boolean;
  /** The timeout that cancelled or skipped tasks of this run, if one did (tasks or finally). */
  firedTimeout?: FiredTimeout;
  hasFinally: boolean;
  finallyDone: boolean;
}

/** Which of spec.timeouts stopped tasks of the run, and its value in ms. */
export interface FiredTimeout {
  kind: 'tasks' | 'finally';
  ms: number;
}

/** `PipelineRun "x" failed to finish within "1h0m0s"` (the pipeline timeout). */
export function timeoutMessage(name: string, ms: number): string {
  return `PipelineRun "${name}" failed to finish within "${formatDuration(ms)}"`;
}

/** Tekton's message when the tasks timeout ended the run. */
export function tasksTimeoutMessage(name: string, ms: number): string {
  return `PipelineRun "${name}" failed due to tasks failed to finish within "${formatDuration(ms)}"`;
}

/** Tekton's GetPipelineConditionStatus over the counts. */
export function conditionOf(ctx: Ctx, c: Counts, at: RunCircumstances): ConditionValue {
  const name = ctx.pr.metadata.name ?? '';
  const completed = c.succeeded + c.failed + c.cancelled + c.ignoredFailed;
  const totalFailed = c.failed + c.ignoredFailed;
  if (c.incomplete > 0) {
    const message = `Tasks Completed: ${completed} (Failed: ${totalFailed}, Cancelled ${c.cancelled}), Incomplete: ${c.incomplete}, Skipped: ${c.skipped}`;
    return { status: 'Unknown', reason: runningReason(c, at), message };
  }
  const failedPart = c.ignoredFailed > 0 ? `${totalFailed} (Ignored: ${c.ignoredFailed})` : `${totalFailed}`;
  const message = `Tasks Completed: ${completed} (Failed: ${failedPart}, Cancelled ${c.cancelled}), Skipped: ${c.skipped}`;
  // a finally timeout has no reason of its own in Tekton: its cancelled finally tasks count as failed
  if (at.firedTimeout?.kind === 'tasks') return { status: 'False', reason: PipelineRunReason.Timeout, message: tasksTimeoutMessage(name, at.firedTimeout.ms) };
  const invalid = [...ctx.dagTasks, ...ctx.finallyTasks].find((s) => s.invalid)?.invalid;
  if (invalid) return { status: 'False', reason: invalid.reason, message: invalid.message };
  if (c.failed > 0 || c.skippedByTimeout > 0) return { status: 'False', reason: PipelineRunReason.Failed, message };
  if (at.gracefullyCancelled || at.gracefullyStopped) {
    return { status: 'False', reason: PipelineRunReason.Cancelled, message: `PipelineRun "${name}" was cancelled` };
  }
  if (c.cancelled > 0) return { status: 'False', reason: PipelineRunReason.Cancelled, message };
  return { status: 'True', reason: c.skipped > 0 ? PipelineRunReason.Completed : PipelineRunReason.Succeeded, message };
}

function runningReason(c: Counts, at: RunCircumstances): string {
  if (at.gracefullyCancelled) return PipelineRunReason.CancelledRunningFinally;
  if (at.gracefullyStopped) return PipelineRunReason.StoppedRunningFinally;
  if (at.firedTimeout?.kind === 'tasks') return at.hasFinally && !at.finallyDone ? PipelineRunReason.TimeoutRunningFinally : PipelineRunReason.Stopping;
  if (c.cancelled > 0 || ((c.failed > 0 || c.invalid > 0) && at.finallyDone)) return PipelineRunReason.Stopping;
  return PipelineRunReason.Running;
}

/**
 * One reference per child TaskRun, PipelineRun or CustomRun (existing or created now), in pipeline order. References
 * without substituted fields come from the memo (the same objects each plan: a status of thousands of children is
 * compared by identity).
 */
export function childReferences(ctx: Ctx): ChildStatusReference[] {
  const out: ChildStatusReference[] = [];
  const memo = ctx.facts.memo;
  const cache = memo ? (memo.refs ??= new Map()) : undefined;
  for (const s of [...ctx.dagTasks, ...ctx.finallyTasks]) {
    if (s.runs.length === 0 && s.created.length === 0) continue;
    const runs = allRuns(s);
    const displayName = s.pt.displayName ? replaceString(s.pt.displayName, scopeFor(ctx, s.pt)) : undefined;
    const when = s.pt.when?.length ? substituteWhen(s.pt.when, scopeFor(ctx, s.pt)) : undefined;
    const apiVersion = s.kind === 'CustomRun' ? 'tekton.dev/v1beta1' : 'tekton.dev/v1';
    for (const tr of runs) {
      const name = tr.metadata.name ?? '';
      const plain = !displayName && !when;
      const cached = plain ? cache?.get(name) : undefined;
      if (cached && cached.kind === s.kind && cached.pipelineTaskName === s.pt.name) {
        out.push(cached);
        continue;
      }
      const ref: ChildStatusReference = { apiVersion, kind: s.kind, name, pipelineTaskName: s.pt.name };
      if (displayName) ref.displayName = displayName;
      if (when) ref.whenExpressions = when;
      if (plain) cache?.set(name, ref);
      out.push(ref);
    }
  }
  return out;
}

/** status.skippedTasks: every skipped task with its reason and (substituted) when expressions. */
export function skippedTasks(ctx: Ctx): SkippedTask[] {
  const out: SkippedTask[] = [];
  for (const s of [...ctx.dagTasks, ...ctx.finallyTasks]) {
    if (s.skip === undefined) continue;
    const t: SkippedTask = { name: s.pt.name, reason: s.skip };
    if (s.pt.when?.length) t.whenExpressions = substituteWhen(s.pt.when, scopeFor(ctx, s.pt));
    out.push(t);
  }
  return out;
}
