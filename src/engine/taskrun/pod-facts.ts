/**
 * What a Pod says about its TaskRun, in Tekton's terms (pkg/pod/status.go): is it complete, did it fail and why,
 * why is it pending. Reasons and messages are Tekton's strings, which users, tkn and PipelineRuns match on.
 */
import type { ContainerStatus, Pod } from '../../api/types.js';
import { RESULTS_SIDECAR_CONTAINER } from './sidecar-logs.js';
import { parseTerminationMessage, RESULT_TYPE } from './termination.js';

/** True for step containers (`step-…`). */
export function isStepContainer(name: string): boolean {
  return name.startsWith('step-');
}

/** True for sidecar containers (`sidecar-…`). */
export function isSidecarContainer(name: string): boolean {
  return name.startsWith('sidecar-');
}

/** Image pull failures a waiting container can report. */
export const PULL_ERRORS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

function stepStatuses(pod: Pod): ContainerStatus[] {
  return (pod.status?.containerStatuses ?? []).filter((s) => isStepContainer(s.name));
}

function completionStatuses(pod: Pod): ContainerStatus[] {
  return (pod.status?.containerStatuses ?? []).filter((s) => isStepContainer(s.name) || s.name === RESULTS_SIDECAR_CONTAINER);
}

function isOOMKilled(s: ContainerStatus): boolean {
  return s.state?.terminated?.reason === 'OOMKilled';
}

/**
 * Every step container of the pod spec has terminated (sidecars may still run, except the results sidecar of
 * results-from: sidecar-logs, which must have printed the results), or the pod itself finished.
 */
export function isPodComplete(pod: Pod): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return true;
  const stepNames = pod.spec.containers.map((c) => c.name).filter((n) => isStepContainer(n) || n === RESULTS_SIDECAR_CONTAINER);
  const statuses = new Map(completionStatuses(pod).map((s) => [s.name, s]));
  if (stepStatuses(pod).some(isOOMKilled)) return true;
  return stepNames.length > 0 && stepNames.every((n) => statuses.get(n)?.state?.terminated !== undefined);
}

/** Pod reason the embedded kubelet gives a pod that was running when its process died (see kubelet/restart.ts). */
export const NODE_RESTARTED = 'NodeRestarted';

/**
 * The pod failed because the node agent running it restarted, not because of anything in it: the attempt is
 * lost to infrastructure (like a Job's pod disrupted by its node), so the TaskRun starts a new one.
 */
export function wasDisrupted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status.reason === NODE_RESTARTED;
}

/** Tekton's `DidTaskRunFail`: pod Failed, or a step exited non-zero or was OOM-killed. */
export function didPodFail(pod: Pod): boolean {
  if (pod.status?.phase === 'Failed') return true;
  return stepStatuses(pod).some((s) => (s.state?.terminated && s.state.terminated.exitCode !== 0) || isOOMKilled(s));
}

function containerFailure(s: ContainerStatus): string {
  const term = s.state?.terminated;
  if (!term) return '';
  const entries = parseTerminationMessage(term.message) ?? [];
  if (entries.some((e) => e.type === RESULT_TYPE.internal && e.key === 'Reason' && e.value === 'TimeoutExceeded')) {
    return `"${s.name}" exited because the step exceeded the specified timeout limit`;
  }
  return term.exitCode !== 0 ? `"${s.name}" exited with code ${term.exitCode}` : '';
}

/** Tekton's `getFailureMessage`: eviction, then the first failed init container, then step, then pod message. */
export function failureMessage(pod: Pod): string {
  if (pod.status?.reason === 'Evicted') return pod.status.message ?? '';
  for (const s of pod.status?.initContainerStatuses ?? []) {
    const msg = containerFailure(s);
    if (msg) return `init container failed, ${msg}`;
  }
  for (const s of pod.status?.containerStatuses ?? []) {
    const msg = containerFailure(s);
    if (msg) return msg;
  }
  if (pod.status?.message) return pod.status.message;
  if (stepStatuses(pod).some(isOOMKilled)) return 'OOMKilled';
  return 'build failed for unspecified reasons.';
}

/** What Tekton's entrypoint prints when the results do not fit in the termination message. */
export const TOO_LARGE_TEXT = 'Termination message is above max allowed size 4096, caused by large task result.';

function saysTooLarge(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const entries = parseTerminationMessage(message);
  // the plain text form (Tekton's entrypoint), or tektite's helper: internal Reason=TerminationMessageTooLarge
  if (entries === undefined) return /above max allowed size/i.test(message) ? message.trim() : undefined;
  const flagged = entries.some((e) => e.type === RESULT_TYPE.internal && e.key === 'Reason' && e.value === 'TerminationMessageTooLarge');
  return flagged ? TOO_LARGE_TEXT : undefined;
}

/** The step whose termination message says its results were too large for it, with that text. */
export function oversizedResults(pod: Pod): { container: string; exitCode: number; text: string } | undefined {
  for (const s of stepStatuses(pod)) {
    const term = s.state?.terminated;
    const text = saysTooLarge(term?.message);
    if (term && text) return { container: s.name, exitCode: term.exitCode, text };
  }
  return undefined;
}

/** Tekton's `getWaitingMessage` for a pending pod. */
export function waitingMessage(pod: Pod): string {
  for (const s of pod.status?.containerStatuses ?? []) {
    const wait = s.state?.waiting;
    if (wait?.message) return `build step "${s.name}" is pending with reason "${wait.message}"`;
  }
  const c = (pod.status?.conditions ?? []).find((x) => x.status !== 'True');
  if (c) return `pod status "${c.type}":"${c.status}"; message: "${c.message ?? ''}"`;
  return pod.status?.message || 'Pending';
}

/** Pod unschedulable for lack of node resources. */
export function exceedsNodeResources(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable' && (c.message ?? '').includes('Insufficient'));
}

/** A container waits with CreateContainerConfigError (e.g. a missing Secret or ConfigMap key). */
export function hasConfigError(pod: Pod): boolean {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].some((s) => s.state?.waiting?.reason === 'CreateContainerConfigError');
}

/**
 * Pull states that fail the TaskRun (Tekton's podFailureReasons): `ErrImagePull` is not one, the kubelet retries it
 * and moves on to `ImagePullBackOff`.
 */
const FAILING_PULL_ERRORS = new Set(['ImagePullBackOff', 'InvalidImageName']);

/** The first container (step, then sidecar) that cannot pull its image and is backing off. */
export function imagePullFailure(pod: Pod): { container: string; image: string; message: string } | undefined {
  const all = [...(pod.status?.containerStatuses ?? [])].sort((a, b) => Number(isSidecarContainer(a.name)) - Number(isSidecarContainer(b.name)));
  for (const s of all) {
    const wait = s.state?.waiting;
    if (!wait?.reason || !FAILING_PULL_ERRORS.has(wait.reason)) continue;
    const image = pod.spec.containers.find((c) => c.name === s.name)?.image ?? s.image ?? '';
    return { container: s.name, image, message: wait.message ?? wait.reason };
  }
  return undefined;
}
