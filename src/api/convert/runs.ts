/**
 * TaskRun and PipelineRun between tekton.dev/v1beta1 and v1, after Tekton's taskrun_conversion.go and
 * pipelinerun_conversion.go. Pure: each function takes the object and answers a converted copy.
 */
import { pipelineSpec } from './pipeline.js';
import { refToV1, restoreResources, stashResources, taskSpecFromV1, taskSpecToV1 } from './task.js';
import { Annotations, isObj, isSet, mapKey, mapList, type Obj, omit, renameKey } from './util.js';

export const CLOUD_EVENTS = 'tekton.dev/v1beta1CloudEvents';
export const RESOURCES_RESULT = 'tekton.dev/v1beta1ResourcesResult';
export const RESOURCES_STATUS = 'tekton.dev/v1beta1ResourcesStatus';

const toCompute = (c: Obj): Obj => renameKey(c, 'resources', 'computeResources');
const fromCompute = (c: Obj): Obj => renameKey(c, 'computeResources', 'resources');

function overridesToV1(o: Obj): Obj {
  const out = renameKey(o, 'stepOverrides', 'stepSpecs', (v) => mapList(v, toCompute));
  return renameKey(out, 'sidecarOverrides', 'sidecarSpecs', (v) => mapList(v, toCompute));
}

function overridesFromV1(o: Obj): Obj {
  const out = renameKey(o, 'stepSpecs', 'stepOverrides', (v) => mapList(v, fromCompute));
  return renameKey(out, 'sidecarSpecs', 'sidecarOverrides', (v) => mapList(v, fromCompute));
}

function meta(obj: Obj): { annotations: Annotations; name: string } {
  const m = isObj(obj.metadata) ? obj.metadata : {};
  return { annotations: new Annotations(m), name: typeof m.name === 'string' ? m.name : '' };
}

// ------------------------------------------------------------------------------------------------ TaskRun

function stepStateToV1(s: Obj): Obj {
  const reason = isObj(s.terminated) ? s.terminated.reason : undefined;
  return typeof reason === 'string' && reason !== '' ? { ...s, terminationReason: reason } : s;
}

function taskRunStatusToV1(status: Obj): Obj {
  let out = omit(status, ['cloudEvents', 'resourcesResult']);
  out = renameKey(out, 'taskResults', 'results');
  out = mapKey(out, 'steps', (v) => mapList(v, stepStateToV1));
  out = mapKey(out, 'taskSpec', (t) => taskSpecToV1(t));
  return mapKey(out, 'retriesStatus', (v) => mapList(v, taskRunStatusToV1));
}

function taskRunStatusFromV1(status: Obj): Obj {
  let out = renameKey(status, 'results', 'taskResults');
  out = mapKey(out, 'steps', (v) => mapList(v, (s) => omit(s, ['terminationReason'])));
  out = mapKey(out, 'taskSpec', (t) => taskSpecFromV1(t));
  return mapKey(out, 'retriesStatus', (v) => mapList(v, taskRunStatusFromV1));
}

/** v1beta1 TaskRun -> v1. */
export function taskRunToV1(obj: Obj): Obj {
  const { annotations, name } = meta(obj);
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  stashResources(spec, annotations);
  const out: Obj = { ...obj };
  if (isObj(obj.status)) {
    const st = obj.status;
    if (st.cloudEvents != null) annotations.put(CLOUD_EVENTS, st.cloudEvents);
    if (st.resourcesResult != null) annotations.put(RESOURCES_RESULT, st.resourcesResult);
    if (isObj(st.taskSpec)) stashResources(st.taskSpec, annotations, RESOURCES_STATUS);
    out.status = taskRunStatusToV1(st);
  }
  if (spec) {
    let s = omit(spec, ['resources']);
    s = mapKey(s, 'taskRef', (r) => refToV1(r, 'Task'));
    s = mapKey(s, 'taskSpec', (t) => taskSpecToV1(t, { annotations, taskName: name }));
    out.spec = overridesToV1(s);
  }
  out.metadata = annotations.apply(obj.metadata);
  return out;
}

/** v1 TaskRun -> v1beta1. */
export function taskRunFromV1(obj: Obj): Obj {
  const { annotations, name } = meta(obj);
  const out: Obj = { ...obj };
  if (isObj(obj.spec)) {
    let s = restoreResources(obj.spec, annotations);
    s = mapKey(s, 'taskSpec', (t) => taskSpecFromV1(t, { annotations, taskName: name }));
    out.spec = overridesFromV1(s);
  }
  const cloudEvents = annotations.take(CLOUD_EVENTS);
  const resourcesResult = annotations.take(RESOURCES_RESULT);
  if (isObj(obj.status) || cloudEvents !== undefined || resourcesResult !== undefined) {
    let st = taskRunStatusFromV1(isObj(obj.status) ? obj.status : {});
    if (Array.isArray(cloudEvents) && cloudEvents.length > 0) st = { ...st, cloudEvents };
    if (Array.isArray(resourcesResult) && resourcesResult.length > 0) st = { ...st, resourcesResult };
    const withRes = restoreResources(isObj(st.taskSpec) ? st.taskSpec : {}, annotations, RESOURCES_STATUS);
    if (withRes.resources !== undefined) st = { ...st, taskSpec: withRes };
    out.status = st;
  }
  out.metadata = annotations.apply(obj.metadata);
  return out;
}

