/**
 * Gathers what a TaskRun needs before the pure engine can decide: the TaskSpec (inline, or the referenced
 * Task) and the StepActions its steps reference. Fetch failures become a resolution failure value, not a throw,
 * so the run fails with a message naming the reference.
 */
import type { StepActionSpec, TaskRun, TaskSpec } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError, isNotFound } from '../../kube/errors.js';

export type Fetched =
  | { ok: true; spec: TaskSpec; taskName?: string; stepActions: Map<string, StepActionSpec> }
  | { ok: false; reason: string; message: string };

const TASK = { apiVersion: 'tekton.dev/v1', kind: 'Task' };
const STEP_ACTION = { apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction' };

/** Fetches the TaskSpec and StepActions of a TaskRun. Transient API errors are thrown (retried with backoff). */
export async function fetchTaskSpec(client: KubeClient, tr: TaskRun): Promise<Fetched> {
  const ns = tr.metadata.namespace ?? 'default';
  let spec: TaskSpec | undefined = tr.spec.taskSpec;
  let taskName: string | undefined;
  const ref = tr.spec.taskRef;
  if (!spec && ref) {
    if (ref.resolver) return { ok: false, reason: 'TaskRunResolutionFailed', message: `resolver "${ref.resolver}" is not supported yet for taskRef of TaskRun "${tr.metadata.name}"` };
    if (!ref.name) return { ok: false, reason: 'TaskRunResolutionFailed', message: 'taskRef has neither name nor resolver' };
    try {
      const task = await client.get<{ apiVersion: string; kind: string; metadata: { name?: string }; spec: TaskSpec }>(TASK, ns, ref.name);
      spec = task.spec;
      taskName = ref.name;
    } catch (err) {
      if (isNotFound(err)) return { ok: false, reason: 'TaskRunResolutionFailed', message: `tasks.tekton.dev "${ref.name}" not found in namespace "${ns}"` };
      throw err;
    }
  }
  if (!spec) return { ok: false, reason: 'TaskRunValidationFailed', message: 'TaskRun has neither taskRef nor taskSpec' };
  return fetchStepActions(client, ns, spec, taskName);
}

async function fetchStepActions(client: KubeClient, ns: string, spec: TaskSpec, taskName: string | undefined): Promise<Fetched> {
  const stepActions = new Map<string, StepActionSpec>();
  for (const step of spec.steps ?? []) {
    const name = step.ref?.name;
    if (!name || stepActions.has(name)) continue;
    if (step.ref?.resolver) return { ok: false, reason: 'TaskRunResolutionFailed', message: `resolver "${step.ref.resolver}" is not supported yet for step refs` };
    try {
      const sa = await client.get<{ apiVersion: string; kind: string; metadata: object; spec: StepActionSpec }>(STEP_ACTION, ns, name);
      stepActions.set(name, sa.spec);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) {
        return { ok: false, reason: 'TaskRunResolutionFailed', message: `stepactions.tekton.dev "${name}" not found in namespace "${ns}"` };
      }
      throw err;
    }
  }
  return { ok: true, spec, ...(taskName ? { taskName } : {}), stepActions };
}
