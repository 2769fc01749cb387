/**
 * Turns decisions into actions: which tasks start now (DAG candidates whose parents are settled, then the
 * finally tasks once the DAG is done), the TaskRuns to create for them (one per matrix combination), the
 * PVCs to create before the first TaskRun, and the cancellations of running children.
 */
import { isDone as runIsDone } from '../conditions.js';
import { candidates } from '../dag.js';
import { childName } from '../names.js';
import { type Ctx, matrixOf, scopeFor } from './context.js';
import { combinationParams } from './matrix.js';
import { buildChildPipelineRun, buildCustomRun, type ChildInput } from './children.js';
import { CUSTOMRUN_CANCELLED_MESSAGE, CUSTOMRUN_TIMEOUT_MESSAGE, PipelineRunReason, TIMEOUT_MESSAGE } from './reasons.js';
import { firstMissing } from './results.js';
import { type ChildRun, type TaskState, isSettled } from './state.js';
import { buildTaskRun, taskRunSpecFor } from './taskrun.js';
import { childTimeout } from './timeouts.js';
import type { PipelineRunPlan } from './types.js';
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

/**
 * Adds the create actions for a task: one child, or one per matrix combination. The child is a TaskRun, a
 * child PipelineRun (pipelineRef/pipelineSpec) or a CustomRun (custom task), named `<run>-<task>[-<i>]` alike.
 */
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
    if (s.kind !== 'TaskRun') {
      createOther(ctx, s, { pr: ctx.pr, pipelineName: ctx.pipelineName, pt: s.pt, isFinally: s.isFinally, scope: scopeFor(ctx, s.pt), name, timeout, combination: combo && combinationParams(combo) });
      return;
    }
    const taskRun = buildTaskRun({
      pr: ctx.pr, pipelineName: ctx.pipelineName, pt: s.pt, isFinally: s.isFinally, taskName: entry?.taskName,
      scope: scopeFor(ctx, s.pt), name, combination: combo && combinationParams(combo), timeout,
      managedByLabel: ctx.facts.config.managedByLabel,
    });
    s.created.push(taskRun);
    ctx.actions.push({ type: 'createTaskRun', taskRun });
  });
}

/** A child PipelineRun or a CustomRun. */
function createOther(ctx: Ctx, s: TaskState, input: ChildInput): void {
  const e = s.entry;
  if (s.kind === 'PipelineRun' && e && 'pipelineSpec' in e) {
    const pipelineRun = buildChildPipelineRun(input, e);
    s.created.push(pipelineRun);
    ctx.actions.push({ type: 'createPipelineRun', pipelineRun });
  } else if (s.kind === 'CustomRun') {
    const customRun = buildCustomRun(input);
    s.created.push(customRun);
    ctx.actions.push({ type: 'createCustomRun', customRun });
  }
}

/** Whether a child was already asked to cancel. */
function cancelRequested(r: ChildRun): boolean {
  if (r.kind === 'CustomRun') return r.spec.status === 'RunCancelled';
  if (r.kind === 'PipelineRun') return r.spec.status === 'Cancelled';
  return r.spec.status === 'TaskRunCancelled';
}

/**
 * The action cancelling one unfinished child (`message` is the TaskRun wording; CustomRuns get Tekton's
 * CustomRun wording of the same cause; child PipelineRuns get spec.status Cancelled).
 */
export function cancelAction(r: ChildRun, message: string): PipelineRunPlan['actions'][number] | undefined {
  if (runIsDone(r.status) || cancelRequested(r)) return undefined;
  const name = r.metadata.name ?? '';
  if (r.kind === 'PipelineRun') return { type: 'cancelPipelineRun', name };
  if (r.kind === 'CustomRun') {
    return { type: 'cancelCustomRun', name, message: message === TIMEOUT_MESSAGE ? CUSTOMRUN_TIMEOUT_MESSAGE : CUSTOMRUN_CANCELLED_MESSAGE };
  }
  return { type: 'cancelTaskRun', name, message };
}

/**
 * Adds cancel actions for unfinished children of `tasks` not already cancelled. With `exceptNested`, child
 * PipelineRuns are left to their own timeout (they were given the same deadline), so they report
 * PipelineRunTimeout rather than Cancelled.
 */
export function cancelRuns(ctx: Ctx, tasks: readonly TaskState[], message: string, exceptNested = false): void {
  for (const s of tasks) {
    if (exceptNested && s.kind === 'PipelineRun') continue;
    for (const r of s.runs) {
      const action = cancelAction(r, message);
      if (action) ctx.actions.push(action);
    }
  }
}

/** Before the run's first TaskRun: create the PVCs of volumeClaimTemplate bindings (first in the action list). */
export function addClaims(ctx: Ctx): void {
  const children = ctx.facts.taskRuns.length + (ctx.facts.pipelineRuns?.length ?? 0) + (ctx.facts.customRuns?.length ?? 0);
  if (children > 0 || !ctx.actions.some((a) => a.type.startsWith('create'))) return;
  ctx.actions.unshift(...claimsToCreate(ctx.pr).map((pvc) => ({ type: 'createPVC' as const, pvc })));
}

/** Existing and newly created children of a task. */
export function allRuns(s: TaskState): ChildRun[] {
  return [...s.runs, ...s.created];
}
