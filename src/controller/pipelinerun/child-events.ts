/**
 * Which changes of a child (TaskRun, child PipelineRun, CustomRun) can change its parent PipelineRun's plan. A
 * wide run gets an event for every step of every child; reconciling the parent for one that cannot change its
 * plan costs a pass over all its children for nothing.
 *
 * The planner reads of a child: its name, its labels tekton.dev/pipelineRun and tekton.dev/pipelineTask, its
 * owner references; spec.status and spec.statusMessage (a
 * cancel asked for); the Succeeded condition's status, and its reason once finished (Tekton allows
 * `$(tasks.<t>.reason)` only in finally tasks, which start when every DAG task is finished); completionTime;
 * results and artifacts. Anything else (startTime, podName, steps, a running child's reason or message) is not
 * read.
 */
import type { KubeObject } from '../../api/types.js';
import { jsonEqual } from '../../api/json-equal.js';

const LABELS = ['tekton.dev/pipelineRun', 'tekton.dev/pipelineTask'];

interface ChildLike {
  spec?: { status?: string; statusMessage?: string };
  status?: {
    conditions?: Array<{ type: string; status?: string; reason?: string }>;
    completionTime?: string;
    results?: unknown;
    artifacts?: unknown;
  };
}

/** The Succeeded condition as the planner sees it: finished (status and reason) or not (no condition = Unknown). */
function outcome(o: ChildLike): string {
  const c = o.status?.conditions?.find((x) => x.type === 'Succeeded');
  return c?.status === 'True' || c?.status === 'False' ? `${c.status}/${c.reason ?? ''}` : 'Unknown';
}

/** Whether an update of a child from `old` to `obj` can change what its parent's plan decides. */
export function mattersToParent(obj: KubeObject, old: KubeObject): boolean {
  const a = obj as KubeObject & ChildLike;
  const b = old as KubeObject & ChildLike;
  if (a.metadata.name !== b.metadata.name || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp) return true;
  for (const label of LABELS) if (a.metadata.labels?.[label] !== b.metadata.labels?.[label]) return true;
  if (!jsonEqual(a.metadata.ownerReferences, b.metadata.ownerReferences)) return true;
  if (a.spec?.status !== b.spec?.status || a.spec?.statusMessage !== b.spec?.statusMessage) return true;
  if (outcome(a) !== outcome(b)) return true;
  const sa = a.status;
  const sb = b.status;
  return sa?.completionTime !== sb?.completionTime || !jsonEqual(sa?.results, sb?.results) || !jsonEqual(sa?.artifacts, sb?.artifacts);
}
