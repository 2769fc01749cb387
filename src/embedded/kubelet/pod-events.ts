/**
 * Events about a pod and its containers, as a kubelet reports them (reason strings and messages of
 * kubernetes/pkg/kubelet/events): Pulling, Pulled, Created, Started, Failed, BackOff, Killing, with the container
 * named by the involvedObject's fieldPath (`spec.containers{name}`). Written through the shared recorder.
 */
import type { Pod } from '../../api/types.js';
import { noEvents, referenceTo, type EventRecorder, type EventType } from '../../kube/events.js';

/** The events of one pod. */
export interface PodEvents {
  pod(type: EventType, reason: string, message: string): void;
  container(name: string, init: boolean, type: EventType, reason: string, message: string): void;
}

/** The events of `pod()` through `recorder`. */
export function podEvents(recorder: EventRecorder, pod: () => Pod): PodEvents {
  const about = (fieldPath?: string) => referenceTo({ ...pod(), apiVersion: 'v1', kind: 'Pod' }, fieldPath);
  return {
    pod: (type, reason, message) => recorder.event(about(), type, reason, message),
    container: (name, init, type, reason, message) => recorder.event(about(`spec.${init ? 'initContainers' : 'containers'}{${name}}`), type, reason, message),
  };
}

/** Pod events that go nowhere. */
export const noPodEvents: PodEvents = podEvents(noEvents, () => ({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } }));

/** The kubelet's duration format in Pulled messages (Go's time.Duration String, ms precision). */
export function pullDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  return `${Math.floor(s / 60)}m${Number((s % 60).toFixed(3))}s`;
}
