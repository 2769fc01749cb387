/**
 * planPipelineRun: the pure, level-triggered decision of the PipelineRun reconciler (Tekton's
 * pipelinerun.go reconcile, without I/O). From the run, its resolved spec and the TaskRuns that exist now it
 * returns the whole new status and the actions to take; calling it again with the same facts gives the same
 * answer, and every action is idempotent, so a lost write or a restart costs nothing.
 */
import type { PipelineRun, PipelineRunStatus } from '../../api/types.js';
import { getSucceeded, isDone, setSucceeded } from '../conditions.js';
import { formatTime } from '../durations.js';
import { type Ctx, buildContext } from './context.js';
import type { Failure } from './params.js';
import { CANCELLED_MESSAGE, PipelineRunReason, SkipReason, TASKRUN_TIMEOUT, TIMEOUT_MESSAGE } from './reasons.js';
import { pipelineResults } from './results.js';
import {
  addClaims, cancelAction, cancelRuns, createRuns, incompleteMatrices, startableDagTasks, startableFinallyTasks,
} from './schedule.js';
import { type SkipFlags, aggregateStatus, computeDagSkips, computeFinallySkips, isStopping } from './skip.js';
import { type ChildRun, type TaskState, isSettled } from './state.js';
import { childReferences, conditionOf, countTasks, type FiredTimeout, skippedTasks, timeoutMessage } from './status.js';
import { type Clock, firedTimeouts, nextDeadline } from './timeouts.js';
import type { PipelineRunFacts, PipelineRunPlan } from './types.js';

/** Values of spec.managedBy this engine acts on (absent, Tekton's own, or tektite). */
export function isManagedByTektite(managedBy: string | undefined): boolean {
  return !managedBy || managedBy === 'tekton.dev/pipeline' || managedBy === 'tektite';
}

/** Plans one reconcile of a PipelineRun. Pure: time comes from `facts.now`. */
export function planPipelineRun(facts: PipelineRunFacts): PipelineRunPlan {
  const pr = facts.pipelineRun;
  const prev: PipelineRunStatus = { ...(pr.status ?? {}) };
  if (!isManagedByTektite(pr.spec.managedBy) || isDone(prev)) return { status: prev, actions: [] };
  const now = facts.now;
  if (pr.spec.status === 'PipelineRunPending' && !prev.startTime && facts.taskRuns.length === 0) {
    const message = `PipelineRun "${pr.metadata.name ?? ''}" is pending`;
    return { status: setSucceeded(prev, { status: 'Unknown', reason: PipelineRunReason.Pending, message }, now), actions: [] };
  }
  const startTime = prev.startTime ?? formatTime(now);
  const base: PipelineRunStatus = { ...prev, startTime, pipelineSpec: facts.pipelineSpec };
  const clock: Clock = {
    now: now.getTime(),
    start: Date.parse(startTime),
    finallyStart: prev.finallyStartTime ? Date.parse(prev.finallyStartTime) : undefined,
  };
  const ctx = buildContext(facts, clock);
  if (pr.spec.status === 'Cancelled') return hardCancel(facts, base, 'dag' in ctx ? ctx : undefined);
  if (!('dag' in ctx)) return failed(base, ctx, now);
  return decide(ctx, base);
}

function failed(base: PipelineRunStatus, f: Failure, now: Date, actions: PipelineRunPlan['actions'] = []): PipelineRunPlan {
  const status = setSucceeded(base, { status: 'False', reason: f.reason, message: f.message }, now);
  return { status: { ...status, completionTime: formatTime(now) }, actions };
}

/** spec.status Cancelled: cancel every unfinished child, run no finally, finish as Cancelled at once. */
function hardCancel(facts: PipelineRunFacts, base: PipelineRunStatus, ctx: Ctx | undefined): PipelineRunPlan {
  const pr = facts.pipelineRun;
  const children: ChildRun[] = [...facts.taskRuns, ...(facts.pipelineRuns ?? []), ...(facts.customRuns ?? [])];
  const actions = children.flatMap((r) => cancelAction(r, CANCELLED_MESSAGE) ?? []);
  const withRefs = ctx ? { ...base, childReferences: childReferences(ctx) } : base;
  return failed(withRefs, { reason: PipelineRunReason.Cancelled, message: `PipelineRun "${pr.metadata.name ?? ''}" was cancelled` }, facts.now, actions);
}

