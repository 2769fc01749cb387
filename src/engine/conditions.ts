/**
 * The `Succeeded` condition (knative style) that every Tekton run carries. One place reads and writes it so that
 * reasons, messages and `lastTransitionTime` behave the same for TaskRuns and PipelineRuns.
 */
import type { Condition } from '../api/types.js';
import { formatTime } from './durations.js';

/** Anything with knative conditions (TaskRunStatus, PipelineRunStatus). */
export interface WithConditions {
  conditions?: Condition[];
}

/** The new value of the `Succeeded` condition. */
export interface SucceededValue {
  status: Condition['status'];
  reason: string;
  message?: string;
}

/** The `Succeeded` condition of a status, if any. */
export function getSucceeded(status: WithConditions | undefined): Condition | undefined {
  return status?.conditions?.find((c) => c.type === 'Succeeded');
}

/**
 * Returns a copy of `status` with `Succeeded` set. As knative's condition manager: when status, reason and message
 * are all unchanged the old condition (and its `lastTransitionTime`) is kept; otherwise the time becomes `now`.
 */
export function setSucceeded<T extends WithConditions>(status: T, value: SucceededValue, now: Date): T {
  const old = getSucceeded(status);
  const message = value.message ?? '';
  const same = old && old.status === value.status && (old.reason ?? '') === value.reason && (old.message ?? '') === message;
  const next: Condition = same
    ? old
    : { type: 'Succeeded', status: value.status, reason: value.reason, message, lastTransitionTime: formatTime(now) };
  const others = (status.conditions ?? []).filter((c) => c.type !== 'Succeeded');
  return { ...status, conditions: [...others, next] };
}

/** True once the run has finished (condition `Succeeded` is True or False), which is final in Tekton. */
export function isDone(status: WithConditions | undefined): boolean {
  const c = getSucceeded(status);
  return c !== undefined && c.status !== 'Unknown';
}

/** True when the run finished successfully. */
export function isSucceeded(status: WithConditions | undefined): boolean {
  return getSucceeded(status)?.status === 'True';
}

/** True when the run finished in failure (including cancellation and timeout). */
export function isFailed(status: WithConditions | undefined): boolean {
  return getSucceeded(status)?.status === 'False';
}
