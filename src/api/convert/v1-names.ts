/**
 * tekton.dev/v1 field names written in a tekton.dev/v1beta1 document. Tekton's webhook decodes v1beta1 strictly,
 * so `stepSpecs` in a v1beta1 TaskRun is an unknown field there; conversion would carry it into v1 unnoticed.
 * These are reported as unknown fields (errors under fieldValidation=Strict, warnings otherwise), naming the
 * v1beta1 spelling. Pure.
 */
import type { FieldError } from '../validate/field-errors.js';
import { isObj, type Obj } from './util.js';

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function flag(o: Obj, path: string, names: Record<string, string>, out: FieldError[]): void {
  for (const [v1, b1] of Object.entries(names)) {
    if (v1 in o) out.push({ path: `${path}.${v1}`, message: `unknown field "${v1}"; tekton.dev/v1beta1 calls it ${b1} ("${v1}" is its tekton.dev/v1 name)` });
  }
}

const RESOURCES = { computeResources: '"resources"' };
const OVERRIDES = { stepSpecs: '"stepOverrides"', sidecarSpecs: '"sidecarOverrides"' };

function taskSpec(spec: unknown, path: string, out: FieldError[]): void {
  if (!isObj(spec)) return;
  list(spec.steps).forEach((s, i) => flag(s, `${path}.steps[${i}]`, RESOURCES, out));
  list(spec.sidecars).forEach((s, i) => flag(s, `${path}.sidecars[${i}]`, RESOURCES, out));
  if (isObj(spec.stepTemplate)) flag(spec.stepTemplate, `${path}.stepTemplate`, RESOURCES, out);
}

function pipelineSpec(spec: unknown, path: string, out: FieldError[]): void {
  if (!isObj(spec)) return;
  for (const field of ['tasks', 'finally']) {
    list(spec[field]).forEach((pt, i) => {
      taskSpec(pt.taskSpec, `${path}.${field}[${i}].taskSpec`, out);
      pipelineSpec(pt.pipelineSpec, `${path}.${field}[${i}].pipelineSpec`, out);
    });
  }
}

function pipelineRunSpec(spec: Obj, out: FieldError[]): void {
  flag(spec, 'spec', { taskRunTemplate: '"serviceAccountName" and "podTemplate" (directly under spec)' }, out);
  list(spec.taskRunSpecs).forEach((t, i) => {
    flag(t, `spec.taskRunSpecs[${i}]`, { serviceAccountName: '"taskServiceAccountName"', podTemplate: '"taskPodTemplate"', ...OVERRIDES }, out);
  });
  pipelineSpec(spec.pipelineSpec, 'spec.pipelineSpec', out);
}

/** v1 names used in a v1beta1 Task, TaskRun, Pipeline or PipelineRun, as unknown-field issues. */
export function v1NamesInV1beta1(obj: unknown): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(obj) || !isObj(obj.spec)) return out;
  const spec = obj.spec;
  if (obj.kind === 'Task') taskSpec(spec, 'spec', out);
  if (obj.kind === 'Pipeline') pipelineSpec(spec, 'spec', out);
  if (obj.kind === 'PipelineRun') pipelineRunSpec(spec, out);
  if (obj.kind === 'TaskRun') {
    flag(spec, 'spec', OVERRIDES, out);
    taskSpec(spec.taskSpec, 'spec.taskSpec', out);
  }
  return out;
}
