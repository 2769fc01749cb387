/**
 * Gathers what a PipelineRun needs before the pure engine can plan: the PipelineSpec (inline or the referenced
 * Pipeline) and the TaskSpec of every pipeline task (inline or the referenced Task). Missing references become
 * values the engine turns into Tekton's failure reasons; transient API errors are thrown and retried.
 */
import { REF } from '../../api/registry.js';
import type { Param, PipelineRun, PipelineSpec, PipelineTask, Ref, TaskRun, TaskSpec } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isNotFound } from '../../kube/errors.js';
import { isCustomTask } from '../../engine/pipelinerun/state.js';
import type { DefinitionMeta } from '../../engine/run-metadata.js';
import { resolveRef, substituteRunParams, type RefSource } from '../resolution/index.js';

export type TaskEntry =
  | { spec: TaskSpec; taskName?: string; kind?: string }
  | { pipelineSpec: PipelineSpec; pipelineName?: string }
  | { custom: true }
  | { error: string; reason: string };

export type FetchedPipeline =
  | { ok: true; spec: PipelineSpec; pipelineName?: string; meta?: DefinitionMeta; source?: RefSource }
  | { ok: false; reason: string; message: string };

const PIPELINE = REF.Pipeline;
const TASK = REF.Task;

/**
 * The run params behind each PipelineSpec this module handed out, so {@link fetchTaskSpecs} can fill
 * `$(params.x)` in resolver params even when its caller passes only the spec.
 */
const runParamsOf = new WeakMap<PipelineSpec, readonly Param[]>();

function withRunParams(spec: PipelineSpec, pr: PipelineRun): PipelineSpec {
  if (pr.spec.params) runParamsOf.set(spec, pr.spec.params);
  return spec;
}

/** Fetches the PipelineSpec of a PipelineRun. */
export async function fetchPipelineSpec(client: KubeClient, pr: PipelineRun): Promise<FetchedPipeline> {
  const fetched = await fetchSpec(client, pr);
  return fetched.ok ? { ...fetched, spec: withRunParams(fetched.spec, pr) } : fetched;
}

async function fetchSpec(client: KubeClient, pr: PipelineRun): Promise<FetchedPipeline> {
  if (pr.spec.pipelineSpec) return { ok: true, spec: pr.spec.pipelineSpec, meta: pr.metadata };
  const ref = pr.spec.pipelineRef;
  const ns = pr.metadata.namespace ?? 'default';
  if (ref?.resolver) {
    const r = await resolveRef(client, { resolver: ref.resolver, params: substituteRunParams(ref.params ?? [], pr.spec.params), namespace: ns, kind: 'pipeline' });
    if (!r.ok) return { ok: false, reason: 'CouldntGetPipeline', message: `Error retrieving pipeline for pipelinerun ${ns}/${pr.metadata.name ?? ''}: ${r.message}` };
    return { ok: true, spec: r.object.spec as PipelineSpec, ...(r.name ? { pipelineName: r.name } : {}), meta: r.object.metadata, source: r.source };
  }
  if (!ref?.name) return { ok: false, reason: 'CouldntGetPipeline', message: 'PipelineRun has neither pipelineRef nor pipelineSpec' };
  // as Tekton: once resolved, the spec kept in the status is used (a Pipeline changed mid-run does not change the run)
  if (pr.status?.pipelineSpec) return { ok: true, spec: pr.status.pipelineSpec, pipelineName: ref.name };
  try {
    const p = await client.get<{ apiVersion: string; kind: string; metadata: DefinitionMeta; spec: PipelineSpec }>(PIPELINE, ns, ref.name);
    return { ok: true, spec: p.spec, pipelineName: ref.name, meta: p.metadata };
  } catch (err) {
    if (isNotFound(err)) {
      return { ok: false, reason: 'CouldntGetPipeline', message: `Error retrieving pipeline for pipelinerun ${ns}/${pr.metadata.name}: pipelines.tekton.dev "${ref.name}" not found` };
    }
    throw err;
  }
}

/**
 * Fetches the TaskSpec of every DAG and finally task, keyed by pipeline task name. `runParams` (the PipelineRun's
 * params; by default those of the PipelineRun the spec was fetched for) fill `$(params.x)` in resolver params;
 * the Pipeline's param defaults are used for the others. A referenced Task whose TaskRun already holds its spec
 * (`started`: status.taskSpec by pipeline task name) is not fetched: as in Tekton, that spec is the source of truth
 * from then on, so a Task changed or deleted while the pipeline runs changes nothing about the tasks it started.
 */
export async function fetchTaskSpecs(client: KubeClient, ns: string, spec: PipelineSpec, runParams?: readonly Param[], started?: ReadonlyMap<string, TaskSpec>): Promise<Map<string, TaskEntry>> {
  const out = new Map<string, TaskEntry>();
  const byName = new Map<string, Promise<TaskEntry>>();
  const params = pipelineParams(spec, runParams ?? runParamsOf.get(spec));
  const all: PipelineTask[] = [...(spec.tasks ?? []), ...(spec.finally ?? [])];
  await Promise.all(all.map(async (pt) => {
    const held = pt.taskRef && !isCustomTask(pt) ? started?.get(pt.name) : undefined;
    out.set(pt.name, held ? { spec: held, ...(pt.taskRef?.name ? { taskName: pt.taskRef.name } : {}), kind: 'Task' } : await taskEntry({ client, ns, params }, pt, byName));
  }));
  return out;
}

