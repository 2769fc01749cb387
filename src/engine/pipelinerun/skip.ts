/**
 * Tekton's skip rules (pipelinerunresolution.go `skip` and `IsFinallySkipped`), in Tekton's order of
 * precedence. DAG tasks are visited in dependency order so each rule can read its parents' verdicts:
 * a `when` skip guards only its own task, every other skip cascades as "Parent Tasks were skipped".
 */
import type { PipelineTask } from '../../api/types.js';
import { type Ctx, matrixOf, scopeFor } from './context.js';
import { hasEmptyArray, substituteMatrix } from './matrix.js';
import { PipelineRunReason, SkipReason, type SkipReasonValue } from './reasons.js';
import { firstMissing } from './results.js';
import { type TaskState, isSettled, isStoppingFailure } from './state.js';
import { evaluateWhen, substituteWhen } from './when.js';

/** Global flags the rules read. */
export interface SkipFlags {
  stopping: boolean;
  gracefullyCancelled: boolean;
  gracefullyStopped: boolean;
  pipelineTimedOut: boolean;
  tasksTimedOut: boolean;
  finallyTimedOut: boolean;
}

/** A DAG task failed (without onError: continue) or could not start: no new DAG task may start. */
export function isStopping(ctx: Ctx): boolean {
  return ctx.dagTasks.some(isStoppingFailure);
}

/** Sets `skip` on every unscheduled DAG task (clearing earlier verdicts first). */
export function computeDagSkips(ctx: Ctx, flags: SkipFlags): void {
  for (const name of ctx.dag.order) {
    const s = ctx.byName.get(name) as TaskState;
    s.skip = undefined;
    if (s.runs.length > 0 || s.invalid) continue;
    s.skip = dagSkip(ctx, s, flags);
  }
}

function dagSkip(ctx: Ctx, s: TaskState, flags: SkipFlags): SkipReasonValue | undefined {
  if (flags.stopping) return SkipReason.Stopping;
  if (flags.gracefullyCancelled) return SkipReason.GracefullyCancelled;
  if (flags.gracefullyStopped) return SkipReason.GracefullyStopped;
  const parents = ctx.dag.prev(s.pt.name).map((p) => ctx.byName.get(p) as TaskState);
  if (parents.some((p) => p.skip !== undefined && p.skip !== SkipReason.When)) return SkipReason.ParentSkipped;
  if (!parents.every(isSettled)) return undefined;
  const missing = firstMissing(s.refs, scopeFor(ctx, s.pt));
  if (missing && (s.pt.onError === 'continue' || ctx.byName.get(missing.task)?.skip === SkipReason.When)) return SkipReason.MissingResults;
  if (!whenAllows(ctx, s.pt)) return SkipReason.When;
  if (flags.pipelineTimedOut) return SkipReason.PipelineTimeout;
  if (flags.tasksTimedOut) return SkipReason.TasksTimeout;
  if (matrixIsEmpty(ctx, s)) return SkipReason.EmptyMatrix;
  return undefined;
}

/**
 * Sets `skip` on unscheduled finally tasks once every DAG task is settled: missing results (of any cause),
 * `when`, timeouts, empty matrix. Finally tasks never inherit skips and are not stopped by failures.
 */
export function computeFinallySkips(ctx: Ctx, flags: SkipFlags, dagDone: boolean): void {
  for (const s of ctx.finallyTasks) {
    s.skip = undefined;
    if (s.runs.length > 0 || !dagDone) continue;
    s.skip = finallySkip(ctx, s, flags);
  }
}

function finallySkip(ctx: Ctx, s: TaskState, flags: SkipFlags): SkipReasonValue | undefined {
  if (firstMissing(s.refs, scopeFor(ctx, s.pt))) return SkipReason.MissingResults;
  if (!whenAllows(ctx, s.pt)) return SkipReason.When;
  if (flags.pipelineTimedOut) return SkipReason.PipelineTimeout;
  if (flags.finallyTimedOut) return SkipReason.FinallyTimeout;
  if (matrixIsEmpty(ctx, s)) return SkipReason.EmptyMatrix;
  return undefined;
}

/** Evaluates the task's `when` at the current scope; a CEL error ends the run. */
function whenAllows(ctx: Ctx, pt: PipelineTask): boolean {
  if (!pt.when || pt.when.length === 0) return true;
  const verdict = evaluateWhen(substituteWhen(pt.when, scopeFor(ctx, pt)));
  if (verdict.ok) return verdict.allowed;
  ctx.failure ??= { reason: PipelineRunReason.CELEvaluationFailed, message: `pipeline task "${pt.name}": ${verdict.message}` };
  return false;
}

function matrixIsEmpty(ctx: Ctx, s: TaskState): boolean {
  if (!s.pt.matrix) return false;
  const m = substituteMatrix(s.pt.matrix, scopeFor(ctx, s.pt));
  if (!m.ok) {
    matrixOf(ctx, s);
    return false;
  }
  return hasEmptyArray(m);
}

/**
 * `$(tasks.status)` for finally tasks: None until every DAG task is settled, then Failed if any DAG task's
 * TaskRun failed, Completed if any was skipped, else Succeeded.
 */
export function aggregateStatus(ctx: Ctx, dagDone: boolean): string {
  if (!dagDone) return 'None';
  if (ctx.dagTasks.some((s) => s.runs.some((r) => r.status?.conditions?.some((c) => c.type === 'Succeeded' && c.status === 'False')))) return 'Failed';
  if (ctx.dagTasks.some((s) => s.skip !== undefined)) return 'Completed';
  return 'Succeeded';
}
