/**
 * `tkt pipelinerun|taskrun|pipeline|task export NAME` (as tkn): the object as YAML (or `-o json`) ready to
 * `kubectl create -f` again: no status, none of the server's metadata (uid, resourceVersion, generation,
 * creationTimestamp, managedFields, ownerReferences), none of the labels the controller adds.
 */
import type { Command } from 'commander';
import type { KubeObject } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { formatObject, outputFormat } from '../output/objects.js';
import { KIND, getOrFail } from './common.js';

const SERVER_FIELDS = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'finalizers', 'selfLink'];

type WithSpec = KubeObject & { spec?: unknown };

/** The exported form of a run or definition (pure). */
export function exportOf<T extends WithSpec>(run: T): T {
  const metadata: Record<string, unknown> = { ...run.metadata };
  for (const f of SERVER_FIELDS) delete metadata[f];
  const labels = Object.fromEntries(Object.entries(run.metadata.labels ?? {}).filter(([k]) => !k.startsWith('tekton.dev/') && k !== 'app.kubernetes.io/managed-by'));
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  else delete metadata.labels;
  const annotations = Object.fromEntries(Object.entries(run.metadata.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'));
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { apiVersion: run.apiVersion, kind: run.kind, metadata, spec: run.spec } as unknown as T;
}

function register(parent: Command, io: CliIO, ref: KindRef): void {
  parent.command('export').description(`Print a ${ref.kind} without ${ref.kind.endsWith('Run') ? 'its status and ' : ''}server fields, ready to create again`)
    .argument('<name>', `${ref.kind} name`)
    .option('-o, --output <format>', 'yaml (default), json, jsonpath=T, go-template=T')
    .action(async (name: string, flags: { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags) ?? 'yaml';
      const run = await getOrFail<WithSpec>(ctx.client(), ref, ctx.namespace(), name);
      ctx.print(formatObject(exportOf(run), format));
    });
}

/** Registers `export` under `pipelinerun`. */
export function registerPipelineRunExport(parent: Command, io: CliIO): void {
  register(parent, io, KIND.PipelineRun);
}

/** Registers `export` under `taskrun`. */
export function registerTaskRunExport(parent: Command, io: CliIO): void {
  register(parent, io, KIND.TaskRun);
}

/** Registers `export` under `pipeline`. */
export function registerPipelineExport(parent: Command, io: CliIO): void {
  register(parent, io, KIND.Pipeline);
}

/** Registers `export` under `task`. */
export function registerTaskExport(parent: Command, io: CliIO): void {
  register(parent, io, KIND.Task);
}
