/**
 * Gathers the results sidecar's log (results-from: sidecar-logs) for decideTaskRun: read once the pod's steps
 * and the sidecar have terminated, with the max-result-size in force now (as Tekton reads it at status time).
 */
import type { Pod } from '../../api/types.js';
import { isPodComplete } from '../../engine/taskrun/pod-facts.js';
import { RESULTS_SIDECAR_CONTAINER, type SidecarLogs } from '../../engine/taskrun/sidecar-logs.js';
import type { KubeClient } from '../../kube/client.js';

/** The sidecar's log when the pod has a results sidecar that is done, else undefined. */
export async function gatherSidecarLogs(client: KubeClient, pod: Pod | undefined, maxResultSize: number): Promise<SidecarLogs | undefined> {
  if (!pod || !pod.spec.containers.some((c) => c.name === RESULTS_SIDECAR_CONTAINER) || !isPodComplete(pod)) return undefined;
  const text = await client.podLog(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', { container: RESULTS_SIDECAR_CONTAINER });
  return { text, maxResultSize };
}
