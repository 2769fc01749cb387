/**
 * Semantic checks of a PipelineSpec (Tekton's PipelineSpec.Validate and, for a Pipeline object, its usage
 * checks): task names, one task source each, params, workspaces, when, matrix, onError/retries, timeouts,
 * graph and result references (pipeline-graph.validate.ts), pipeline results.
 */
import type { PipelineSpec, PipelineTask } from '../types.js';
import { timeoutProblem } from './duration.js';
import { checkUnique, dnsLabelProblem, type FieldErrors, joinPath } from './field-errors.js';
import { validateMatrix } from './matrix.validate.js';
import { validateParamSpecs, validateParams } from './params.validate.js';
import { validateGraph, validatePipelineResults } from './pipeline-graph.validate.js';
import { validatePipelineTaskVariables } from './pipeline-vars.validate.js';
import { validateTaskSpec } from './task.validate.js';
import { validateWhen } from './when.validate.js';

/** Whether the spec stands alone (a Pipeline object: params and workspaces must be declared) or is inline. */
export interface PipelineSpecContext {
  standalone: boolean;
}

/** Validates a PipelineSpec at `base` (`spec`, `spec.pipelineSpec`, `spec.tasks[0].pipelineSpec`). */
export function validatePipelineSpec(errs: FieldErrors, spec: PipelineSpec, base: string, ctx: PipelineSpecContext): void {
  const tasks = spec.tasks ?? [];
  const fin = spec.finally ?? [];
  if (tasks.length === 0 && fin.length === 0 && !spec.params?.length && !spec.workspaces?.length && !spec.description) {
    errs.add(joinPath(base, 'tasks'), 'a Pipeline needs at least one task; add one under tasks');
  }
  if (fin.length > 0 && tasks.length === 0) errs.add(joinPath(base, 'finally'), `spec.tasks is empty but finally has ${fin.length} task(s); add at least one task under tasks`);
  const names = [...tasks.map((t, i) => ({ t, at: joinPath(base, 'tasks', i) })), ...fin.map((t, i) => ({ t, at: joinPath(base, 'finally', i) }))];
  const seen = new Map<string, string>();
  for (const { t, at } of names) {
    const first = seen.get(t.name);
    if (first !== undefined) errs.add(joinPath(at, 'name'), `duplicate pipeline task name "${t.name}": it is already used at ${first}; task names must be unique across tasks and finally`);
    else seen.set(t.name, at);
  }
  validateParamSpecs(errs, spec.params, joinPath(base, 'params'));
  checkUnique(errs, spec.workspaces, joinPath(base, 'workspaces'), 'name', (w) => w.name, 'workspace name');
  const pipelineParams = new Set((spec.params ?? []).map((p) => p.name));
  for (const { t, at } of names) validatePipelineTask(errs, t, at, spec, ctx, pipelineParams);
  fin.forEach((t, i) => {
    if (t.runAfter && t.runAfter.length > 0) errs.add(joinPath(base, 'finally', i, 'runAfter'), `finally task "${t.name}" cannot use runAfter: finally tasks run after all tasks; remove runAfter`);
  });
  validateGraph(errs, spec, base);
  validatePipelineResults(errs, spec, base);
}

function validatePipelineTask(
  errs: FieldErrors, t: PipelineTask, at: string, spec: PipelineSpec, ctx: PipelineSpecContext, pipelineParams: ReadonlySet<string>,
): void {
  const problem = dnsLabelProblem(t.name);
  if (problem) errs.add(joinPath(at, 'name'), `invalid pipeline task name "${t.name}": it ${problem}`);
  validateTaskSource(errs, t, at, ctx, pipelineParams);
  validateParams(errs, t.params, joinPath(at, 'params'));
  if (t.onError === 'continue' && (t.retries ?? 0) > 0) {
    errs.add(joinPath(at, 'onError'), `onError "continue" cannot be combined with retries (${t.retries}): a failure is ignored, so there is nothing to retry; drop one`);
  }
  if (t.retries !== undefined && t.retries < 0) errs.add(joinPath(at, 'retries'), `retries must be 0 or more, not ${t.retries}`);
  if (t.timeout !== undefined) {
    const tp = timeoutProblem(t.timeout);
    if (tp) errs.add(joinPath(at, 'timeout'), tp);
  }
  validateWhen(errs, t.when, joinPath(at, 'when'));
  validateMatrix(errs, t, at, spec.params);
  validateTaskWorkspaces(errs, t, at, spec, ctx);
  validatePipelineTaskVariables(errs, t, at, spec.params, ctx.standalone);
}

