/**
 * `decideTaskRun`: the whole TaskRun state machine as a pure plan (gather → decide → apply). Given the run, its
 * resolved spec, its current pod and the time, it returns the complete new status and the pod actions, so the
 * controller stays a thin I/O shell and every rule is testable as a table.
 */
import type { Pod, TaskRun, TaskRunStatus, TaskSpec } from '../../api/types.js';
import { getSucceeded, isDone, setSucceeded } from '../conditions.js';
import { formatDuration, formatTime, parseDuration } from '../durations.js';
import { podName } from '../names.js';
import type { TaskRunAction, TaskRunPlan } from './finish.js';
import { failTaskRun, hasRetriesLeft, retryTaskRun } from './finish.js';
import { imagePullFailure, isPodComplete, isStepContainer, wasDisrupted } from './pod-facts.js';
import type { ResolvedTaskSpec } from './resolve.js';
import { parseSidecarLogs, resultTooLargeMessage, type SidecarLogs } from './sidecar-logs.js';
import { taskRunStatusFromPod } from './status.js';

export type { TaskRunAction, TaskRunPlan } from './finish.js';

/** Everything decideTaskRun looks at. `pod` is the run's current pod (named `status.podName`), if it exists. */
export interface TaskRunFacts {
  taskRun: TaskRun;
  resolved?: ResolvedTaskSpec;
  pod?: Pod;
  now: Date;
  defaultTimeoutMs: number;
  /** The results sidecar's log (results-from: sidecar-logs), read by the controller once the pod is complete. */
  sidecarLogs?: SidecarLogs;
  /** Tekton's keep-pod-on-cancel: a cancelled run's pod is kept and its steps are stopped through the cancel annotation. */
  keepPodOnCancel?: boolean;
}

/** Pod annotation whose value CANCEL stops the steps of a kept pod (keep-pod-on-cancel). */
export const CANCEL_ANNOTATION = 'tekton.dev/cancel';

/** `spec.managedBy` values this engine reconciles; any other value belongs to another controller. */
export const MANAGED_BY_US = new Set(['tekton.dev/pipeline', 'tektite']);
/** Pod annotation the first step waits on (through the downward API) before it starts. */
export const READY_ANNOTATION = 'tekton.dev/ready';

/** The run's timeout in ms: `spec.timeout`, else the default; 0 means none. A malformed value falls back to the default. */
export function taskRunTimeoutMs(taskRun: TaskRun, defaultTimeoutMs: number): number {
  const t = taskRun.spec.timeout === undefined ? NaN : parseDuration(taskRun.spec.timeout);
  return Number.isNaN(t) ? defaultTimeoutMs : Math.max(0, t);
}

function cancelMessage(tr: TaskRun): string {
  const base = `TaskRun "${tr.metadata.name ?? ''}" was cancelled`;
  return tr.spec.statusMessage ? `${base}. ${tr.spec.statusMessage}` : base;
}

/** Steps and sidecars refreshed from the pod (when there is one), the condition left as it was. */
function withPodStates(f: TaskRunFacts, status: TaskRunStatus, spec: TaskSpec, pod: Pod | undefined): TaskRunStatus {
  if (!pod) return status;
  const fromPod = taskRunStatusFromPod({ taskRun: { ...f.taskRun, status }, spec, pod, now: f.now });
  const out: TaskRunStatus = { ...status };
  for (const k of ['steps', 'sidecars'] as const) {
    if (fromPod[k]) Object.assign(out, { [k]: fromPod[k] });
    else delete out[k];
  }
  return out;
}

/** Fails the run; retries when allowed and the failure is retryable (not a cancellation or a bad spec). */
function fail(f: TaskRunFacts, status: TaskRunStatus, reason: string, message: string, retryable: boolean): TaskRunPlan {
  const plan = failTaskRun(status, reason, message, f.now);
  return retryable && hasRetriesLeft(f.taskRun, status) ? retryTaskRun(f.taskRun, plan, f.now) : plan;
}

function sidecarsRunning(pod: Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((s) => !isStepContainer(s.name) && s.state?.running !== undefined);
}

/** Tekton's `SidecarsReady`: pod Running and every non-step container ready-and-running or terminated. */
function sidecarsReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.containerStatuses ?? []).every((s) => isStepContainer(s.name) || (s.state?.running !== undefined && s.ready) || s.state?.terminated !== undefined);
}

