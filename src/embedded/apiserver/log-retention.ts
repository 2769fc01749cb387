/**
 * Logs go with the runs they belong to: a pod's logs are removed when its TaskRun is deleted (they outlive the pod
 * itself while the TaskRun exists, so `tkt tr logs` shows every attempt), and with the pod when it has no TaskRun;
 * an EventListener's sink log (embedded mode) goes with the EventListener.
 */
import type { KubeObject } from '../../api/types.js';
import type { LogStore } from '../logs.js';
import type { Store, StoreEvent } from './store.js';

const PODS = '/pods';
const TASKRUNS = 'tekton.dev/taskruns';
/** An embedded EventListener's sink log is kept as pod `el-<name>`'s (src/triggers/log-lines.ts). */
const EVENTLISTENERS = 'triggers.tekton.dev/eventlisteners';

/** Pod names whose logs a TaskRun keeps (every attempt). */
function podsOf(tr: KubeObject): string[] {
  const st = tr.status as { podName?: string; retriesStatus?: Array<{ podName?: string }> } | undefined;
  return [st?.podName, ...(st?.retriesStatus ?? []).map((r) => r.podName)].filter((n): n is string => !!n);
}

/** Subscribes to the store; answers the unsubscribe function. */
export function removeLogsWithOwners(store: Store, logs: LogStore): () => void {
  if (!logs.remove) return () => undefined;
  const remove = (ns: string, pod: string, reusable = false): void => {
    setImmediate(() => {
      try {
        logs.remove?.(ns, pod);
        // a sink log has no kubelet to open() it again: a listener re-created under the name logs at once
        if (reusable) logs.open?.(ns, pod);
      } catch {
        // a log dir that cannot be removed stays; nothing else depends on it
      }
    });
  };
  return store.subscribe((ev: StoreEvent) => {
    if (ev.type !== 'DELETED') return;
    if (ev.resource === EVENTLISTENERS) {
      remove(ev.namespace, `el-${ev.name}`, true);
      return;
    }
    if (ev.resource === TASKRUNS) {
      for (const pod of podsOf(ev.object)) remove(ev.namespace, pod);
      return;
    }
    if (ev.resource !== PODS) return;
    const owner = (ev.object.metadata.ownerReferences ?? []).find((o) => o.kind === 'TaskRun');
    if (!owner || !store.get(TASKRUNS, ev.namespace, owner.name)) remove(ev.namespace, ev.name);
  });
}