const SOURCES = ['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] as const;

function validateTaskSource(errs: FieldErrors, t: PipelineTask, at: string, ctx: PipelineSpecContext, params: ReadonlySet<string>): void {
  const given = SOURCES.filter((k) => t[k] !== undefined);
  if (given.length === 0) errs.add(at, `pipeline task "${t.name}" needs exactly one of taskRef or taskSpec (or pipelineRef/pipelineSpec); add one`);
  if (given.length > 1) errs.add(joinPath(at, given[1] ?? ''), `pipeline task "${t.name}" sets ${given.join(' and ')}; use exactly one`);
  const custom = customTaskProblems(t);
  for (const [field, message] of custom ?? []) errs.add(joinPath(at, field), message);
  for (const key of ['taskRef', 'pipelineRef'] as const) {
    const ref = t[key];
    if (!ref) continue;
    if (!ref.name && !ref.resolver && !(key === 'taskRef' && custom)) errs.add(joinPath(at, key, 'name'), `${key} needs a name (or a resolver with params)`);
    if (ref.name && ref.resolver) errs.add(joinPath(at, key, 'resolver'), `${key} sets both name and resolver; use one`);
  }
  const ts = t.taskSpec;
  if (ts) {
    const custom = ts.apiVersion !== undefined || ts.kind !== undefined;
    if (custom && ts.steps && ts.steps.length > 0) errs.add(joinPath(at, 'taskSpec', ts.apiVersion !== undefined ? 'apiVersion' : 'kind'), 'taskSpec.apiVersion/kind (custom task) cannot be used together with taskSpec.steps');
    // Inline specs see the pipeline's params and the params this task passes (they propagate into the TaskRun).
    const inherited = ctx.standalone ? new Set([...params, ...(t.params ?? []).map((p) => p.name)]) : undefined;
    if (!custom) validateTaskSpec(errs, { ...ts, steps: ts.steps ?? [] }, joinPath(at, 'taskSpec'), { inheritedParams: inherited });
  }
  if (t.pipelineSpec) validatePipelineSpec(errs, t.pipelineSpec, joinPath(at, 'pipelineSpec'), { standalone: false });
}

const TASK_KINDS = new Set(['', 'Task']);
/** Tekton's message stays as it is; catalog samples still say `kind: ClusterTask`, so say why and what to write. */
const CLUSTER_TASK_HINT = ' (kind ClusterTask was removed from Tekton: write kind: Task for a Task in this namespace, or use the cluster resolver)';
const API_VERSION = /^[^/\s]+\/[^/\s]+$/;

/**
 * Tekton's validateCustomTask: a taskRef/taskSpec with an apiVersion, or a kind other than Task, is a custom
 * task; it must name both its kind and its apiVersion (`group/version`). Undefined when it is not a custom task.
 */
function customTaskProblems(t: PipelineTask): Array<[string, string]> | undefined {
  const ref = t.taskRef;
  const ts = t.taskSpec;
  const isCustom = (v: { apiVersion?: string; kind?: string } | undefined): boolean => !!v && (!!v.apiVersion || !TASK_KINDS.has(v.kind ?? ''));
  if (!isCustom(ref) && !isCustom(ts)) return undefined;
  const out: Array<[string, string]> = [];
  for (const [key, v] of [['taskRef', ref], ['taskSpec', ts]] as const) {
    if (!v) continue;
    const what = key === 'taskRef' ? 'custom task ref' : 'custom task spec';
    if (!v.kind) out.push([`${key}.kind`, `invalid value: ${what} must specify kind`]);
    if (!v.apiVersion) out.push([`${key}.apiVersion`, `invalid value: ${what} must specify apiVersion${v.kind === 'ClusterTask' ? CLUSTER_TASK_HINT : ''}`]);
    else if (!API_VERSION.test(v.apiVersion)) out.push([`${key}.apiVersion`, `invalid value: invalid apiVersion format "${v.apiVersion}", must be in the format "group/version"`]);
  }
  return out;
}

function validateTaskWorkspaces(errs: FieldErrors, t: PipelineTask, at: string, spec: PipelineSpec, ctx: PipelineSpecContext): void {
  const base = joinPath(at, 'workspaces');
  checkUnique(errs, t.workspaces, base, 'name', (w) => w.name, 'workspace binding');
  if (!ctx.standalone) return;
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  (t.workspaces ?? []).forEach((w, i) => {
    const target = w.workspace ?? w.name;
    if (!declared.has(target)) {
      errs.add(joinPath(base, i, w.workspace !== undefined ? 'workspace' : 'name'),
        `pipeline task "${t.name}" uses workspace "${target}", which the pipeline does not declare; add it under spec.workspaces`);
    }
  });
}