/** The status.taskSpec of the child TaskRuns, by pipeline task name (the first one found of a matrixed task). */
export function startedTaskSpecs(taskRuns: readonly TaskRun[]): Map<string, TaskSpec> {
  const out = new Map<string, TaskSpec>();
  for (const tr of taskRuns) {
    const pt = tr.metadata.labels?.['tekton.dev/pipelineTask'];
    if (pt && tr.status?.taskSpec && !out.has(pt)) out.set(pt, tr.status.taskSpec);
  }
  return out;
}

/** The Pipeline's param defaults overlaid with the run's values. */
function pipelineParams(spec: PipelineSpec, runParams: readonly Param[] | undefined): Param[] {
  const values = new Map<string, Param>();
  for (const p of spec.params ?? []) if (p.default !== undefined) values.set(p.name, { name: p.name, value: p.default });
  for (const p of runParams ?? []) values.set(p.name, p);
  return [...values.values()];
}

interface Scope {
  client: KubeClient;
  ns: string;
  params: Param[];
}

async function resolvedTask(scope: Scope, ref: Ref & { resolver: string }, ptName: string): Promise<TaskEntry> {
  const r = await resolveRef(scope.client, { resolver: ref.resolver, params: substituteRunParams(ref.params ?? [], scope.params), namespace: scope.ns, kind: 'task' });
  if (!r.ok) return { reason: 'CouldntGetTask', error: `Pipeline task "${ptName}": ${r.message}` };
  return { spec: r.object.spec as TaskSpec, ...(r.name ? { taskName: r.name } : {}), kind: 'Task' };
}

function taskEntry(scope: Scope, pt: PipelineTask, cache: Map<string, Promise<TaskEntry>>): Promise<TaskEntry> {
  const { client, ns } = scope;
  if (pt.pipelineSpec) return Promise.resolve({ pipelineSpec: pt.pipelineSpec });
  if (pt.pipelineRef) return childPipeline(scope, pt.pipelineRef, pt.name);
  if (isCustomTask(pt)) return Promise.resolve({ custom: true });
  if (pt.taskSpec) {
    const { metadata: _m, apiVersion: _a, kind: _k, spec: _s, ...rest } = pt.taskSpec;
    return Promise.resolve({ spec: { steps: [], ...rest } as TaskSpec });
  }
  const ref = pt.taskRef;
  if (ref?.resolver) return resolvedTask(scope, { ...ref, resolver: ref.resolver }, pt.name);
  if (!ref?.name) return Promise.resolve({ reason: 'CouldntGetTask', error: `pipeline task "${pt.name}" has neither taskRef nor taskSpec` });
  const name = ref.name;
  let p = cache.get(name);
  if (!p) {
    p = fetchTask(client, ns, name, pt.name);
    cache.set(name, p);
  }
  return p;
}

/** The child Pipeline of a `pipelineRef` task (Pipelines in Pipelines), by name or through a resolver. */
async function childPipeline(scope: Scope, ref: Ref, ptName: string): Promise<TaskEntry> {
  const { client, ns } = scope;
  if (ref.resolver) {
    const r = await resolveRef(client, { resolver: ref.resolver, params: substituteRunParams(ref.params ?? [], scope.params), namespace: ns, kind: 'pipeline' });
    if (!r.ok) return { reason: 'CouldntGetPipeline', error: `Pipeline task "${ptName}": ${r.message}` };
    return { pipelineSpec: r.object.spec as PipelineSpec, ...(r.name ? { pipelineName: r.name } : {}) };
  }
  if (!ref.name) return { reason: 'CouldntGetPipeline', error: `pipeline task "${ptName}" has a pipelineRef without a name` };
  try {
    const p = await client.get<{ apiVersion: string; kind: string; metadata: object; spec: PipelineSpec }>(PIPELINE, ns, ref.name);
    return { pipelineSpec: p.spec, pipelineName: ref.name };
  } catch (err) {
    if (isNotFound(err)) return { reason: 'CouldntGetPipeline', error: `Pipeline task "${ptName}": pipelines.tekton.dev "${ref.name}" not found in namespace "${ns}"` };
    throw err;
  }
}

async function fetchTask(client: KubeClient, ns: string, name: string, ptName: string): Promise<TaskEntry> {
  try {
    const t = await client.get<{ apiVersion: string; kind: string; metadata: object; spec: TaskSpec }>(TASK, ns, name);
    return { spec: t.spec, taskName: name, kind: 'Task' };
  } catch (err) {
    if (isNotFound(err)) {
      return { reason: 'CouldntGetTask', error: `Pipeline task "${ptName}": tasks.tekton.dev "${name}" not found in namespace "${ns}"` };
    }
    throw err;
  }
}
