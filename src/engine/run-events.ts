/**
 * Which Kubernetes Events a run's `Succeeded` condition change gives, as Tekton's k8sevent.EmitK8sEvents: a run
 * seen for the first time is `Started` (Normal, empty message); then each change of the condition gives one Event:
 * `Succeeded` (Normal) when it becomes True, `Failed` (Warning) when False, and while Unknown an Event whose reason
 * and message are the condition's (e.g. `Running`, `Pending`, `ToBeRetried`). Pure.
 */
import type { Condition } from '../api/types.js';

/** One Event to record about the run. */
export interface RunEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const STARTED: Pick<Condition, 'status' | 'reason' | 'message'> = { status: 'Unknown', reason: 'Started', message: '' };

function same(a: Pick<Condition, 'status' | 'reason' | 'message'>, b: Pick<Condition, 'status' | 'reason' | 'message'>): boolean {
  return a.status === b.status && (a.reason ?? '') === (b.reason ?? '') && (a.message ?? '') === (b.message ?? '');
}

/** The Events for a change of the `Succeeded` condition from `before` (undefined: not started) to `after`. */
export function runEvents(before: Condition | undefined, after: Condition | undefined): RunEvent[] {
  if (!after) return [];
  const out: RunEvent[] = [];
  let prev: Pick<Condition, 'status' | 'reason' | 'message'> | undefined = before;
  if (!prev) {
    out.push({ type: 'Normal', reason: 'Started', message: '' });
    prev = STARTED;
  }
  if (same(prev, after)) return out;
  if (after.status === 'True') out.push({ type: 'Normal', reason: 'Succeeded', message: after.message ?? '' });
  else if (after.status === 'False') out.push({ type: 'Warning', reason: 'Failed', message: after.message ?? '' });
  else out.push({ type: 'Normal', reason: after.reason ?? '', message: after.message ?? '' });
  return out;
}
