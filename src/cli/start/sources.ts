/**
 * Where `start` takes its inputs from besides flags: the definition (by name from the cluster, or `-f FILE`), the
 * earlier run to reuse (`--last`: the newest run labelled with the definition; `--use-pipelinerun/--use-taskrun`),
 * and a `--pod-template` file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { convertObject, needsConversion, objectWithoutNulls, V1 } from '../../api/convert/index.js';
import { parseManifests } from '../../api/load.js';
import type { KubeObject, Pipeline, PipelineRun, PodTemplate, Task, TaskRun } from '../../api/types.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { KIND } from '../kinds.js';
import { getOrFail } from '../commands/common.js';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The Pipeline/Task to start: from `-f FILE` (the one named, or the only one of that kind), else from the cluster. */
export async function definitionOf(ctx: CliContext, kind: 'Pipeline' | 'Task', name: string | undefined, file: string | undefined): Promise<Pipeline | Task> {
  if (!file) {
    if (!name) throw new UsageError(`name a ${kind} to start, or give its file with -f`);
    return getOrFail<Pipeline | Task>(ctx.client(), KIND[kind], ctx.namespace(), name);
  }
  const parsed = parseManifests(readText(file, 'file'), file);
  if (parsed.errors.length > 0) throw new UsageError(parsed.errors.join('\n'));
  const found = parsed.objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  if (found.length !== 1) throw new UsageError(`${file}: expected ${name ? `the ${kind} "${name}"` : `one ${kind}`}, found ${found.length}`);
  const def = objectWithoutNulls(found[0] as Pipeline | Task);
  return needsConversion(def) ? convertObject(def, V1) : def; // a v1beta1 file: its spec goes into a v1 run
}

/** Replaces the run's reference by the definition's spec (a run of a definition given as a file). */
export function embedDefinition(run: PipelineRun | TaskRun, def: Pipeline | Task): PipelineRun | TaskRun {
  if (run.kind === 'PipelineRun') {
    const { pipelineRef: _ref, ...spec } = run.spec;
    return { ...run, spec: { ...spec, pipelineSpec: (def as Pipeline).spec } };
  }
  const { taskRef: _ref, ...spec } = run.spec;
  return { ...run, spec: { ...spec, taskSpec: (def as Task).spec } };
}

/** The earlier run whose values are reused, if asked for. */
export async function previousRun(ctx: CliContext, kind: 'Pipeline' | 'Task', name: string, flags: { last?: boolean; usePipelinerun?: string; useTaskrun?: string }): Promise<PipelineRun | TaskRun | undefined> {
  const runKind = kind === 'Pipeline' ? KIND.PipelineRun : KIND.TaskRun;
  const named = kind === 'Pipeline' ? flags.usePipelinerun : flags.useTaskrun;
  if (named) return getOrFail<PipelineRun | TaskRun>(ctx.client(), runKind, ctx.namespace(), named);
  if (!flags.last) return undefined;
  const label = kind === 'Pipeline' ? 'tekton.dev/pipeline' : 'tekton.dev/task';
  const list = await ctx.client().list<KubeObject>(runKind, ctx.namespace(), { labelSelector: `${label}=${name}` });
  const key = (r: KubeObject): string => `${r.metadata.creationTimestamp ?? ''} ${r.metadata.name ?? ''}`;
  const last = [...list.items].sort((a, b) => key(b).localeCompare(key(a)))[0];
  if (!last) throw new UsageError(`--last: no ${runKind.kind}s of ${kind} "${name}" in namespace "${ctx.namespace()}"`);
  return last as PipelineRun | TaskRun;
}

/** A `--pod-template` file (YAML or JSON object). */
export function readPodTemplate(file: string): PodTemplate {
  let value: unknown;
  try {
    value = parse(readText(file, 'pod template'));
  } catch (err) {
    throw new UsageError(`${file}: cannot parse the pod template: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${file}: a pod template is a mapping (e.g. nodeSelector:, securityContext:)`);
  return value as PodTemplate;
}