function flagsOf(ctx: Ctx): SkipFlags & { scheduling: boolean } {
  const fired = firedTimeouts(ctx.timeouts, ctx.clock);
  const status = ctx.pr.spec.status;
  const flags = {
    stopping: isStopping(ctx),
    gracefullyCancelled: status === 'CancelledRunFinally',
    gracefullyStopped: status === 'StoppedRunFinally',
    pipelineTimedOut: fired.pipeline,
    tasksTimedOut: fired.tasks,
    finallyTimedOut: fired.finally,
  };
  const scheduling = !flags.stopping && !flags.gracefullyCancelled && !flags.gracefullyStopped && !fired.tasks && !fired.pipeline;
  return { ...flags, scheduling };
}

/** The main path: skips, cancellations, new TaskRuns (DAG then finally), then the status. */
function decide(ctx: Ctx, base: PipelineRunStatus): PipelineRunPlan {
  const flags = flagsOf(ctx);
  computeDagSkips(ctx, flags);
  if (flags.pipelineTimedOut) return pipelineTimeout(ctx, base, flags);
  if (flags.gracefullyCancelled) cancelRuns(ctx, ctx.dagTasks, CANCELLED_MESSAGE);
  if (flags.tasksTimedOut) cancelRuns(ctx, ctx.dagTasks, TIMEOUT_MESSAGE, true);
  if (flags.scheduling) {
    const ready = startableDagTasks(ctx);
    if (ctx.dagTasks.some((s) => s.invalid)) {
      flags.stopping = true;
      computeDagSkips(ctx, flags);
    }
    for (const s of [...ready, ...incompleteMatrices(ctx, ctx.dagTasks)]) createRuns(ctx, s);
  }
  const dagDone = ctx.dagTasks.every(isSettled);
  if (dagDone && ctx.finallyTasks.length > 0) ctx.clock.finallyStart ??= ctx.clock.now;
  ctx.scope.strings.set('tasks.status', aggregateStatus(ctx, dagDone));
  computeFinallySkips(ctx, flags, dagDone);
  if (flags.finallyTimedOut) cancelRuns(ctx, ctx.finallyTasks, TIMEOUT_MESSAGE, true);
  else if (dagDone) for (const s of [...startableFinallyTasks(ctx), ...incompleteMatrices(ctx, ctx.finallyTasks)]) createRuns(ctx, s);
  if (ctx.failure) return failed(base, ctx.failure, ctx.facts.now);
  addClaims(ctx);
  return finish(ctx, base, flags, dagDone);
}

/** Reasons of a child that stopped at its own timeout: a TaskRun's, a child PipelineRun's. */
const OWN_TIMEOUTS = new Set<string>([TASKRUN_TIMEOUT, PipelineRunReason.Timeout]);

/**
 * A child that hit its own timeout at the deadline it was given (or later): its budget came from this run's
 * timeout, which fired at the same moment, so the run's timeout is what stopped it.
 */
function ranOutAt(s: TaskState, deadline: number): boolean {
  const ownTimeout = (r: ChildRun): boolean => OWN_TIMEOUTS.has(getSucceeded(r.status)?.reason ?? '');
  return s.runs.some((r) => ownTimeout(r) && Date.parse(r.status?.completionTime ?? '') >= deadline);
}

/** The timeout that cancelled or skipped tasks of this run, if any did. */
function firedTimeout(ctx: Ctx, flags: SkipFlags): FiredTimeout | undefined {
  const { clock, timeouts } = ctx;
  const hit = (s: TaskState, reason: string, deadline: number): boolean =>
    s.outcome === 'timedOut' || s.skip === reason || s.outcome === 'running' || ranOutAt(s, deadline);
  const tasks = timeouts.tasks ? { kind: 'tasks' as const, ms: timeouts.tasks } : undefined;
  const fin = timeouts.finally ? { kind: 'finally' as const, ms: timeouts.finally } : undefined;
  if (flags.tasksTimedOut && ctx.dagTasks.some((s) => hit(s, SkipReason.TasksTimeout, clock.start + (timeouts.tasks ?? 0)))) return tasks;
  const finallyDeadline = (clock.finallyStart ?? Infinity) + (timeouts.finally ?? 0);
  if (flags.finallyTimedOut && ctx.finallyTasks.some((s) => hit(s, SkipReason.FinallyTimeout, finallyDeadline))) return fin;
  const timedOut = (list: TaskState[]): boolean => list.some((s) => s.outcome === 'timedOut');
  if (timedOut(ctx.dagTasks) && tasks) return tasks;
  if (timedOut(ctx.finallyTasks) && fin) return fin;
  return undefined;
}

