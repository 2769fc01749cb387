/**
 * Conversion between the API versions Tekton serves, after Tekton's own conversion functions
 * (pkg/apis/pipeline/v1beta1/*_conversion.go): tekton.dev/v1beta1 <-> v1 for Task, TaskRun, Pipeline and
 * PipelineRun, and a rename for kinds whose versions share one schema (StepAction v1alpha1 <-> v1beta1, the
 * Triggers kinds). Pure and total: no I/O, never throws for objects of a known kind; used by `tkt run`, the
 * embedded API server (store v1, serve both), EventListener templates, resolvers, the client and the
 * cluster-mode conversion webhook.
 *
 * What moves (v1beta1 -> v1): PipelineRun `serviceAccountName`/`podTemplate` -> `taskRunTemplate.*`, `timeout`
 * -> `timeouts.pipeline`, `taskRunSpecs[].taskServiceAccountName`/`taskPodTemplate` -> `serviceAccountName`/
 * `podTemplate`, `stepOverrides`/`sidecarOverrides` -> `stepSpecs`/`sidecarSpecs`, container `resources` ->
 * `computeResources`, TaskRun `status.taskResults` -> `results`, PipelineRun `status.pipelineResults` ->
 * `results`, `bundle` refs -> the bundles resolver. Fields v1 lacks (PipelineResources, deprecated step container
 * fields, status.cloudEvents, resourcesResult) are kept in Tekton's annotations so v1beta1 -> v1 -> v1beta1
 * keeps them.
 */
import { pipelineSpec } from './pipeline.js';
import { pipelineRunFromV1, pipelineRunToV1, taskRunFromV1, taskRunToV1 } from './runs.js';
import { restoreResources, stashResources, taskSpecFromV1, taskSpecToV1 } from './task.js';
import { Annotations, isObj, type Obj } from './util.js';

export { TASK_DEPRECATIONS, RESOURCES } from './task.js';
export { CLOUD_EVENTS, RESOURCES_RESULT, RESOURCES_STATUS } from './runs.js';
export { checkV1beta1, v1beta1Path } from './paths.js';
export { v1NamesInV1beta1 } from './v1-names.js';
export { objectWithoutNulls, withoutNulls } from './util.js';
export { answerConversionReview, type ConversionReview } from './review.js';

export const V1 = 'tekton.dev/v1';
export const V1BETA1 = 'tekton.dev/v1beta1';

/** The kinds whose v1beta1 and v1 shapes differ. */
export const CONVERTIBLE_KINDS: ReadonlySet<string> = new Set(['Task', 'TaskRun', 'Pipeline', 'PipelineRun']);

/** Is this a tekton.dev/v1beta1 object of a kind whose shape differs from v1? */
export function needsConversion(obj: { apiVersion?: unknown; kind?: unknown }): boolean {
  return obj.apiVersion === V1BETA1 && typeof obj.kind === 'string' && CONVERTIBLE_KINDS.has(obj.kind);
}

function objectMeta(obj: Obj): { annotations: Annotations; name: string } {
  const m = isObj(obj.metadata) ? obj.metadata : {};
  return { annotations: new Annotations(m), name: typeof m.name === 'string' ? m.name : '' };
}

function taskToV1(obj: Obj): Obj {
  const { annotations, name } = objectMeta(obj);
  stashResources(obj.spec, annotations);
  const spec = taskSpecToV1(obj.spec, { annotations, taskName: name });
  return { ...obj, metadata: annotations.apply(obj.metadata), spec };
}

function taskFromV1(obj: Obj): Obj {
  const { annotations, name } = objectMeta(obj);
  let spec = isObj(obj.spec) ? restoreResources(obj.spec, annotations) : obj.spec;
  spec = taskSpecFromV1(spec, { annotations, taskName: name });
  return { ...obj, metadata: annotations.apply(obj.metadata), spec };
}

function pipelineToV1(obj: Obj): Obj {
  const { annotations } = objectMeta(obj);
  stashResources(obj.spec, annotations);
  const spec = pipelineSpec(obj.spec, 'toV1', annotations);
  return { ...obj, metadata: annotations.apply(obj.metadata), spec };
}

function pipelineFromV1(obj: Obj): Obj {
  const { annotations } = objectMeta(obj);
  const spec = pipelineSpec(isObj(obj.spec) ? restoreResources(obj.spec, annotations) : obj.spec, 'fromV1', annotations);
  return { ...obj, metadata: annotations.apply(obj.metadata), spec };
}

const TO_V1: Record<string, (o: Obj) => Obj> = { Task: taskToV1, TaskRun: taskRunToV1, Pipeline: pipelineToV1, PipelineRun: pipelineRunToV1 };
const FROM_V1: Record<string, (o: Obj) => Obj> = { Task: taskFromV1, TaskRun: taskRunFromV1, Pipeline: pipelineFromV1, PipelineRun: pipelineRunFromV1 };

/**
 * The object under `toApiVersion`. tekton.dev Task, TaskRun, Pipeline and PipelineRun convert between v1beta1 and
 * v1 (through v1 when neither side is v1); any other object gets its apiVersion rewritten, as the versions of
 * those kinds share one schema. The input is never modified; the answer shares no mutable parts with it that a
 * conversion changed.
 */
export function convertObject<T extends { apiVersion?: string; kind?: string }>(obj: T, toApiVersion: string): T {
  if (obj.apiVersion === toApiVersion) return obj;
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const from = obj.apiVersion;
  if (!CONVERTIBLE_KINDS.has(kind) || !isTekton(from) || !isTekton(toApiVersion)) return { ...obj, apiVersion: toApiVersion };
  let o = obj as unknown as Obj;
  if (from === V1BETA1) o = (TO_V1[kind] as (x: Obj) => Obj)(o);
  if (toApiVersion === V1BETA1) o = (FROM_V1[kind] as (x: Obj) => Obj)(o);
  return { ...o, apiVersion: toApiVersion } as unknown as T;
}

function isTekton(apiVersion: unknown): boolean {
  return apiVersion === V1 || apiVersion === V1BETA1;
}
