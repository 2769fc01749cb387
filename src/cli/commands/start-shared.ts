/** The action of `tkt pipeline start` and `tkt task start`. */
import type { KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { pipelineRunLogs } from '../logs/pipelinerun.js';
import { taskRunLogs } from '../logs/taskrun.js';
import { formatObject, parseObjectFormat } from '../output/objects.js';
import { buildPipelineRun, buildTaskRun, parseLabels } from '../start/build.js';
import { resolveParams } from '../start/params.js';
import { checkWorkspaces, parseWorkspaceFlag } from '../start/workspaces.js';
import { definitionOf, embedDefinition, previousRun, readPodTemplate } from '../start/sources.js';
import { applyPipelineRunExtras, applyTaskRunExtras, mergeByName, parseTaskServiceAccounts, previousParams, previousServiceAccount, previousWorkspaces } from '../start/reuse.js';
import { checkRunOutcome, followContext } from './logs-shared.js';

/** Flags of `start`. */
export interface StartFlags {
  param: string[];
  workspace: string[];
  label: string[];
  useParamDefaults?: boolean;
  showlog?: boolean;
  exitWithPipelinerunError?: boolean;
  dryRun?: boolean;
  serviceaccount?: string;
  prefixName?: string;
  timeout?: string;
  output?: string;
  last?: boolean;
  usePipelinerun?: string;
  useTaskrun?: string;
  filename?: string;
  podTemplate?: string;
  pipelineTimeout?: string;
  tasksTimeout?: string;
  finallyTimeout?: string;
  taskServiceaccount?: string[];
}

function workspaceBindings(flags: StartFlags): ReturnType<typeof parseWorkspaceFlag>['binding'][] {
  return flags.workspace.map((w) => {
    const parsed = parseWorkspaceFlag(w);
    if (parsed.dir) throw new UsageError(`workspace "${parsed.binding.name}": dir= is only available with tkt run (embedded mode); use claimName= on a cluster`);
    return parsed.binding;
  });
}

/** Builds the run of a definition without creating it. */
export async function buildRunFor(ctx: CliContext, kind: 'Pipeline' | 'Task', name: string | undefined, flags: StartFlags): Promise<PipelineRun | TaskRun> {
  const ns = ctx.namespace();
  const def = await definitionOf(ctx, kind, name, flags.filename);
  const defName = def.metadata.name ?? name ?? '';
  const previous = await previousRun(ctx, kind, defName, flags);
  const owner = `${kind} "${defName}"`;
  const params = resolveParams({ flags: flags.param, specs: def.spec.params ?? [], owner, useDefaults: flags.useParamDefaults, previous: previousParams(previous) });
  const workspaces = mergeByName(previousWorkspaces(previous), workspaceBindings(flags));
  checkWorkspaces(workspaces, def.spec.workspaces ?? [], owner);
  const serviceAccount = flags.serviceaccount ?? previousServiceAccount(previous);
  const input = { ref: defName, namespace: ns, params, workspaces, serviceAccount, timeout: flags.timeout, prefixName: flags.prefixName, labels: parseLabels(flags.label) };
  const extras = {
    podTemplate: flags.podTemplate ? readPodTemplate(flags.podTemplate) : undefined,
    timeouts: { pipeline: flags.pipelineTimeout, tasks: flags.tasksTimeout, finally: flags.finallyTimeout },
    taskServiceAccounts: parseTaskServiceAccounts(flags.taskServiceaccount ?? []),
  };
  const run = kind === 'Pipeline'
    ? applyPipelineRunExtras(buildPipelineRun(input), extras, previous as PipelineRun | undefined)
    : applyTaskRunExtras(buildTaskRun(input), extras, previous as TaskRun | undefined);
  return flags.filename ? embedDefinition(run, def) : run;
}

/** Creates (or with --dry-run prints) the run, then prints how to follow it or, with --showlog, follows it. */
export async function startRun(ctx: CliContext, kind: 'Pipeline' | 'Task', name: string | undefined, flags: StartFlags): Promise<void> {
  const format = parseObjectFormat(flags.output);
  const run = await buildRunFor(ctx, kind, name, flags);
  if (flags.dryRun) return void ctx.print(formatObject(run, format ?? 'yaml'));
  const created = await ctx.client().create<KubeObject>(run);
  const runName = created.metadata.name ?? '';
  if (format) ctx.print(formatObject(created, format));
  else ctx.print(`${created.kind} started: ${runName}\n`);
  const ns = ctx.namespace();
  const cmd = kind === 'Pipeline' ? 'pipelinerun' : 'taskrun';
  if (!flags.showlog) {
    if (!format) ctx.print(`\nIn order to track the ${created.kind} progress run:\ntkt ${cmd} logs ${runName} -f -n ${ns}\n`);
    return;
  }
  ctx.printErr('Waiting for logs to be available...\n');
  const fc = followContext(ctx, {});
  const final = kind === 'Pipeline' ? await pipelineRunLogs(fc, runName, { follow: true }) : await taskRunLogs(fc, runName, true);
  checkRunOutcome(final, { follow: true, exitWithPipelinerunError: flags.exitWithPipelinerunError === true });
}