function finish(ctx: Ctx, base: PipelineRunStatus, flags: SkipFlags, dagDone: boolean): PipelineRunPlan {
  const now = ctx.facts.now;
  const all = [...ctx.dagTasks, ...ctx.finallyTasks];
  const cond = conditionOf(ctx, countTasks(all), {
    gracefullyCancelled: flags.gracefullyCancelled,
    gracefullyStopped: flags.gracefullyStopped,
    firedTimeout: firedTimeout(ctx, flags),
    hasFinally: ctx.finallyTasks.length > 0,
    finallyDone: ctx.finallyTasks.every(isSettled),
  });
  const status = withLists(ctx, base);
  if (ctx.clock.finallyStart !== undefined) status.finallyStartTime = formatTime(new Date(ctx.clock.finallyStart));
  if (cond.status === 'Unknown') {
    const requeueAfterMs = nextDeadline(ctx.timeouts, ctx.clock, dagDone);
    const plan: PipelineRunPlan = { status: setSucceeded(status, cond, now), actions: ctx.actions };
    if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs;
    return plan;
  }
  const done = completed(ctx, status);
  if (done.invalid && cond.status === 'True') return failed(done.status, done.invalid, now, ctx.actions);
  return { status: setSucceeded(done.status, cond, now), actions: ctx.actions };
}

function withLists(ctx: Ctx, base: PipelineRunStatus): PipelineRunStatus {
  const status: PipelineRunStatus = { ...base };
  const refs = childReferences(ctx);
  const skipped = skippedTasks(ctx);
  if (refs.length > 0) status.childReferences = refs;
  else delete status.childReferences;
  if (skipped.length > 0) status.skippedTasks = skipped;
  else delete status.skippedTasks;
  return status;
}

/**
 * Completion time and the Pipeline's results; a result whose task succeeded without producing it fails an
 * otherwise successful run with CouldntGetPipelineResult, as Tekton does (a run that already failed keeps
 * its own reason).
 */
function completed(ctx: Ctx, status: PipelineRunStatus): { status: PipelineRunStatus; invalid?: Failure } {
  const out = { ...status, completionTime: formatTime(ctx.facts.now) };
  const { results, invalid } = pipelineResults(ctx.facts.pipelineSpec.results ?? [], [...ctx.dagTasks, ...ctx.finallyTasks]);
  if (results.length > 0) out.results = results;
  else delete out.results;
  if (invalid.length === 0) return { status: out };
  const pr: PipelineRun = ctx.pr;
  const message = `PipelineRun ${pr.metadata.namespace ?? 'default'}/${pr.metadata.name ?? ''} failed to retrieve pipeline results: invalid pipelineresults [${invalid.join(' ')}], the referenced results don't exist`;
  return { status: out, invalid: { reason: PipelineRunReason.CouldntGetPipelineResult, message } };
}

/** The pipeline timeout fired: cancel every unfinished child, run no finally, finish at once. */
function pipelineTimeout(ctx: Ctx, base: PipelineRunStatus, flags: SkipFlags): PipelineRunPlan {
  const all = [...ctx.dagTasks, ...ctx.finallyTasks];
  cancelRuns(ctx, all, TIMEOUT_MESSAGE);
  computeFinallySkips(ctx, flags, ctx.dagTasks.every(isSettled));
  const { status } = completed(ctx, withLists(ctx, base));
  const message = timeoutMessage(ctx.pr.metadata.name ?? '', ctx.timeouts.pipeline);
  return failed(status, { reason: PipelineRunReason.Timeout, message }, ctx.facts.now, ctx.actions);
}
