/**
 * What a user who wrote tekton.dev/v1beta1 needs from validation, which runs on the object converted to v1:
 * the v1beta1-only rules of Tekton's webhook that conversion would hide (PipelineResources, `timeout` with
 * `timeouts`), and error paths named as the user wrote them (`spec.serviceAccountName`, not
 * `spec.taskRunTemplate.serviceAccountName`). Pure.
 */
import type { FieldError } from '../validate/field-errors.js';
import { isObj, type Obj } from './util.js';

const RESOURCES_GONE = 'must not set the field(s): PipelineResources were removed from Tekton (v1beta1 `resources`); '
  + 'pass data between tasks with workspaces, params and results, or use a catalog Task (e.g. git-clone) instead';

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function checkTaskSpec(spec: unknown, path: string, out: FieldError[]): void {
  if (isObj(spec) && spec.resources != null) out.push({ path: `${path}.resources`, message: RESOURCES_GONE });
}

function checkPipelineSpec(spec: unknown, path: string, out: FieldError[]): void {
  if (!isObj(spec)) return;
  if (spec.resources != null) out.push({ path: `${path}.resources`, message: RESOURCES_GONE });
  for (const field of ['tasks', 'finally']) {
    list(spec[field]).forEach((pt, i) => {
      const at = `${path}.${field}[${i}]`;
      if (pt.resources != null) out.push({ path: `${at}.resources`, message: RESOURCES_GONE });
      checkTaskSpec(pt.taskSpec, `${at}.taskSpec`, out);
      checkPipelineSpec(pt.pipelineSpec, `${at}.pipelineSpec`, out);
    });
  }
}

/** The v1beta1-only refusals of Tekton's webhook, on the object as the user wrote it. */
export function checkV1beta1(obj: unknown): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(obj) || !isObj(obj.spec)) return out;
  const spec = obj.spec;
  switch (obj.kind) {
    case 'Task':
      checkTaskSpec(spec, 'spec', out);
      break;
    case 'TaskRun':
      checkTaskSpec(spec, 'spec', out);
      checkTaskSpec(spec.taskSpec, 'spec.taskSpec', out);
      break;
    case 'Pipeline':
      checkPipelineSpec(spec, 'spec', out);
      break;
    case 'PipelineRun':
      if (spec.resources != null) out.push({ path: 'spec.resources', message: RESOURCES_GONE });
      checkPipelineSpec(spec.pipelineSpec, 'spec.pipelineSpec', out);
      if (spec.timeout != null && spec.timeouts != null) {
        out.push({ path: 'spec.timeout', message: 'must not set the field(s): spec.timeout, spec.timeouts; use only timeouts (timeout is deprecated)' });
      }
      break;
  }
  return out;
}

const CONTAINER = String.raw`(steps\[\d+\]|stepTemplate|sidecars\[\d+\]|stepOverrides\[\d+\]|sidecarOverrides\[\d+\])`;
const RULES: Array<[RegExp, string]> = [
  [/^spec\.taskRunTemplate\.(serviceAccountName|podTemplate)/, 'spec.$1'],
  [/^spec\.taskRunTemplate(?=$|\.)/, 'spec'],
  [/(taskRunSpecs\[\d+\])\.serviceAccountName(?=$|[.[])/, '$1.taskServiceAccountName'],
  [/(taskRunSpecs\[\d+\])\.podTemplate(?=$|[.[])/, '$1.taskPodTemplate'],
  [/(^|\.)stepSpecs(?=$|[.[])/g, '$1stepOverrides'],
  [/(^|\.)sidecarSpecs(?=$|[.[])/g, '$1sidecarOverrides'],
  [new RegExp(`${CONTAINER}\\.computeResources(?=$|[.[])`, 'g'), '$1.resources'],
  [/^status\.results(?=$|[.[])/, 'status.@results'],
];

/**
 * The v1beta1 path of a field path found on the v1 conversion of `original` (a v1beta1 object): names as the
 * user wrote them. Paths of fields that did not move come back unchanged.
 */
export function v1beta1Path(path: string, original: unknown): string {
  let p = path;
  for (const [re, to] of RULES) p = p.replace(re, to);
  const spec = isObj(original) && isObj(original.spec) ? original.spec : {};
  if (spec.timeout != null) p = p.replace(/^spec\.timeouts\.pipeline(?=$|[.[])/, 'spec.timeout');
  const kind = isObj(original) ? original.kind : undefined;
  return p.replace('status.@results', kind === 'PipelineRun' ? 'status.pipelineResults' : 'status.taskResults');
}
