/**
 * Semantic checks of TaskRun and PipelineRun specs (Tekton's *_validation.go): one task/pipeline source,
 * params, timeouts (`pipeline >= tasks + finally`), workspace bindings with exactly one volume source,
 * per-task overrides; inline specs validated with propagated params allowed.
 */
import type { PipelineRunSpec, TaskRunSpec, WorkspaceBinding } from '../types.js';
import { parseGoDuration, timeoutProblem } from './duration.js';
import { checkUnique, type FieldErrors, joinPath } from './field-errors.js';
import { validateParams } from './params.validate.js';
import { validatePipelineSpec } from './pipeline.validate.js';
import { validateTaskSpec } from './task.validate.js';

/** Tekton's `default-timeout-minutes` (60), the pipeline timeout when none is set. */
export const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;

/** Validates a TaskRun spec at `spec`. */
export function validateTaskRunSpec(errs: FieldErrors, spec: TaskRunSpec): void {
  if (!spec.taskRef && !spec.taskSpec) errs.add('spec', 'a TaskRun needs taskRef or taskSpec; add one');
  if (spec.taskRef && spec.taskSpec) errs.add('spec.taskSpec', 'a TaskRun sets both taskRef and taskSpec; use exactly one');
  if (spec.taskRef && !spec.taskRef.name && !spec.taskRef.resolver) errs.add('spec.taskRef.name', 'taskRef needs a name (or a resolver with params)');
  if (spec.taskSpec) validateTaskSpec(errs, spec.taskSpec, 'spec.taskSpec', {});
  validateDebug(errs, spec.debug as { breakpoints?: { onFailure?: string; beforeSteps?: string[] } } | undefined);
  validateParams(errs, spec.params, 'spec.params');
  if (spec.timeout !== undefined) addTimeoutProblem(errs, 'spec.timeout', spec.timeout);
  if (spec.retries !== undefined && spec.retries < 0) errs.add('spec.retries', `retries must be 0 or more, not ${spec.retries}`);
  validateBindings(errs, spec.workspaces, 'spec.workspaces');
  checkUnique(errs, spec.stepSpecs, 'spec.stepSpecs', 'name', (s) => s.name, 'stepSpecs name');
  checkUnique(errs, spec.sidecarSpecs, 'spec.sidecarSpecs', 'name', (s) => s.name, 'sidecarSpecs name');
  validateStatusMessage(errs, 'TaskRun', spec);
  validateComputeResources(errs, spec, 'spec');
}

/** Tekton's validateDebug: onFailure is `enabled` whenever breakpoints are set (also with beforeSteps); beforeSteps are distinct. */
function validateDebug(errs: FieldErrors, debug: { breakpoints?: { onFailure?: string; beforeSteps?: string[] } } | undefined): void {
  const b = debug?.breakpoints;
  if (!b) return;
  if (!b.onFailure) errs.add('spec.debug.breakpoints.onFailure', 'onFailure breakpoint is empty: with breakpoints set it must be enabled (also when beforeSteps are listed), as Tekton requires');
  if (b.onFailure && b.onFailure !== 'enabled') errs.add('spec.debug.breakpoints.onFailure', `"${b.onFailure}" is not a valid onFailure breakpoint: the only value is enabled`);
  const seen = new Set<string>();
  for (const [i, name] of (b.beforeSteps ?? []).entries()) {
    if (seen.has(name)) errs.add(`spec.debug.breakpoints.beforeSteps[${i}]`, `step "${name}" is listed twice in beforeSteps; list each step once`);
    seen.add(name);
  }
}

/** Tekton's validateTaskRunComputeResources: task-level computeResources exclude stepSpecs[].computeResources. */
function validateComputeResources(errs: FieldErrors, spec: Pick<TaskRunSpec, 'computeResources' | 'stepSpecs'>, at: string): void {
  if (spec.computeResources === undefined) return;
  const i = (spec.stepSpecs ?? []).findIndex((s) => Object.keys(s.computeResources ?? {}).length > 0);
  if (i < 0) return;
  errs.add(joinPath(at, 'computeResources'), `expected exactly one, got both: set computeResources either for the whole TaskRun or per step in stepSpecs (${joinPath(at, 'stepSpecs', i, 'computeResources')}), not both`);
}

