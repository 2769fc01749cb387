/**
 * Gathers what a TaskRun needs before the pure engine can decide: the TaskSpec (inline, or the referenced
 * Task) and the StepActions its steps reference. Fetch failures become a resolution failure value, not a throw,
 * so the run fails with a message naming the reference.
 */
import { REF } from '../../api/registry.js';
import type { Param, Step, StepActionSpec, TaskRun, TaskSpec } from '../../api/types.js';
import { stepActionKey } from '../../engine/taskrun/step-actions.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError, isNotFound } from '../../kube/errors.js';
import type { DefinitionMeta } from '../../engine/run-metadata.js';
import { resolveRef, substituteRunParams, type RefSource } from '../resolution/index.js';

export type Fetched =
  | { ok: true; spec: TaskSpec; taskName?: string; stepActions: Map<string, StepActionSpec>; meta?: DefinitionMeta; source?: RefSource }
  | { ok: false; reason: string; message: string };

const TASK = REF.Task;
const STEP_ACTION = REF.StepAction;

/** Fetches the TaskSpec and StepActions of a TaskRun. Transient API errors are thrown (retried with backoff). */
export async function fetchTaskSpec(client: KubeClient, tr: TaskRun): Promise<Fetched> {
  const ns = tr.metadata.namespace ?? 'default';
  let spec: TaskSpec | undefined = tr.spec.taskSpec;
  let taskName: string | undefined;
  let meta: DefinitionMeta | undefined = spec ? tr.metadata : undefined;
  const ref = tr.spec.taskRef;
  if (!spec && ref) {
    if (ref.resolver) {
      const r = await resolveRef(client, { resolver: ref.resolver, params: substituteRunParams(ref.params ?? [], tr.spec.params), namespace: ns, kind: 'task' });
      if (!r.ok) return { ok: false, reason: 'TaskRunResolutionFailed', message: `taskRef of TaskRun "${tr.metadata.name ?? ''}": ${r.message}` };
      const fetched = await fetchStepActions(client, ns, r.object.spec as TaskSpec, r.name);
      return fetched.ok ? { ...fetched, meta: r.object.metadata, source: r.source } : fetched;
    }
    if (!ref.name) return { ok: false, reason: 'TaskRunResolutionFailed', message: 'taskRef has neither name nor resolver' };
    try {
      const task = await client.get<{ apiVersion: string; kind: string; metadata: DefinitionMeta; spec: TaskSpec }>(TASK, ns, ref.name);
      spec = task.spec;
      taskName = ref.name;
      meta = { ...task.metadata, name: ref.name };
    } catch (err) {
      if (isNotFound(err)) return { ok: false, reason: 'TaskRunResolutionFailed', message: `tasks.tekton.dev "${ref.name}" not found in namespace "${ns}"` };
      throw err;
    }
  }
  if (!spec) return { ok: false, reason: 'TaskRunValidationFailed', message: 'TaskRun has neither taskRef nor taskSpec' };
  const fetched = await fetchStepActions(client, ns, spec, taskName);
  return fetched.ok && meta ? { ...fetched, meta } : fetched;
}

async function fetchStepActions(client: KubeClient, ns: string, spec: TaskSpec, taskName: string | undefined): Promise<Fetched> {
  const stepActions = new Map<string, StepActionSpec>();
  for (const [index, step] of (spec.steps ?? []).entries()) {
    if (step.ref?.resolver) {
      const failed = await resolveStepAction(client, ns, step, index, stepActions);
      if (failed) return failed;
      continue;
    }
    const name = step.ref?.name;
    if (!name || stepActions.has(name)) continue;
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

/** Resolves a step's remote StepAction ref into `stepActions` under the engine's key; answers a failure value, or undefined. */
async function resolveStepAction(client: KubeClient, ns: string, step: Step, index: number, stepActions: Map<string, StepActionSpec>): Promise<Fetched | undefined> {
  const ref = step.ref as { resolver: string; params?: Param[] };
  const r = await resolveRef(client, { resolver: ref.resolver, params: ref.params ?? [], namespace: ns, kind: 'stepaction' });
  if (!r.ok) return { ok: false, reason: 'TaskRunResolutionFailed', message: `ref of step "${step.name ?? index}": ${r.message}` };
  stepActions.set(stepActionKey(step, index), r.object.spec as StepActionSpec);
  return undefined;
}
