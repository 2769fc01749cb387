/**
 * Turns decisions into actions: which tasks start now (DAG candidates whose parents are settled, then the
 * finally tasks once the DAG is done), the TaskRuns to create for them (one per matrix combination), the
 * PVCs to create before the first TaskRun, and the cancellations of running children.
 */
import type { TaskRun } from '../../api/types.js';
import { isDone as runIsDone } from '../conditions.js';
import { candidates } from '../dag.js';
import { childName } from '../names.js';
import { type Ctx, matrixOf, scopeFor } from './context.js';
import { combinationParams } from './matrix.js';
import { PipelineRunReason } from './reasons.js';
import { firstMissing } from './results.js';
import { type TaskState, isSettled } from './state.js';
import { buildTaskRun, taskRunSpecFor } from './taskrun.js';
import { childTimeout } from './timeouts.js';
import { claimsToCreate } from './workspaces.js';

/**
 * The DAG tasks that may start now: parents settled, not started, not skipped. Those whose needed results
 * are missing (and that are not eligible for a "Results were missing" skip) are marked invalid instead.
 * Returns the startable tasks in declaration order (as Tekton), or none when one was found invalid (Tekton
 * schedules nothing then).
 */
export function startableDagTasks(ctx: Ctx): TaskState[] {
  const settled = new Set(ctx.dagTasks.filter(isSettled).map((s) => s.pt.name));
  const next = new Set(candidates(ctx.dag, settled));
  const ready = ctx.dagTasks.filter((s) => next.has(s.pt.name) && s.runs.length === 0 && s.skip === undefined);
  let invalid = false;
  for (const s of ready) {
    const missing = firstMissing(s.refs, scopeFor(ctx, s.pt));
    if (!missing) continue;
    const what = missing.result ? `result with name ${missing.result}` : 'matrix length';
    s.invalid = { reason: PipelineRunReason.InvalidTaskResultReference, message: `Could not find ${what} for task ${missing.task}` };
    invalid = true;
  }
  return invalid ? [] : ready;
}

/** The finally tasks that may start now (the DAG is done): not started and not skipped. */
export function startableFinallyTasks(ctx: Ctx): TaskState[] {
  return ctx.finallyTasks.filter((s) => s.runs.length === 0 && s.skip === undefined);
}

/** Running matrixed tasks missing some of their TaskRuns (a partial create); they are completed. */
export function incompleteMatrices(ctx: Ctx, tasks: readonly TaskState[]): TaskState[] {
  return tasks.filter((s) => s.pt.matrix && s.outcome === 'running' && s.runs.length < (matrixOf(ctx, s)?.length ?? 0));
}

/** Adds createTaskRun actions for a task: one TaskRun, or one per matrix combination. */
export function createRuns(ctx: Ctx, s: TaskState): void {
  const combos = matrixOf(ctx, s);
  if (ctx.failure) return;
  const entry = s.entry && 'spec' in s.entry ? s.entry : undefined;
  const prName = ctx.pr.metadata.name ?? '';
  const existing = new Set(s.runs.map((r) => r.metadata.name));
  const timeout = childTimeout(ctx.timeouts, ctx.clock, s.pt, s.isFinally, taskRunSpecFor(ctx.pr, s.pt.name)?.timeout);
  const list = combos ?? [undefined];
  list.forEach((combo, i) => {
    const name = childName(prName, list.length > 1 ? `-${s.pt.name}-${i}` : `-${s.pt.name}`);
    if (existing.has(name)) return;
    const taskRun = buildTaskRun({
      pr: ctx.pr, pipelineName: ctx.pipelineName, pt: s.pt, isFinally: s.isFinally, taskName: entry?.taskName,
      scope: scopeFor(ctx, s.pt), name, combination: combo && combinationParams(combo), timeout,
      managedByLabel: ctx.facts.config.managedByLabel,
    });
    s.created.push(taskRun);
    ctx.actions.push({ type: 'createTaskRun', taskRun });
  });
}

/** Adds cancelTaskRun actions for unfinished TaskRuns of `tasks` not already cancelled. */
export function cancelRuns(ctx: Ctx, tasks: readonly TaskState[], message: string): void {
  for (const s of tasks) {
    for (const tr of s.runs) {
      if (runIsDone(tr.status) || tr.spec.status === 'TaskRunCancelled') continue;
      ctx.actions.push({ type: 'cancelTaskRun', name: tr.metadata.name ?? '', message });
    }
  }
}

/** Before the run's first TaskRun: create the PVCs of volumeClaimTemplate bindings (first in the action list). */
export function addClaims(ctx: Ctx): void {
  if (ctx.facts.taskRuns.length > 0 || !ctx.actions.some((a) => a.type === 'createTaskRun')) return;
  ctx.actions.unshift(...claimsToCreate(ctx.pr).map((pvc) => ({ type: 'createPVC' as const, pvc })));
}

/** Existing and newly created TaskRuns of a task. */
export function allRuns(s: TaskState): TaskRun[] {
  return [...s.runs, ...s.created];
}