function stopSidecarActions(pod: Pod | undefined): TaskRunAction[] {
  return pod && !pod.metadata.deletionTimestamp && sidecarsRunning(pod) ? [{ type: 'stopSidecars', podName: pod.metadata.name ?? '' }] : [];
}

function pullFailureMessage(tr: TaskRun, p: { container: string; image: string; message: string }): string {
  const kind = isStepContainer(p.container) ? 'step' : 'sidecar';
  const name = p.container.replace(/^(step|sidecar)-/, '');
  return `the ${kind} "${name}" in TaskRun "${tr.metadata.name ?? ''}" failed to pull the image "${p.image}". The pod errored with the message: "${p.message}."`;
}

/** A started run whose pod exists: status from the pod, then image pull failure, retry, sidecar handling, requeue. */
function fromPod(f: TaskRunFacts, status: TaskRunStatus, spec: TaskSpec, pod: Pod, timeoutMs: number): TaskRunPlan {
  const fromSidecar = f.sidecarLogs && isPodComplete(pod) ? parseSidecarLogs(f.sidecarLogs) : undefined;
  const sidecarResults = fromSidecar?.ok ? fromSidecar.entries : undefined;
  const next = taskRunStatusFromPod({ taskRun: { ...f.taskRun, status }, spec, pod, now: f.now, ...(sidecarResults ? { sidecarResults } : {}) });
  if (fromSidecar && !fromSidecar.ok && fromSidecar.tooLarge) {
    return fail(f, { ...next, conditions: status.conditions }, 'TaskRunResultLargerThanAllowedLimit', resultTooLargeMessage(f.taskRun, fromSidecar.message), false);
  }
  const pull = isPodComplete(pod) ? undefined : imagePullFailure(pod);
  if (pull) return fail(f, { ...next, conditions: status.conditions }, 'TaskRunImagePullFailed', pullFailureMessage(f.taskRun, pull), true);
  if (isDone(next)) {
    const again = wasDisrupted(pod) || hasRetriesLeft(f.taskRun, status);
    if (getSucceeded(next)?.status === 'False' && again) return retryTaskRun(f.taskRun, { status: next, actions: [] }, f.now);
    return { status: next, actions: stopSidecarActions(pod) };
  }
  const actions: TaskRunAction[] = [];
  if (pod.metadata.annotations?.[READY_ANNOTATION] !== 'READY' && sidecarsReady(pod)) actions.push({ type: 'markSidecarsReady', podName: pod.metadata.name ?? '' });
  return { status: next, actions, ...requeue(f, next, timeoutMs) };
}

function requeue(f: TaskRunFacts, status: TaskRunStatus, timeoutMs: number): { requeueAfterMs?: number } {
  if (timeoutMs <= 0 || !status.startTime) return {};
  return { requeueAfterMs: Math.max(0, Date.parse(status.startTime) + timeoutMs - f.now.getTime()) };
}

/** A run that has not started: take the start time and create the first (or next) pod. */
function start(f: TaskRunFacts, status: TaskRunStatus, timeoutMs: number): TaskRunPlan {
  const name = podName(f.taskRun, status.retriesStatus?.length ?? 0);
  const started: TaskRunStatus = { ...status, startTime: formatTime(f.now), podName: name };
  delete started.steps;
  delete started.sidecars;
  const next = setSucceeded(started, { status: 'Unknown', reason: 'Pending', message: 'Pending' }, f.now);
  return { status: next, actions: [{ type: 'createPod', podName: name }], ...requeue(f, next, timeoutMs) };
}

function awaitingResolution(f: TaskRunFacts, status: TaskRunStatus): TaskRunPlan {
  const tr = f.taskRun.metadata;
  const message = `TaskRun ${tr.namespace ?? ''}/${tr.name ?? ''} awaiting remote resource`;
  return { status: setSucceeded(status, { status: 'Unknown', reason: 'ResolvingTaskRef', message }, f.now), actions: [] };
}

