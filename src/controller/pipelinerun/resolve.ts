/**
 * Gathers what a PipelineRun needs before the pure engine can plan: the PipelineSpec (inline or the referenced
 * Pipeline) and the TaskSpec of every pipeline task (inline or the referenced Task). Missing references become
 * values the engine turns into Tekton's failure reasons; transient API errors are thrown and retried.
 */
import type { PipelineRun, PipelineSpec, PipelineTask, TaskSpec } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isNotFound } from '../../kube/errors.js';

export type TaskEntry = { spec: TaskSpec; taskName?: string; kind?: string } | { error: string; reason: string };

export type FetchedPipeline =
  | { ok: true; spec: PipelineSpec; pipelineName?: string }
  | { ok: false; reason: string; message: string };

const PIPELINE = { apiVersion: 'tekton.dev/v1', kind: 'Pipeline' };
const TASK = { apiVersion: 'tekton.dev/v1', kind: 'Task' };

/** Fetches the PipelineSpec of a PipelineRun. */
export async function fetchPipelineSpec(client: KubeClient, pr: PipelineRun): Promise<FetchedPipeline> {
  if (pr.spec.pipelineSpec) return { ok: true, spec: pr.spec.pipelineSpec };
  const ref = pr.spec.pipelineRef;
  if (ref?.resolver) return { ok: false, reason: 'CouldntGetPipeline', message: `resolver "${ref.resolver}" is not supported yet for pipelineRef` };
  if (!ref?.name) return { ok: false, reason: 'CouldntGetPipeline', message: 'PipelineRun has neither pipelineRef nor pipelineSpec' };
  const ns = pr.metadata.namespace ?? 'default';
  try {
    const p = await client.get<{ apiVersion: string; kind: string; metadata: object; spec: PipelineSpec }>(PIPELINE, ns, ref.name);
    return { ok: true, spec: p.spec, pipelineName: ref.name };
  } catch (err) {
    if (isNotFound(err)) {
      return { ok: false, reason: 'CouldntGetPipeline', message: `Error retrieving pipeline for pipelinerun ${ns}/${pr.metadata.name}: pipelines.tekton.dev "${ref.name}" not found` };
    }
    throw err;
  }
}

/** Fetches the TaskSpec of every DAG and finally task, keyed by pipeline task name. */
export async function fetchTaskSpecs(client: KubeClient, ns: string, spec: PipelineSpec): Promise<Map<string, TaskEntry>> {
  const out = new Map<string, TaskEntry>();
  const byName = new Map<string, Promise<TaskEntry>>();
  const all: PipelineTask[] = [...(spec.tasks ?? []), ...(spec.finally ?? [])];
  await Promise.all(all.map(async (pt) => out.set(pt.name, await taskEntry(client, ns, pt, byName))));
  return out;
}

function taskEntry(client: KubeClient, ns: string, pt: PipelineTask, cache: Map<string, Promise<TaskEntry>>): Promise<TaskEntry> {
  if (pt.taskSpec) {
    const { metadata: _m, apiVersion: _a, kind: _k, spec: _s, ...rest } = pt.taskSpec;
    return Promise.resolve({ spec: { steps: [], ...rest } as TaskSpec });
  }
  const ref = pt.taskRef;
  if (ref?.resolver) return Promise.resolve({ reason: 'CouldntGetTask', error: `resolver "${ref.resolver}" is not supported yet (pipeline task "${pt.name}")` });
  if (!ref?.name) return Promise.resolve({ reason: 'CouldntGetTask', error: `pipeline task "${pt.name}" has neither taskRef nor taskSpec` });
  const name = ref.name;
  let p = cache.get(name);
  if (!p) {
    p = fetchTask(client, ns, name, pt.name);
    cache.set(name, p);
  }
  return p;
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