/** A run's spec.statusMessage only with spec.status (TaskRun, and CustomRun in Tekton's words). */
export function validateStatusMessage(errs: FieldErrors, kind: string, spec: { status?: unknown; statusMessage?: unknown }): void {
  if (spec.statusMessage === undefined || spec.status !== undefined) return;
  errs.add('spec.statusMessage', kind === 'CustomRun'
    ? `statusMessage should not be set if status is not set, but it is currently set to ${String(spec.statusMessage)}`
    : 'statusMessage is only meaningful with status; set status or remove statusMessage');
}

/**
 * Tekton's `IsPending() && HasStarted()` rule: a run that has started (status.startTime) cannot be put back to
 * Pending. Needs the stored status, so it is checked on the whole object.
 */
export function validateNotPendingAfterStart(errs: FieldErrors, kind: string, obj: { spec?: { status?: unknown }; status?: { startTime?: unknown } }): void {
  const pending = kind === 'PipelineRun' ? 'PipelineRunPending' : kind === 'TaskRun' ? 'TaskRunPending' : undefined;
  if (!pending || obj.spec?.status !== pending || !obj.status?.startTime) return;
  errs.add('spec.status', `invalid value: ${kind} cannot be Pending after it is started`);
}

/** Validates a PipelineRun spec at `spec`. */
export function validatePipelineRunSpec(errs: FieldErrors, spec: PipelineRunSpec): void {
  if (!spec.pipelineRef && !spec.pipelineSpec) errs.add('spec', 'a PipelineRun needs pipelineRef or pipelineSpec; add one');
  if (spec.pipelineRef && spec.pipelineSpec) errs.add('spec.pipelineSpec', 'a PipelineRun sets both pipelineRef and pipelineSpec; use exactly one');
  if (spec.pipelineRef && !spec.pipelineRef.name && !spec.pipelineRef.resolver) errs.add('spec.pipelineRef.name', 'pipelineRef needs a name (or a resolver with params)');
  if (spec.pipelineSpec) validatePipelineSpec(errs, spec.pipelineSpec, 'spec.pipelineSpec', { standalone: false });
  validateParams(errs, spec.params, 'spec.params');
  validateNoResultParams(errs, spec);
  validateTimeouts(errs, spec.timeouts);
  validateBindings(errs, spec.workspaces, 'spec.workspaces');
  validateTaskRunSpecs(errs, spec);
}

/** Tekton: a PipelineRun's param values cannot read task results (there are none yet). */
function validateNoResultParams(errs: FieldErrors, spec: PipelineRunSpec): void {
  (spec.params ?? []).forEach((p, i) => {
    const strings = typeof p.value === 'string' ? [p.value] : Array.isArray(p.value) ? p.value : Object.values(p.value ?? {});
    // values are often long (a webhook's text): look for the expression only where its start is found
    const refs = strings.flatMap((v) => (String(v).includes('$(tasks.') ? [...String(v).matchAll(/\$\((tasks\.[^.()]+\.results\.[^()]+)\)/g)].map((m) => m[1] ?? '') : []));
    if (refs.length > 0) errs.add(joinPath('spec.params', i, 'value'), `cannot use result expressions in [${refs.join(' ')}] as PipelineRun parameter values`);
  });
}

