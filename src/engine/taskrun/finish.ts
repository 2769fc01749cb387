/**
 * The ways a TaskRun attempt ends early or over again: `failTaskRun` (cancel, timeout, resolution or image pull
 * failure: mark failed, delete the pod, terminate steps that were still running) and `retryTaskRun` (archive the
 * failed attempt into `retriesStatus` and start the next pod `-pod-retryN`). Tekton's taskrun.go semantics.
 */
import type { StepState, TaskRun, TaskRunStatus } from '../../api/types.js';
import { getSucceeded, setSucceeded } from '../conditions.js';
import { formatTime } from '../durations.js';
import { podName } from '../names.js';
import { NODE_RESTARTED } from './pod-facts.js';

/** An action the controller applies after writing the status. */
export type TaskRunAction =
  | { type: 'createPod'; podName: string }
  | { type: 'deletePod'; podName: string }
  /** keep-pod-on-cancel: annotate the pod tekton.dev/cancel=CANCEL so that its steps stop; the pod stays. */
  | { type: 'cancelPod'; podName: string }
  | { type: 'markSidecarsReady'; podName: string }
  | { type: 'stopSidecars'; podName: string };

/** The decision for one reconcile: the whole new status (written once) and the actions to apply. */
export interface TaskRunPlan {
  status: TaskRunStatus;
  actions: TaskRunAction[];
  /** Reconcile again after this long even without events (e.g. when the timeout fires). */
  requeueAfterMs?: number;
}

/**
 * True when the run may start another attempt (`len(retriesStatus) < spec.retries`). Attempts lost to a node
 * restart (reason NodeRestarted, see pod-facts.ts `wasDisrupted`) are on record but do not use up retries.
 */
export function hasRetriesLeft(taskRun: TaskRun, status: TaskRunStatus): boolean {
  const used = (status.retriesStatus ?? []).filter((r) => getSucceeded(r)?.reason !== NODE_RESTARTED).length;
  return used < (taskRun.spec.retries ?? 0);
}

/** Steps still running or waiting get a terminated state with the TaskRun's reason (Tekton: the pod was killed). */
function terminateSteps(steps: readonly StepState[] | undefined, reason: string, finishedAt: string): StepState[] | undefined {
  return steps?.map((s) => {
    if (!s.running && !s.waiting) return s;
    const { running, waiting, ...rest } = s;
    void waiting;
    const terminated = { exitCode: 1, reason, finishedAt, ...(running?.startedAt ? { startedAt: running.startedAt } : {}) };
    return { ...rest, terminated, terminationReason: reason };
  });
}

/**
 * Marks the run failed with `reason`/`message` at `now`, terminates unfinished steps and deletes its pod (when it
 * has one). `status` should already carry the latest steps read from the pod.
 */
export function failTaskRun(status: TaskRunStatus, reason: string, message: string, now: Date): TaskRunPlan {
  const at = formatTime(now);
  const failed = setSucceeded(status, { status: 'False', reason, message }, now);
  failed.startTime ??= at;
  failed.completionTime = at;
  const steps = terminateSteps(failed.steps, reason, at);
  if (steps) failed.steps = steps;
  const actions: TaskRunAction[] = failed.podName ? [{ type: 'deletePod', podName: failed.podName }] : [];
  return { status: failed, actions };
}

/**
 * Archives a failed attempt and starts the next one at once: the attempt (without its own retriesStatus) is
 * appended to `retriesStatus`; times, results, steps and sidecars are cleared; the condition becomes
 * `Unknown/ToBeRetried` with the failure message; the next pod is `<tr>-pod-retry<N>`. Earlier actions (e.g.
 * deleting a timed-out pod) are kept; a pod that simply failed stays, as in Tekton.
 */
export function retryTaskRun(taskRun: TaskRun, failed: TaskRunPlan, now: Date): TaskRunPlan {
  const archived: TaskRunStatus = structuredClone(failed.status);
  delete archived.retriesStatus;
  const retriesStatus = [...(failed.status.retriesStatus ?? []), archived];
  const next: TaskRunStatus = { ...failed.status, retriesStatus, startTime: formatTime(now), podName: podName(taskRun, retriesStatus.length) };
  for (const k of ['completionTime', 'results', 'steps', 'sidecars'] as const) delete next[k];
  const message = getSucceeded(failed.status)?.message ?? '';
  const status = setSucceeded(next, { status: 'Unknown', reason: 'ToBeRetried', message }, now);
  return { status, actions: [...failed.actions, { type: 'createPod', podName: status.podName ?? '' }] };
}
