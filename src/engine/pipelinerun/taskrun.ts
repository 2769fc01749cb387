/**
 * The child TaskRun of a pipeline task (Tekton's createTaskRun): deterministic name, the labels and
 * annotations tools select on, the controller reference to the PipelineRun, and a spec with params,
 * taskRef or inline taskSpec substituted at pipeline scope, workspaces, run settings and timeout.
 */
import type {
  Param, PipelineRun, PipelineRunTaskRunSpec, PipelineTask, PodTemplate, TaskRun, TaskRunSpec, TaskSpec,
} from '../../api/types.js';
import { type Replacements, addValue, mergeReplacements, replaceDeep } from '../substitution/replace.js';
import { ON_ERROR_ANNOTATION } from './reasons.js';
import { substituteParamValue } from './results.js';
import { ownerRefTo, propagatedWorkspaces, taskWorkspaces } from './workspaces.js';

/** What one TaskRun is built from. */
export interface TaskRunInput {
  pr: PipelineRun;
  pipelineName: string;
  pt: PipelineTask;
  isFinally: boolean;
  /** Name of the referenced Task (label tekton.dev/task), if taskRef. */
  taskName?: string;
  /** Pipeline-scope replacements, including results and `context.pipelineTask.retries`. */
  scope: Replacements;
  name: string;
  /** The matrix combination this TaskRun runs, as params. */
  combination?: Param[];
  timeout: string;
  managedByLabel: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Builds the complete TaskRun object to create. */
export function buildTaskRun(input: TaskRunInput): TaskRun {
  const { pr } = input;
  const pt = withPropagatedWorkspaces(pr, input.pt);
  const runSpec = taskRunSpecFor(pr, pt.name);
  const params = substitutedParams(pt, input.scope);
  const withCombination = input.combination ? withParams(input.scope, input.combination) : input.scope;
  const spec: TaskRunSpec = { params: [...params, ...(input.combination ?? [])] };
  if (pt.taskRef) spec.taskRef = replaceDeep(pt.taskRef, input.scope);
  else spec.taskSpec = embeddedSpec(pt, input.scope, params);
  const sa = runSpec?.serviceAccountName || pr.spec.taskRunTemplate?.serviceAccountName;
  if (sa) spec.serviceAccountName = sa;
  const podTemplate = mergePodTemplates(runSpec?.podTemplate, pr.spec.taskRunTemplate?.podTemplate);
  if (podTemplate) spec.podTemplate = replaceDeep(podTemplate, withCombination);
  if (runSpec?.stepSpecs) spec.stepSpecs = structuredClone(runSpec.stepSpecs);
  if (runSpec?.sidecarSpecs) spec.sidecarSpecs = structuredClone(runSpec.sidecarSpecs);
  if (runSpec?.computeResources) spec.computeResources = structuredClone(runSpec.computeResources);
  const workspaces = taskWorkspaces(pr, pt, input.scope);
  if (workspaces) spec.workspaces = workspaces;
  if (pt.retries) spec.retries = pt.retries;
  spec.timeout = input.timeout;
  if (pr.spec.managedBy) spec.managedBy = pr.spec.managedBy;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name: input.name,
      namespace: pr.metadata.namespace ?? 'default',
      labels: labelsFor(input, runSpec),
      annotations: annotationsFor(input, runSpec),
      ownerReferences: [ownerRefTo(pr)],
    },
    spec,
  };
}

/**
 * The pipeline task with propagated workspaces bound; its inline taskSpec declares every workspace the
 * pipeline task binds, so the TaskRun validates.
 */
function withPropagatedWorkspaces(pr: PipelineRun, pt: PipelineTask): PipelineTask {
  if (!pt.taskSpec) return pt;
  const names = propagatedWorkspaces(pr, pt);
  const bindings = [...(pt.workspaces ?? []), ...names.map((name) => ({ name }))];
  const declared = new Set((pt.taskSpec.workspaces ?? []).map((w) => w.name));
  const missing = bindings.filter((b) => !declared.has(b.name)).map((b) => ({ name: b.name }));
  if (names.length === 0 && missing.length === 0) return pt;
  return { ...pt, workspaces: bindings, taskSpec: { ...pt.taskSpec, workspaces: [...(pt.taskSpec.workspaces ?? []), ...missing] } };
}