/** taskRunSpecs: one entry per pipeline task, timeouts parseable, names existing tasks when the spec is inline. */
function validateTaskRunSpecs(errs: FieldErrors, spec: PipelineRunSpec): void {
  checkUnique(errs, spec.taskRunSpecs, 'spec.taskRunSpecs', 'pipelineTaskName', (s) => s.pipelineTaskName, 'taskRunSpecs entry for');
  const ps = spec.pipelineSpec;
  const names = ps ? new Set([...(ps.tasks ?? []), ...(ps.finally ?? [])].map((t) => t.name)) : undefined;
  (spec.taskRunSpecs ?? []).forEach((s, i) => {
    validateComputeResources(errs, s, joinPath('spec.taskRunSpecs', i));
    if (s.timeout !== undefined) addTimeoutProblem(errs, joinPath('spec.taskRunSpecs', i, 'timeout'), s.timeout);
    if (names && !names.has(s.pipelineTaskName)) {
      errs.add(joinPath('spec.taskRunSpecs', i, 'pipelineTaskName'), `"${s.pipelineTaskName}" is not a task of spec.pipelineSpec (tasks: ${[...names].join(', ')})`);
    }
  });
}

function addTimeoutProblem(errs: FieldErrors, path: string, value: string): void {
  const problem = timeoutProblem(value);
  if (problem) errs.add(path, problem);
}

/** `timeouts`: each parseable; tasks and finally within pipeline; `tasks + finally <= pipeline`. */
function validateTimeouts(errs: FieldErrors, t: PipelineRunSpec['timeouts']): void {
  if (!t) return;
  for (const k of ['pipeline', 'tasks', 'finally'] as const) {
    const v = t[k];
    if (v !== undefined) addTimeoutProblem(errs, `spec.timeouts.${k}`, v);
  }
  const ms = (v: string | undefined) => (v === undefined ? undefined : parseGoDuration(v));
  const pipeline = t.pipeline === undefined ? DEFAULT_TIMEOUT_MS : ms(t.pipeline);
  const tasks = ms(t.tasks);
  const fin = ms(t.finally);
  if (pipeline === undefined || pipeline < 0 || pipeline === 0) return;
  const limit = `timeouts.pipeline (${t.pipeline ?? '1h0m0s, the default'})`;
  if (tasks === 0) errs.add('spec.timeouts.tasks', `tasks timeout 0 (no timeout) is only allowed when the pipeline timeout is 0 too; set it to at most ${limit}`);
  if (fin === 0) errs.add('spec.timeouts.finally', `finally timeout 0 (no timeout) is only allowed when the pipeline timeout is 0 too; set it to at most ${limit}`);
  if (tasks !== undefined && tasks > pipeline) errs.add('spec.timeouts.tasks', `timeouts.tasks (${t.tasks}) must not exceed ${limit}`);
  if (fin !== undefined && fin > pipeline) errs.add('spec.timeouts.finally', `timeouts.finally (${t.finally}) must not exceed ${limit}`);
  if (tasks !== undefined && fin !== undefined && tasks > 0 && fin > 0 && tasks + fin > pipeline) {
    errs.add('spec.timeouts', `timeouts.tasks (${t.tasks}) + timeouts.finally (${t.finally}) must not exceed ${limit}; lower one or raise the pipeline timeout`);
  }
}

const BINDING_SOURCES = ['persistentVolumeClaim', 'volumeClaimTemplate', 'emptyDir', 'configMap', 'secret', 'projected', 'csi'] as const;

/** Run workspace bindings: unique names and exactly one volume source each. */
export function validateBindings(errs: FieldErrors, bindings: readonly WorkspaceBinding[] | undefined, base: string): void {
  checkUnique(errs, bindings, base, 'name', (b) => b.name, 'workspace binding');
  (bindings ?? []).forEach((b, i) => {
    const given = BINDING_SOURCES.filter((k) => b[k] !== undefined);
    if (given.length === 0) errs.add(joinPath(base, i), `workspace "${b.name}" needs exactly one source: one of ${BINDING_SOURCES.join(', ')}`);
    if (given.length > 1) errs.add(joinPath(base, i, given[1] ?? ''), `workspace "${b.name}" sets ${given.join(' and ')}; use exactly one source`);
  });
}