// -------------------------------------------------------------------------------------------- PipelineRun

function taskRunSpecsToV1(t: Obj): Obj {
  let out = renameKey(t, 'taskServiceAccountName', 'serviceAccountName');
  out = renameKey(out, 'taskPodTemplate', 'podTemplate');
  return overridesToV1(out);
}

function taskRunSpecsFromV1(t: Obj): Obj {
  let out = renameKey(t, 'serviceAccountName', 'taskServiceAccountName');
  out = renameKey(out, 'podTemplate', 'taskPodTemplate');
  return overridesFromV1(out);
}

/** `serviceAccountName` and `podTemplate` move into `taskRunTemplate`, which takes the place of the first. */
function withTaskRunTemplate(spec: Obj): Obj {
  const tmpl: Obj = {};
  if (isSet(spec.podTemplate)) tmpl.podTemplate = spec.podTemplate;
  if (isSet(spec.serviceAccountName)) tmpl.serviceAccountName = spec.serviceAccountName;
  const out: Obj = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'serviceAccountName' || k === 'podTemplate') {
      if (Object.keys(tmpl).length > 0 && !('taskRunTemplate' in out)) out.taskRunTemplate = tmpl;
    } else out[k] = v;
  }
  return out;
}

function pipelineRunSpecToV1(spec: Obj, annotations: Annotations): Obj {
  let out = omit(spec, ['resources']);
  out = mapKey(out, 'pipelineRef', (r) => refToV1(r, 'Pipeline'));
  out = mapKey(out, 'pipelineSpec', (p) => pipelineSpec(p, 'toV1', annotations));
  // Tekton: a v1beta1 `timeout` replaces `timeouts` entirely (validation refuses both together).
  if (spec.timeout !== undefined && spec.timeout !== null) out = renameKey(omit(out, ['timeouts']), 'timeout', 'timeouts', (t) => ({ pipeline: t }));
  out = withTaskRunTemplate(out);
  return mapKey(out, 'taskRunSpecs', (v) => mapList(v, taskRunSpecsToV1));
}

function pipelineRunSpecFromV1(spec: Obj, annotations: Annotations): Obj {
  let out = restoreResources(spec, annotations);
  out = mapKey(out, 'pipelineSpec', (p) => pipelineSpec(p, 'fromV1', annotations));
  const tmpl = isObj(out.taskRunTemplate) ? out.taskRunTemplate : {};
  const moved: Obj = {};
  for (const [k, v] of Object.entries(out)) {
    if (k !== 'taskRunTemplate') moved[k] = v;
    else {
      if (tmpl.serviceAccountName !== undefined) moved.serviceAccountName = tmpl.serviceAccountName;
      if (tmpl.podTemplate !== undefined) moved.podTemplate = tmpl.podTemplate;
    }
  }
  return mapKey(moved, 'taskRunSpecs', (v) => mapList(v, taskRunSpecsFromV1));
}

/** v1beta1 PipelineRun -> v1 (status.taskRuns / runs, the old embedded status, are dropped as Tekton does). */
export function pipelineRunToV1(obj: Obj): Obj {
  const { annotations } = meta(obj);
  const out: Obj = { ...obj };
  if (isObj(obj.spec)) {
    stashResources(obj.spec, annotations);
    out.spec = pipelineRunSpecToV1(obj.spec, annotations);
  }
  if (isObj(obj.status)) {
    let st = omit(obj.status, ['taskRuns', 'runs']);
    st = renameKey(st, 'pipelineResults', 'results');
    out.status = mapKey(st, 'pipelineSpec', (p) => pipelineSpec(p, 'toV1'));
  }
  out.metadata = annotations.apply(obj.metadata);
  return out;
}

/** v1 PipelineRun -> v1beta1. */
export function pipelineRunFromV1(obj: Obj): Obj {
  const { annotations } = meta(obj);
  const out: Obj = { ...obj };
  if (isObj(obj.spec)) out.spec = pipelineRunSpecFromV1(obj.spec, annotations);
  if (isObj(obj.status)) {
    const st = renameKey(obj.status, 'results', 'pipelineResults');
    out.status = mapKey(st, 'pipelineSpec', (p) => pipelineSpec(p, 'fromV1'));
  }
  out.metadata = annotations.apply(obj.metadata);
  return out;
}