/** The taskRunSpecs entry for a pipeline task, if any (the last one wins, as Tekton). */
export function taskRunSpecFor(pr: PipelineRun, ptName: string): PipelineRunTaskRunSpec | undefined {
  return (pr.spec.taskRunSpecs ?? []).filter((s) => s.pipelineTaskName === ptName).pop();
}

function substitutedParams(pt: PipelineTask, r: Replacements): Param[] {
  return (pt.params ?? []).map((p) => ({ name: p.name, value: substituteParamValue(p.value, r) }));
}

function withParams(r: Replacements, params: readonly Param[]): Replacements {
  const out = mergeReplacements(r);
  for (const p of params) addValue(out, `params.${p.name}`, p.value);
  return out;
}

/**
 * The inline taskSpec with pipeline-scope variables replaced (Tekton's propagateParams): where the pipeline
 * task passes a param that the pipeline also has, the task's value is used; params the pipeline does not
 * know stay as `$(params.x)` for the TaskRun to resolve. Step params (StepAction inputs) may turn into arrays
 * or objects, as Tekton's applyOrCorrect does.
 */
function embeddedSpec(pt: PipelineTask, r: Replacements, params: readonly Param[]): TaskSpec {
  const rest: Record<string, unknown> = { ...(pt.taskSpec ?? {}) };
  for (const key of ['metadata', 'apiVersion', 'kind', 'spec']) delete rest[key];
  const shadowing = params.filter((p) => r.strings.has(`params.${p.name}`) || r.arrays.has(`params.${p.name}`) || r.objects.has(`params.${p.name}`));
  const scope = shadowing.length > 0 ? withParams(r, shadowing) : r;
  const spec = replaceDeep({ steps: [], ...rest } as TaskSpec, scope);
  spec.steps = spec.steps.map((step, i) => {
    const raw = (rest.steps as TaskSpec['steps'] | undefined)?.[i]?.params;
    return raw ? { ...step, params: raw.map((p) => ({ name: p.name, value: substituteParamValue(p.value, scope) })) } : step;
  });
  return spec;
}

function labelsFor(input: TaskRunInput, runSpec: PipelineRunTaskRunSpec | undefined): Record<string, string> {
  const { pr, pt } = input;
  const own: Record<string, string> = {
    ...(pr.metadata.labels ?? {}),
    'tekton.dev/pipeline': input.pipelineName,
    'tekton.dev/pipelineRun': pr.metadata.name ?? '',
    'tekton.dev/pipelineRunUID': pr.metadata.uid ?? '',
    'tekton.dev/pipelineTask': pt.name,
    'tekton.dev/memberOf': input.isFinally ? 'finally' : 'tasks',
    'app.kubernetes.io/managed-by': input.managedByLabel,
  };
  if (input.taskName) own['tekton.dev/task'] = input.taskName;
  return { ...(pt.taskSpec?.metadata?.labels ?? {}), ...own, ...(runSpec?.metadata?.labels ?? {}) };
}

function annotationsFor(input: TaskRunInput, runSpec: PipelineRunTaskRunSpec | undefined): Record<string, string> {
  const fromRun = { ...(input.pr.metadata.annotations ?? {}) };
  delete fromRun[LAST_APPLIED];
  const out = { ...(input.pt.taskSpec?.metadata?.annotations ?? {}), ...fromRun, ...(runSpec?.metadata?.annotations ?? {}) };
  if (input.pt.onError === 'continue') out[ON_ERROR_ANNOTATION] = 'continue';
  return out;
}

const BY_NAME = ['env', 'volumes', 'imagePullSecrets'] as const;

/**
 * Tekton's MergePodTemplateWithDefault: fields of the task-specific template win; env, volumes and
 * imagePullSecrets are merged by name.
 */
export function mergePodTemplates(specific: PodTemplate | undefined, base: PodTemplate | undefined): PodTemplate | undefined {
  if (!specific) return base && structuredClone(base);
  if (!base) return structuredClone(specific);
  const out: Record<string, unknown> = { ...structuredClone(base), ...structuredClone(specific) };
  for (const key of BY_NAME) {
    const a = (base[key] ?? []) as Array<{ name: string }>;
    const b = (specific[key] ?? []) as Array<{ name: string }>;
    if (a.length + b.length === 0) continue;
    const names = new Set(b.map((x) => x.name));
    out[key] = [...a.filter((x) => !names.has(x.name)), ...b].map((x) => structuredClone(x));
  }
  return out as PodTemplate;
}
