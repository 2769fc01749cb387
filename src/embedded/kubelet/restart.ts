/**
 * Pods found half-run after a kubelet restart. A pod that has a scratch directory under the data dir but is not
 * terminal was started by a previous kubelet process that died; its processes died with it (bwrap
 * --die-with-parent) or are removed now (podman). The pod is marked Failed with reason NodeRestarted rather than
 * rerun: a step may have had side effects, and Tekton retries a TaskRun that has `retries` left.
 */
import type { ContainerStatus, Pod, PodStatus } from '../../api/types.js';
import { kubeTime } from './status.js';

const MESSAGE = 'the tektite kubelet restarted while this pod was running';

function stopped(cs: ContainerStatus, now: string): ContainerStatus {
  const running = cs.state?.running;
  if (!running) return { ...cs, ready: false };
  return {
    ...cs,
    ready: false,
    started: false,
    state: { terminated: { exitCode: 137, reason: 'Error', message: MESSAGE, startedAt: running.startedAt, finishedAt: now, ...(cs.containerID ? { containerID: cs.containerID } : {}) } },
  };
}

/** The status of a pod that was running when the kubelet died: Failed, reason NodeRestarted. */
export function restartedStatus(pod: Pod, now = new Date()): PodStatus {
  const t = kubeTime(now);
  const old = pod.status ?? {};
  const cond = (type: string) => ({ type, status: 'False' as const, reason: 'PodCompleted', lastTransitionTime: t });
  const status: PodStatus = {
    ...old,
    phase: 'Failed',
    reason: 'NodeRestarted',
    message: MESSAGE,
    startTime: old.startTime ?? t,
    conditions: [
      ...(old.conditions ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'ContainersReady'),
      cond('Ready'),
      cond('ContainersReady'),
    ],
    containerStatuses: (old.containerStatuses ?? []).map((cs) => stopped(cs, t)),
  };
  if (old.initContainerStatuses) status.initContainerStatuses = old.initContainerStatuses.map((cs) => stopped(cs, t));
  return status;
}
