/**
 * What `tkt run` does with the loaded objects (pure): which runs to follow — the PipelineRuns and TaskRuns of
 * the files as given, or else one run generated for a lone Pipeline (or, with no Pipeline, a lone Task) with
 * the `-p`/`-w` flags — and which objects are applied first.
 */
import { kindFor } from '../../api/registry.js';
import type { KubeObject, Pipeline, Task, WorkspaceBinding } from '../../api/types.js';
import { UsageError } from '../errors.js';
import { buildPipelineRun, buildTaskRun } from '../start/build.js';
import { resolveParams } from '../start/params.js';
import { checkWorkspaces, parseWorkspaceFlag } from '../start/workspaces.js';
import type { LoadedObject } from './files.js';

/** A run to create, with the host directories its `dir=` workspaces need. */
export interface PlannedRun {
  obj: KubeObject;
  where: string;
  /** Workspace name → host directory (`-w name=dir=PATH`). */
  dirs: Map<string, string>;
}

/** The plan: definitions and other objects to apply, then the runs. */
export interface RunPlan {
  apply: LoadedObject[];
  runs: PlannedRun[];
}

/** Flags of `tkt run` that shape the plan. */
export interface PlanFlags {
  params: string[];
  workspaces: string[];
  namespace: string;
}

const isRun = (o: KubeObject): boolean => o.kind === 'PipelineRun' || o.kind === 'TaskRun';

function pickDefinition(objects: LoadedObject[]): LoadedObject {
  const pipelines = objects.filter((o) => o.obj.kind === 'Pipeline');
  const tasks = objects.filter((o) => o.obj.kind === 'Task');
  const names = (l: LoadedObject[]): string => l.map((o) => o.obj.metadata.name ?? '').join(', ');
  if (pipelines.length === 1 && pipelines[0]) return pipelines[0];
  if (pipelines.length > 1) throw new UsageError(`nothing to run: several Pipelines (${names(pipelines)}) and no PipelineRun; add a PipelineRun or give one Pipeline`);
  if (tasks.length === 1 && tasks[0]) return tasks[0];
  if (tasks.length > 1) throw new UsageError(`nothing to run: several Tasks (${names(tasks)}) and no TaskRun or Pipeline; add a TaskRun or give one Task`);
  throw new UsageError('nothing to run: the files contain no PipelineRun, TaskRun, Pipeline or Task');
}

function generated(def: LoadedObject, flags: PlanFlags): PlannedRun {
  const obj = def.obj as Pipeline | Task;
  const name = obj.metadata.name ?? '';
  const owner = `${obj.kind} "${name}"`;
  const params = resolveParams({ flags: flags.params, specs: obj.spec.params ?? [], owner });
  const dirs = new Map<string, string>();
  const workspaces: WorkspaceBinding[] = flags.workspaces.map((w) => {
    const parsed = parseWorkspaceFlag(w);
    if (parsed.dir) dirs.set(parsed.binding.name, parsed.dir);
    return parsed.binding;
  });
  checkWorkspaces(workspaces, obj.spec.workspaces ?? [], owner);
  const input = { ref: name, namespace: obj.metadata.namespace ?? flags.namespace, params, workspaces };
  const run = obj.kind === 'Pipeline' ? buildPipelineRun(input) : buildTaskRun(input);
  return { obj: run, where: `run generated for ${owner}`, dirs };
}

/** Decides what to apply and which runs to start. */
export function planRun(objects: LoadedObject[], flags: PlanFlags): RunPlan {
  const withNs = objects.map((o) => ({ ...o, obj: withNamespace(o.obj, flags.namespace) }));
  const given = withNs.filter((o) => isRun(o.obj));
  const apply = withNs.filter((o) => !isRun(o.obj));
  if (given.length > 0) {
    if (flags.params.length > 0 || flags.workspaces.length > 0) throw new UsageError('-p and -w apply to the run generated for a lone Pipeline or Task; these files already contain runs (set params and workspaces in them)');
    return { apply, runs: given.map((g) => ({ ...g, dirs: new Map() })) };
  }
  return { apply, runs: [generated(pickDefinition(withNs), flags)] };
}

/** The object with `metadata.namespace` set when the kind is namespaced and it has none. */
export function withNamespace(obj: KubeObject, ns: string): KubeObject {
  if (kindFor(obj.apiVersion, obj.kind)?.namespaced === false || obj.metadata?.namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace: ns } };
}
