/**
 * PipelineRun timeouts (spec.timeouts pipeline / tasks / finally): which have fired at `now`, when the next one
 * fires (the requeue), and the timeout each child TaskRun gets (Tekton: the remaining budget, lowered by
 * PipelineTask.timeout, overridden by taskRunSpecs[].timeout). Zero means "no timeout", as in Tekton.
 */
import type { PipelineRun, PipelineTask } from '../../api/types.js';
import { formatDuration, parseDuration } from '../durations.js';

/** Effective timeouts in ms; undefined = not set, 0 = none. */
export interface Timeouts {
  pipeline: number;
  tasks?: number;
  finally?: number;
}

function ms(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = parseDuration(s);
  return Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Tekton's PipelineTimeout / TasksTimeout / FinallyTimeout (tasks = pipeline − finally when only those are set). */
export function timeoutsOf(pr: PipelineRun, defaultMinutes: number): Timeouts {
  const t = pr.spec.timeouts ?? {};
  const given = ms(t.pipeline);
  const pipeline = given ?? defaultMinutes * 60_000;
  let tasks = ms(t.tasks);
  let fin = ms(t.finally);
  if (tasks === undefined && given !== undefined && fin !== undefined && given !== 0 && fin !== 0) tasks = given - fin;
  if (fin === undefined && given !== undefined && tasks !== undefined && given !== 0 && tasks !== 0) fin = given - tasks;
  return { pipeline, tasks, finally: fin };
}

/** The clock readings a plan needs, in epoch ms. */
export interface Clock {
  now: number;
  start: number;
  /** When the finally tasks started (undefined before). */
  finallyStart?: number;
}

function fired(limit: number | undefined, since: number | undefined, now: number): boolean {
  return limit !== undefined && limit > 0 && since !== undefined && now - since >= limit;
}

/** Which timeouts have fired. */
export function firedTimeouts(t: Timeouts, c: Clock): { pipeline: boolean; tasks: boolean; finally: boolean } {
  return {
    pipeline: fired(t.pipeline, c.start, c.now),
    tasks: fired(t.tasks, c.start, c.now),
    finally: fired(t.finally, c.finallyStart, c.now),
  };
}

/**
 * Milliseconds until the next deadline still relevant: the pipeline's, the tasks' while DAG tasks are
 * unfinished, the finally tasks' once they started.
 */
export function nextDeadline(t: Timeouts, c: Clock, dagDone: boolean): number | undefined {
  const waits: number[] = [];
  if (t.pipeline > 0) waits.push(c.start + t.pipeline - c.now);
  if (!dagDone && t.tasks) waits.push(c.start + t.tasks - c.now);
  if (c.finallyStart !== undefined && t.finally) waits.push(c.finallyStart + t.finally - c.now);
  const positive = waits.filter((w) => w > 0);
  return positive.length > 0 ? Math.min(...positive) : undefined;
}

/**
 * Time spent since `since`, in whole seconds of the wall clock. Status times are stored to the second, so a
 * child TaskRun's start reads as the start of the second it began in; counting the budget the same way makes
 * the child's own deadline fall at the PipelineRun's deadline or later, never before it (a child that timed
 * out on its own a second early would end the run as Failed instead of PipelineRunTimeout).
 */
function elapsed(c: Clock, since: number): number {
  return Math.floor(c.now / 1000) * 1000 - Math.floor(since / 1000) * 1000;
}

/**
 * The `spec.timeout` of a child TaskRun: the budget left (finally timeout from the finally start for finally
 * tasks, tasks timeout for DAG tasks, else the pipeline timeout; elapsed time counted in whole seconds, see
 * {@link elapsed}; 1s when already spent), or PipelineTask.timeout when shorter; a taskRunSpecs timeout wins.
 */
export function childTimeout(t: Timeouts, c: Clock, pt: PipelineTask, isFinally: boolean, specTimeout?: string): string {
  const override = ms(specTimeout);
  if (override !== undefined) return formatDuration(override);
  let budget: number | undefined;
  if (isFinally && t.finally) budget = t.finally - elapsed(c, c.finallyStart ?? c.now);
  else if (!isFinally && t.tasks) budget = t.tasks - elapsed(c, c.start);
  else if (t.pipeline > 0) budget = t.pipeline - elapsed(c, c.start);
  if (budget !== undefined) budget = Math.max(1000, budget);
  const own = ms(pt.timeout);
  if (own !== undefined && own > 0 && (budget === undefined || own < budget)) budget = own;
  return formatDuration(budget ?? 0);
}