/** The run's current pod: the given pod only when it is the one the status names (or would name next). */
function currentPod(f: TaskRunFacts, status: TaskRunStatus): Pod | undefined {
  const expected = status.podName ?? podName(f.taskRun, status.retriesStatus?.length ?? 0);
  return f.pod?.metadata.name === expected ? f.pod : undefined;
}

/** Cancels the run: the pod is deleted, or with keep-pod-on-cancel kept and told to stop its steps (Tekton's CancelPod). */
function cancel(f: TaskRunFacts, status: TaskRunStatus, pod: Pod | undefined): TaskRunPlan {
  const plan = fail(f, status, 'TaskRunCancelled', cancelMessage(f.taskRun), false);
  if (!f.keepPodOnCancel) return plan;
  return { ...plan, actions: plan.actions.flatMap((a) => (a.type === 'deletePod' ? (pod ? [{ type: 'cancelPod' as const, podName: a.podName }] : []) : [a])) };
}

/** A kept pod of a cancelled run that has not been told to stop yet (its annotation write failed or was lost). */
function keptPodActions(f: TaskRunFacts, status: TaskRunStatus, pod: Pod | undefined): TaskRunAction[] {
  if (!f.keepPodOnCancel || !pod || getSucceeded(status)?.reason !== 'TaskRunCancelled') return [];
  if (pod.metadata.annotations?.[CANCEL_ANNOTATION] === 'CANCEL' || isPodComplete(pod) || pod.metadata.deletionTimestamp) return [];
  return [{ type: 'cancelPod', podName: pod.metadata.name ?? '' }];
}

/** The part of the machine for runs that are ours and not finished. */
function decideActive(f: TaskRunFacts, status: TaskRunStatus): TaskRunPlan {
  const tr = f.taskRun;
  const pod = currentPod(f, status);
  const spec = (f.resolved?.ok ? f.resolved.spec : undefined) ?? status.taskSpec ?? tr.spec.taskSpec ?? { steps: [] };
  if (tr.spec.status === 'TaskRunCancelled') return cancel(f, withPodStates(f, status, spec, pod), pod);
  if (tr.spec.status === 'TaskRunPending' && !status.startTime) {
    return { status: setSucceeded(status, { status: 'Unknown', reason: 'TaskRunPending', message: `TaskRun "${tr.metadata.name ?? ''}" is pending` }, f.now), actions: [] };
  }
  const timeoutMs = taskRunTimeoutMs(tr, f.defaultTimeoutMs);
  if (status.startTime && timeoutMs > 0 && f.now.getTime() - Date.parse(status.startTime) >= timeoutMs) {
    const message = `TaskRun "${tr.metadata.name ?? ''}" failed to finish within "${formatDuration(timeoutMs)}"`;
    return fail(f, withPodStates(f, status, spec, pod), 'TaskRunTimeout', message, true);
  }
  if (f.resolved && !f.resolved.ok) return fail(f, withPodStates(f, status, spec, pod), f.resolved.reason, f.resolved.message, false);
  const withSpec = f.resolved?.ok ? { ...status, taskSpec: f.resolved.spec } : status;
  if (pod) return fromPod(f, withSpec, spec, pod, timeoutMs);
  if (!f.resolved) return awaitingResolution(f, withSpec);
  if (!status.startTime) return start(f, withSpec, timeoutMs);
  const name = status.podName ?? podName(tr, status.retriesStatus?.length ?? 0);
  return { status: { ...withSpec, podName: name }, actions: [{ type: 'createPod', podName: name }], ...requeue(f, withSpec, timeoutMs) };
}

/**
 * Decides one reconcile of a TaskRun (see docs/internals.md). Runs managed by another controller are left
 * alone; finished runs only get their sidecars stopped if they still run; everything else follows Tekton:
 * cancel, pending, timeout, resolution failure, pod creation, status from the pod, retries, sidecar readiness.
 */
export function decideTaskRun(f: TaskRunFacts): TaskRunPlan {
  const status = structuredClone(f.taskRun.status ?? {});
  const managedBy = f.taskRun.spec.managedBy;
  if (managedBy && !MANAGED_BY_US.has(managedBy)) return { status, actions: [] };
  if (isDone(status)) {
    const pod = currentPod(f, status);
    return { status, actions: [...keptPodActions(f, status, pod), ...stopSidecarActions(pod)] };
  }
  return decideActive(f, status);
}
