/**
 * `tkt pipelinerun rerun NAME` / `tkt taskrun rerun NAME`: a new run with the same spec (its reference or embedded
 * spec, params, workspaces, timeouts, service accounts), as the Tekton Dashboard's rerun does: generateName from
 * the original's generateName (else `<name>-r-`), the user's labels and annotations kept, Tekton's own labels left
 * to the controller, label `dashboard.tekton.dev/rerunOf: <name>`, and `spec.status` (cancel/pending) dropped.
 */
import type { Command } from 'commander';
import type { KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { pipelineRunLogs } from '../logs/pipelinerun.js';
import { taskRunLogs } from '../logs/taskrun.js';
import { formatObject, outputFormat } from '../output/objects.js';
import { KIND, getOrFail } from './common.js';
import { checkRunOutcome, followContext } from './logs-shared.js';

const RERUN_OF = 'dashboard.tekton.dev/rerunOf';
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function keep(map: Record<string, string> | undefined, drop: (k: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !drop(k)));
}

/** The new run (pure). */
export function rerunOf<T extends PipelineRun | TaskRun>(run: T): T {
  const name = run.metadata.name ?? '';
  const labels = { ...keep(run.metadata.labels, (k) => k.startsWith('tekton.dev/') || k === 'app.kubernetes.io/managed-by' || k === RERUN_OF), [RERUN_OF]: name };
  const annotations = keep(run.metadata.annotations, (k) => DROPPED_ANNOTATIONS.includes(k));
  const { status: _status, statusMessage: _message, ...spec } = run.spec as T['spec'] & { statusMessage?: string };
  return {
    apiVersion: run.apiVersion, kind: run.kind,
    metadata: {
      generateName: run.metadata.generateName ?? `${name}-r-`, namespace: run.metadata.namespace, labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec,
  } as unknown as T;
}

function register(parent: Command, io: CliIO, ref: KindRef): void {
  parent.command('rerun').description(`Create a new ${ref.kind} with the spec of an existing one`)
    .argument('<name>', `${ref.kind} to run again`)
    .option('--showlog', 'follow the logs of the new run; exit 1 if it fails')
    .option('-o, --output <format>', 'print the created run: json, yaml, name, jsonpath=T, go-template=T (or --template)')
    .action(async (name: string, flags: { showlog?: boolean; output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const old = await getOrFail<PipelineRun | TaskRun>(ctx.client(), ref, ctx.namespace(), name);
      const created = await ctx.client().create<KubeObject>(rerunOf(old));
      const runName = created.metadata.name ?? '';
      ctx.print(format ? formatObject(created, format) : `${ref.kind} started: ${runName}\n`);
      if (!flags.showlog) return;
      const fc = followContext(ctx, {});
      const final = ref.kind === 'PipelineRun' ? await pipelineRunLogs(fc, runName, { follow: true }) : await taskRunLogs(fc, runName, true);
      checkRunOutcome(final, { follow: true });
    });
}

/** Registers `rerun` under `pipelinerun`. */
export function registerPipelineRunRerun(parent: Command, io: CliIO): void {
  register(parent, io, KIND.PipelineRun);
}

/** Registers `rerun` under `taskrun`. */
export function registerTaskRunRerun(parent: Command, io: CliIO): void {
  register(parent, io, KIND.TaskRun);
}
