/**
 * TaskSpec between tekton.dev/v1beta1 and v1, after Tekton's task_conversion.go and container_conversion.go:
 * step, stepTemplate and sidecar `resources` <-> `computeResources`; the container fields v1 steps lost (ports,
 * probes, lifecycle, terminationMessage*, stdin*, tty; stepTemplate `name`) kept in the annotation
 * `tekton.dev/v1beta1.task-deprecations`, keyed by the task's name, so that v1beta1 -> v1 -> v1beta1 keeps them;
 * ParamSpec `type` defaulted to string; `spec.resources` (PipelineResources) kept in `tekton.dev/v1beta1Resources`.
 * Pure.
 */
import { type Annotations, isObj, isSet, mapKey, mapList, type Obj, omit, renameKey } from './util.js';

export const TASK_DEPRECATIONS = 'tekton.dev/v1beta1.task-deprecations';
export const RESOURCES = 'tekton.dev/v1beta1Resources';

/** Container fields of v1beta1 steps that v1 steps do not have, in Go's field order. */
const DEPRECATED_STEP_FIELDS = [
  'ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
  'terminationMessagePolicy', 'stdin', 'stdinOnce', 'tty',
] as const;
const DEPRECATED_TEMPLATE_FIELDS = ['name', ...DEPRECATED_STEP_FIELDS] as const;

/** Where deprecated fields go while converting one TaskSpec (absent: dropped, as for status copies). */
export interface DeprecationStash {
  annotations: Annotations;
  /** The key in the annotation: the Task's or TaskRun's name, or the pipeline task's name. */
  taskName: string;
}

const toCompute = (c: Obj): Obj => renameKey(c, 'resources', 'computeResources');
const fromCompute = (c: Obj): Obj => renameKey(c, 'computeResources', 'resources');

/** ParamSpec: an empty type becomes "string" (both directions, as Tekton). */
export function paramSpecs(v: unknown): unknown {
  return mapList(v, (p) => (isSet(p.type) ? p : { ...p, type: 'string' }));
}

function pick(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (isSet(o[k])) out[k] = o[k];
  return out;
}

function hasDeprecated(spec: Obj): boolean {
  const steps = Array.isArray(spec.steps) ? spec.steps.filter(isObj) : [];
  if (steps.some((s) => DEPRECATED_STEP_FIELDS.some((k) => isSet(s[k])))) return true;
  return isObj(spec.stepTemplate) && DEPRECATED_TEMPLATE_FIELDS.some((k) => isSet((spec.stepTemplate as Obj)[k]));
}

/** Stores the deprecated fields of a v1beta1 TaskSpec in the stash (Tekton's serializeTaskDeprecations). */
function stashDeprecations(spec: Obj, stash: DeprecationStash): void {
  if (!hasDeprecated(spec)) return;
  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  const entry: Obj = {
    deprecatedSteps: steps.map((s) => ({ name: '', resources: {}, ...(isObj(s) ? pick(s, DEPRECATED_STEP_FIELDS) : {}) })),
  };
  if (isObj(spec.stepTemplate)) {
    const t = spec.stepTemplate;
    entry.deprecatedStepTemplate = { ...(isSet(t.name) ? { name: t.name } : {}), resources: {}, ...pick(t, DEPRECATED_STEP_FIELDS) };
  }
  const all = stash.annotations.peek(TASK_DEPRECATIONS);
  const map: Obj = isObj(all) ? { ...all } : {};
  map[stash.taskName] = entry;
  stash.annotations.put(TASK_DEPRECATIONS, sortKeys(map));
}

function sortKeys(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Puts stashed deprecated fields back (Tekton's deserializeTaskDeprecations); a step count mismatch keeps the stash. */
function restoreDeprecations(spec: Obj, stash: DeprecationStash): Obj {
  const all = stash.annotations.peek(TASK_DEPRECATIONS);
  if (!isObj(all) || !isObj(all[stash.taskName])) return spec;
  const entry = all[stash.taskName] as Obj;
  const saved = Array.isArray(entry.deprecatedSteps) ? entry.deprecatedSteps : [];
  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  if (steps.length !== saved.length) return spec;
  let out: Obj = { ...spec };
  if (steps.length > 0) out.steps = steps.map((s, i) => (isObj(s) ? { ...s, ...pick(isObj(saved[i]) ? saved[i] : {}, DEPRECATED_STEP_FIELDS) } : s));
  if (isObj(entry.deprecatedStepTemplate)) {
    out = { ...out, stepTemplate: { ...(isObj(out.stepTemplate) ? out.stepTemplate : {}), ...pick(entry.deprecatedStepTemplate, DEPRECATED_TEMPLATE_FIELDS) } };
  }
  const rest = omit(all, [stash.taskName]);
  if (Object.keys(rest).length === 0) stash.annotations.remove(TASK_DEPRECATIONS);
  else stash.annotations.put(TASK_DEPRECATIONS, rest);
  return out;
}

/** v1beta1 TaskSpec -> v1. */
export function taskSpecToV1(spec: unknown, stash?: DeprecationStash): unknown {
  if (!isObj(spec)) return spec;
  if (stash) stashDeprecations(spec, stash);
  let out = omit(spec, ['resources']);
  out = mapKey(out, 'steps', (v) => mapList(v, (s) => toCompute(omit(s, DEPRECATED_STEP_FIELDS))));
  out = mapKey(out, 'stepTemplate', (t) => (isObj(t) ? toCompute(omit(t, DEPRECATED_TEMPLATE_FIELDS)) : t));
  out = mapKey(out, 'sidecars', (v) => mapList(v, toCompute));
  return mapKey(out, 'params', paramSpecs);
}

/** v1 TaskSpec -> v1beta1. */
export function taskSpecFromV1(spec: unknown, stash?: DeprecationStash): unknown {
  if (!isObj(spec)) return spec;
  let out = mapKey(spec, 'steps', (v) => mapList(v, fromCompute));
  out = mapKey(out, 'stepTemplate', (t) => (isObj(t) ? fromCompute(t) : t));
  if (stash) out = restoreDeprecations(out, stash);
  out = mapKey(out, 'sidecars', (v) => mapList(v, fromCompute));
  return mapKey(out, 'params', paramSpecs);
}

/** The spec's PipelineResources go to the annotation (v1 has none); validation refuses them on create. */
export function stashResources(spec: unknown, annotations: Annotations, key = RESOURCES): void {
  if (isObj(spec) && spec.resources !== undefined && spec.resources !== null) annotations.put(key, spec.resources);
}

/** Puts stashed PipelineResources back into a v1beta1 spec. */
export function restoreResources(spec: Obj, annotations: Annotations, key = RESOURCES): Obj {
  const r = annotations.take(key);
  const empty = r === undefined || r === null || (Array.isArray(r) && r.length === 0) || (isObj(r) && r.inputs == null && r.outputs == null);
  return empty ? spec : { ...spec, resources: r };
}

/**
 * v1beta1 TaskRef/PipelineRef -> v1: `bundle` (gone from v1) becomes the bundles resolver with params bundle,
 * name and kind, as Tekton converted it until the field was removed (v0.59).
 */
export function refToV1(ref: unknown, kind: 'Task' | 'Pipeline'): unknown {
  if (!isObj(ref) || !isSet(ref.bundle)) return ref;
  const str = (name: string, value: unknown): Obj => ({ name, value });
  const rest = omit(ref, ['bundle', 'name', 'kind', 'resolver', 'params']);
  return { ...rest, resolver: 'bundles', params: [str('bundle', ref.bundle), str('name', ref.name ?? ''), str('kind', kind)] };
}
