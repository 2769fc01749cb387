/**
 * The children of a pipeline task that are not TaskRuns (Tekton's createChildPipelineRun and createCustomRun):
 * a child PipelineRun for a `pipelineRef`/`pipelineSpec` task (Pipelines in Pipelines) and a tekton.dev/v1beta1
 * CustomRun for a custom task. Both carry the controller reference to the parent, Tekton's child labels
 * (the parent's labels plus tekton.dev/pipelineRun, pipelineRunUID, pipelineTask, memberOf) and the parent's
 * annotations.
 */
import type {
  CustomRun, CustomRunSpec, Param, PipelineRun, PipelineRunSpec, PipelineSpec, PipelineTask,
} from '../../api/types.js';
import { type Replacements, replaceDeep } from '../substitution/replace.js';
import { substituteParamValue } from './results.js';
import { taskRunSpecFor } from './taskrun.js';
import { ownerRefTo, taskWorkspaces } from './workspaces.js';

/** What one child is built from. */
export interface ChildInput {
  pr: PipelineRun;
  /** The parent's pipeline name (label tekton.dev/pipeline of the parent). */
  pipelineName: string;
  pt: PipelineTask;
  isFinally: boolean;
  scope: Replacements;
  name: string;
  /** The budget the child gets (Go duration), from the parent's timeouts. */
  timeout: string;
  /** The matrix combination this child runs, as params (CustomRuns only). */
  combination?: Param[];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function childLabels(input: ChildInput): Record<string, string> {
  const { pr, pt } = input;
  return {
    ...(pr.metadata.labels ?? {}),
    'tekton.dev/pipelineRun': pr.metadata.name ?? '',
    'tekton.dev/pipelineRunUID': pr.metadata.uid ?? '',
    'tekton.dev/pipelineTask': pt.name,
    'tekton.dev/memberOf': input.isFinally ? 'finally' : 'tasks',
  };
}

function childAnnotations(pr: PipelineRun): Record<string, string> {
  const out = { ...(pr.metadata.annotations ?? {}) };
  delete out[LAST_APPLIED];
  return out;
}

function childMetadata(input: ChildInput, labels: Record<string, string>): PipelineRun['metadata'] {
  return {
    name: input.name,
    namespace: input.pr.metadata.namespace ?? 'default',
    labels,
    annotations: childAnnotations(input.pr),
    ownerReferences: [ownerRefTo(input.pr)],
  };
}

function taskParams(pt: PipelineTask, scope: Replacements): Param[] {
  return (pt.params ?? []).map((p) => ({ name: p.name, value: substituteParamValue(p.value, scope) }));
}

/**
 * The child PipelineRun of a `pipelineRef`/`pipelineSpec` task: the task's params and workspace bindings (mapped
 * onto the parent's bindings as for a TaskRun), the parent's taskRunTemplate, the child Pipeline by reference
 * or inline, and the parent's remaining budget as `timeouts.pipeline` (so the child stops when the parent's
 * timeout fires). Label tekton.dev/pipeline names the child Pipeline when it is referenced.
 */
export function buildChildPipelineRun(input: ChildInput, entry: { pipelineSpec: PipelineSpec; pipelineName?: string }): PipelineRun {
  const { pr, pt, scope } = input;
  const spec: PipelineRunSpec = { params: taskParams(pt, scope) };
  if (pt.pipelineRef) spec.pipelineRef = replaceDeep(pt.pipelineRef, scope);
  else spec.pipelineSpec = structuredClone(entry.pipelineSpec);
  const workspaces = taskWorkspaces(pr, pt, scope);
  if (workspaces) spec.workspaces = workspaces;
  if (pr.spec.taskRunTemplate) spec.taskRunTemplate = structuredClone(pr.spec.taskRunTemplate);
  spec.timeouts = { pipeline: input.timeout };
  const labels = childLabels(input);
  labels['tekton.dev/pipeline'] = entry.pipelineName ?? pr.metadata.labels?.['tekton.dev/pipeline'] ?? input.pipelineName;
  return { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: childMetadata(input, labels), spec };
}

/**
 * The CustomRun of a custom task (apiVersion/kind on taskRef or taskSpec), in Tekton's v1beta1 shape: retries,
 * customRef (the substituted taskRef) or customSpec (the embedded apiVersion/kind/metadata/spec), params (matrix
 * combination first), the service account of taskRunSpecs / taskRunTemplate, timeout and workspaces.
 */
export function buildCustomRun(input: ChildInput): CustomRun {
  const { pr, pt, scope } = input;
  const runSpec = taskRunSpecFor(pr, pt.name);
  const spec: CustomRunSpec = {};
  if (pt.retries) spec.retries = pt.retries;
  if (pt.taskRef) spec.customRef = replaceDeep(pt.taskRef, scope);
  spec.params = [...(input.combination ?? []), ...taskParams(pt, scope)];
  spec.serviceAccountName = runSpec?.serviceAccountName || pr.spec.taskRunTemplate?.serviceAccountName || '';
  spec.timeout = input.timeout;
  const workspaces = taskWorkspaces(pr, pt, scope);
  if (workspaces) spec.workspaces = workspaces;
  const ts = pt.taskSpec;
  if (ts) {
    spec.customSpec = { apiVersion: ts.apiVersion, kind: ts.kind, metadata: structuredClone(ts.metadata ?? {}) };
    if (ts.spec) spec.customSpec.spec = replaceDeep(ts.spec as Record<string, unknown>, scope);
  }
  return { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: childMetadata(input, childLabels(input)), spec };
}
