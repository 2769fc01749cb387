/**
 * What `start --last` / `--use-pipelinerun` / `--use-taskrun` take from an earlier run (as tkn): its params,
 * workspaces, service account(s), timeouts and pod template; values given as flags win, params and workspaces
 * per name. Also the extra run settings of `start` (`--pipeline-timeout`, `--tasks-timeout`, `--finally-timeout`,
 * `--pod-template FILE`, `--task-serviceaccount task=sa`) applied onto a built run. Pure.
 */
import type { Param, PipelineRun, PipelineRunTaskRunSpec, PodTemplate, TaskRun, WorkspaceBinding } from '../../api/types.js';
import { UsageError } from '../errors.js';
import { checkTimeout } from './build.js';

/** Run settings beyond params and workspaces. */
export interface RunExtras {
  timeouts?: { pipeline?: string; tasks?: string; finally?: string };
  podTemplate?: PodTemplate;
  taskServiceAccounts?: { pipelineTaskName: string; serviceAccountName: string }[];
}

/** Params of the earlier run overridden by the flags' params (by name), in the earlier order then new ones. */
export function mergeByName<T extends { name: string }>(previous: T[] | undefined, given: T[]): T[] {
  const out = new Map((previous ?? []).map((p) => [p.name, p]));
  for (const g of given) out.set(g.name, g);
  return [...out.values()];
}

/** The previous run's params, as raw `-p` values are not needed: they are already typed. */
export function previousParams(run: PipelineRun | TaskRun | undefined): Param[] {
  return run?.spec.params ?? [];
}

/** The previous run's workspaces. */
export function previousWorkspaces(run: PipelineRun | TaskRun | undefined): WorkspaceBinding[] {
  return run?.spec.workspaces ?? [];
}

/** The previous run's service account. */
export function previousServiceAccount(run: PipelineRun | TaskRun | undefined): string | undefined {
  if (!run) return undefined;
  return run.kind === 'PipelineRun' ? run.spec.taskRunTemplate?.serviceAccountName : run.spec.serviceAccountName;
}

/** Parses `--task-serviceaccount task=sa` flags. */
export function parseTaskServiceAccounts(flags: string[]): RunExtras['taskServiceAccounts'] {
  return flags.map((f) => {
    const i = f.indexOf('=');
    if (i <= 0 || i === f.length - 1) throw new UsageError(`invalid --task-serviceaccount "${f}": expected pipelineTask=serviceAccount`);
    return { pipelineTaskName: f.slice(0, i), serviceAccountName: f.slice(i + 1) };
  });
}

function mergeTaskRunSpecs(previous: PipelineRunTaskRunSpec[] | undefined, accounts: RunExtras['taskServiceAccounts']): PipelineRunTaskRunSpec[] | undefined {
  const out = new Map((previous ?? []).map((s) => [s.pipelineTaskName, { ...s }]));
  for (const a of accounts ?? []) out.set(a.pipelineTaskName, { ...(out.get(a.pipelineTaskName) ?? { pipelineTaskName: a.pipelineTaskName }), serviceAccountName: a.serviceAccountName });
  return out.size > 0 ? [...out.values()] : undefined;
}

/** Applies the extras (flags first, then what the previous run had) onto a PipelineRun being started. */
export function applyPipelineRunExtras(run: PipelineRun, extras: RunExtras, previous?: PipelineRun): PipelineRun {
  const spec = { ...run.spec };
  const t = { ...(previous?.spec.timeouts ?? {}), ...(spec.timeouts ?? {}) };
  for (const [k, v] of Object.entries(extras.timeouts ?? {})) if (v !== undefined) t[k as keyof typeof t] = checkTimeout(v);
  if (Object.keys(t).length > 0) spec.timeouts = t;
  const podTemplate = extras.podTemplate ?? previous?.spec.taskRunTemplate?.podTemplate;
  if (podTemplate) spec.taskRunTemplate = { ...(spec.taskRunTemplate ?? {}), podTemplate };
  const trs = mergeTaskRunSpecs(previous?.spec.taskRunSpecs, extras.taskServiceAccounts);
  if (trs) spec.taskRunSpecs = trs;
  return { ...run, spec };
}

/** Applies the extras onto a TaskRun being started. */
export function applyTaskRunExtras(run: TaskRun, extras: RunExtras, previous?: TaskRun): TaskRun {
  const spec = { ...run.spec };
  if (!spec.timeout && previous?.spec.timeout) spec.timeout = previous.spec.timeout;
  const podTemplate = extras.podTemplate ?? previous?.spec.podTemplate;
  if (podTemplate) spec.podTemplate = podTemplate;
  return { ...run, spec };
}
