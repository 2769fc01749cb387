/**
 * The `Wait` custom task (apiVersion wait.testing.tekton.dev/v1beta1, kind Wait), with the behaviour of Tekton's
 * wait-task test controller: it waits for its `duration` param, then succeeds (DurationElapsed); it honours
 * `timeout` (TimedOut, with `retries` restarting the wait) and cancellation through spec.status RunCancelled
 * (Cancelled); a bad run fails at once (UnexpectedName, MissingDuration, UnexpectedParams, InvalidDuration,
 * InvalidTimeOut). Pure: the time is a parameter; the answer is the new status and when to look again.
 */
import type { CustomRun, CustomRunStatus } from '../../api/types.js';
import { isDone, setSucceeded } from '../conditions.js';
import { formatTime, parseDuration } from '../durations.js';

export const WAIT_API_VERSION = 'wait.testing.tekton.dev/v1beta1';
export const WAIT_KIND = 'Wait';
/** Message of a cancelled wait without a statusMessage. */
export const WAIT_CANCELLED_MESSAGE = 'Wait Task cancelled.';
/** Message of a wait that ran out of time. */
export const WAIT_TIMED_OUT_MESSAGE = 'Wait Task failed as it times out.';
/** Tekton's default timeout of a CustomRun without spec.timeout (default-timeout-minutes). */
const DEFAULT_TIMEOUT_MS = 60 * 60_000;

/** The decision for one reconcile of a Wait CustomRun. */
export interface WaitPlan {
  status: CustomRunStatus;
  /** Reconcile again after this long (the wait or the timeout ends then). */
  requeueAfterMs?: number;
}

/** Whether a CustomRun is a Wait run (by customRef, as Tekton's controller selects them). */
export function isWaitRun(run: CustomRun): boolean {
  return run.spec.customRef?.apiVersion === WAIT_API_VERSION && run.spec.customRef.kind === WAIT_KIND;
}

function fail(status: CustomRunStatus, reason: string, message: string, now: Date): CustomRunStatus {
  return { ...setSucceeded(status, { status: 'False', reason, message }, now), completionTime: formatTime(now) };
}

/** The problem that fails the run before it starts, if any (Tekton's order of checks). */
function invalid(run: CustomRun): { reason: string; message: string } | undefined {
  if (run.spec.customRef?.name) return { reason: 'UnexpectedName', message: `Found unexpected ref name: ${run.spec.customRef.name}` };
  const params = run.spec.params ?? [];
  const duration = params.find((p) => p.name === 'duration');
  if (!duration || duration.value === '') return { reason: 'MissingDuration', message: 'The duration param was not passed' };
  if (params.length !== 1) {
    const others = params.filter((p) => p.name !== 'duration').map((p) => p.name);
    return { reason: 'UnexpectedParams', message: `Found unexpected params: [${others.join(' ')}]` };
  }
  const text = typeof duration.value === 'string' ? duration.value : JSON.stringify(duration.value);
  const ms = typeof duration.value === 'string' ? parseDuration(text) : NaN;
  if (!Number.isFinite(ms)) return { reason: 'InvalidDuration', message: `The duration param was invalid: time: invalid duration ${JSON.stringify(text)}` };
  if (ms === timeoutOf(run)) return { reason: 'InvalidTimeOut', message: "Spec.Timeout shouldn't equal duration" };
  return undefined;
}

function timeoutOf(run: CustomRun): number {
  const t = run.spec.timeout === undefined ? NaN : parseDuration(run.spec.timeout);
  return Number.isFinite(t) ? t : DEFAULT_TIMEOUT_MS;
}

function durationOf(run: CustomRun): number {
  return parseDuration(String(run.spec.params?.find((p) => p.name === 'duration')?.value ?? ''));
}

/** Decides one reconcile of a Wait run. Finished runs are left as they are. */
export function decideWait(run: CustomRun, now: Date): WaitPlan {
  let status: CustomRunStatus = { ...(run.status ?? {}) };
  if (isDone(status)) return { status };
  const problem = invalid(run);
  if (problem) return { status: fail(status, problem.reason, problem.message, now) };
  if (!status.startTime) {
    status = setSucceeded({ ...status, startTime: formatTime(now) }, { status: 'Unknown', reason: 'Running', message: 'Waiting for duration to elapse' }, now);
  }
  if (run.spec.status === 'RunCancelled') return { status: fail(status, 'Cancelled', run.spec.statusMessage || WAIT_CANCELLED_MESSAGE, now) };
  const elapsed = now.getTime() - Date.parse(status.startTime as string);
  const duration = durationOf(run);
  const timeout = timeoutOf(run);
  const noTimeout = timeout === 0;
  if (elapsed <= duration && (noTimeout || elapsed <= timeout)) {
    return { status, requeueAfterMs: Math.max(1, (noTimeout ? duration : Math.min(duration, timeout)) - elapsed + 1) };
  }
  if (noTimeout || elapsed <= timeout) {
    return { status: { ...setSucceeded(status, { status: 'True', reason: 'DurationElapsed', message: 'The wait duration has elapsed' }, now), completionTime: formatTime(now) } };
  }
  if ((run.spec.retries ?? 0) > (status.retriesStatus?.length ?? 0)) return { status: retry(status, now), requeueAfterMs: 0 };
  return { status: fail(status, 'TimedOut', WAIT_TIMED_OUT_MESSAGE, now) };
}

/** Records the timed-out attempt in retriesStatus and starts again. */
function retry(status: CustomRunStatus, now: Date): CustomRunStatus {
  const { retriesStatus, ...attempt } = status;
  const failed = setSucceeded(attempt, { status: 'False', reason: 'TimedOut' }, now);
  const next: CustomRunStatus = { ...status, retriesStatus: [...(retriesStatus ?? []), failed] };
  delete next.startTime;
  return setSucceeded(next, { status: 'Unknown', reason: 'Retrying', message: '' }, now);
}
