/**
 * `resolveTaskSpec`: a TaskRun's TaskSpec with everything Tekton resolves before building the pod — StepActions,
 * the stepTemplate, params (defaults, propagation), contexts, result/step paths, workspaces, credentials — as one
 * pure function, so the controller, the CLI and tests all see the same fully substituted spec.
 */
import type { Param, ParamSpec, StepActionSpec, TaskRun, TaskSpec, WorkspaceBinding, WorkspaceDeclaration } from '../../api/types.js';
import { normalizeParam, paramReplacements, resolveParamValues, validateParams } from '../substitution/params.js';
import { findReferences } from '../substitution/replace.js';
import { applyToStep, applyToTaskSpec } from '../substitution/task-fields.js';
import {
  applyWorkspaces,
  contextReplacements,
  credentialsReplacements,
  exitCodePathReplacements,
  resultPathReplacements,
  stepResultPathReplacements,
  artifactPathReplacements,
} from '../substitution/task-vars.js';
import type { Refusal } from './step-actions.js';
import { applyStepActions } from './step-actions.js';
import { mergeStepTemplate } from './step-template.js';

/** What resolveTaskSpec needs: the run, the spec it runs (inline or fetched), the Task's name, fetched StepActions. */
export interface ResolveTaskSpecInput {
  taskRun: TaskRun;
  taskSpec: TaskSpec;
  /** The Task's name for `taskRef`; undefined for an inline `taskSpec` (the TaskRun's name is used then). */
  taskName?: string;
  /** StepActions by {@link stepActionKey} (`ref.name`), already fetched by the controller. */
  stepActions: ReadonlyMap<string, StepActionSpec>;
}

/** The resolved spec, or Tekton's failure reason and a message that names the problem and the fix. */
export type ResolvedTaskSpec = { ok: true; spec: TaskSpec } | { ok: false; reason: string; message: string };

/** Tekton's `workspace.ValidateBindings`; inline specs accept any binding (workspaces propagate into them). */
function checkWorkspaces(decls: readonly WorkspaceDeclaration[], bindings: readonly WorkspaceBinding[], inline: boolean, label: string): Refusal | undefined {
  const bound = new Set(bindings.map((b) => b.name));
  const declared = new Set(decls.map((d) => d.name));
  for (const d of decls) {
    if (!d.optional && !bound.has(d.name)) {
      return { ok: false, reason: 'TaskRunValidationFailed', message: `declared workspace "${d.name}" is required but has not been bound: add it to spec.workspaces of the TaskRun (task ${label})` };
    }
  }
  for (const b of bindings) {
    if (!inline && !declared.has(b.name)) {
      return { ok: false, reason: 'TaskRunValidationFailed', message: `workspace binding "${b.name}" does not match any declared workspace of task ${label} (declared: [${[...declared].join(' ')}])` };
    }
  }
  return undefined;
}

/** Array params indexed past their end (`$(params.a[5])` with 2 elements) — Tekton refuses those runs. */
function checkArrayIndexes(spec: TaskSpec, specs: readonly ParamSpec[], values: ReadonlyMap<string, unknown>): Refusal | undefined {
  const bad = new Set<string>();
  const texts: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect({ steps: spec.steps, sidecars: spec.sidecars, volumes: spec.volumes, stepTemplate: spec.stepTemplate });
  for (const key of texts.flatMap((t) => findReferences(t))) {
    const m = /^params\.(.+)\[(\d+)\]$/.exec(key);
    const arr = m ? values.get(m[1] ?? '') : undefined;
    if (m && Array.isArray(arr) && specs.some((s) => s.name === m[1]) && Number(m[2]) >= arr.length) bad.add(`$(${key})`);
  }
  if (bad.size === 0) return undefined;
  return { ok: false, reason: 'InvalidParamValue', message: `non-existent param references:[${[...bad].join(' ')}]: the array params are shorter than these indexes` };
}

function propagateWorkspaces(spec: TaskSpec, bindings: readonly WorkspaceBinding[]): TaskSpec {
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  const extra = bindings.filter((b) => !declared.has(b.name)).map((b) => ({ name: b.name }));
  return extra.length === 0 ? spec : { ...spec, workspaces: [...(spec.workspaces ?? []), ...extra] };
}

/** Every substitution pass, in Tekton's order (params → contexts → results → exit codes → workspaces → creds). */
function substituteAll(spec: TaskSpec, input: ResolveTaskSpecInput, params: ReturnType<typeof paramReplacements>): TaskSpec {
  const tr = input.taskRun;
  let out = applyToTaskSpec(spec, params);
  out = applyToTaskSpec(out, contextReplacements(tr, input.taskName));
  out = applyToTaskSpec(out, resultPathReplacements(out));
  out = applyToTaskSpec(out, exitCodePathReplacements(out.steps));
  out = applyWorkspaces(out, tr.spec.workspaces ?? [], tr.metadata.uid ?? '');
  out = { ...out, steps: out.steps.map((s, i) => applyToStep(applyToStep(s, stepResultPathReplacements(s, i)), artifactPathReplacements(s, i))) };
  return applyToTaskSpec(out, credentialsReplacements());
}

/**
 * Resolves a TaskRun's spec (see the file comment). Never throws: a run that cannot start gets
 * `{ok: false, reason, message}` — `TaskRunResolutionFailed` (StepActions), `TaskRunValidationFailed` (params,
 * workspaces) or `InvalidParamValue` (enum, array index). `$(steps.<s>.results.<r>)` references are kept for the
 * entrypoint. The returned steps already have the stepTemplate merged in.
 */
export function resolveTaskSpec(input: ResolveTaskSpecInput): ResolvedTaskSpec {
  const tr = input.taskRun;
  const spec = structuredClone(input.taskSpec);
  const label = input.taskName ?? tr.metadata.name ?? '';
  const specs = spec.params ?? [];
  const provided: Param[] = (tr.spec.params ?? []).map(normalizeParam);
  const values = resolveParamValues(specs, provided);
  const params = paramReplacements(specs, values);
  const withActions = applyStepActions(spec.steps ?? [], input.stepActions, params);
  if (!withActions.ok) return withActions;
  const problem = validateParams(specs, provided);
  if (problem) return { ok: false, reason: problem.reason, message: `invalid input params for task ${label}: ${problem.message}` };
  const bindings = tr.spec.workspaces ?? [];
  const wsProblem = checkWorkspaces(spec.workspaces ?? [], bindings, input.taskName === undefined, label);
  if (wsProblem) return wsProblem;
  const merged: TaskSpec = propagateWorkspaces({ ...spec, steps: mergeStepTemplate(spec.stepTemplate, withActions.steps) }, bindings);
  const indexProblem = checkArrayIndexes(merged, specs, values);
  if (indexProblem) return indexProblem;
  return { ok: true, spec: substituteAll(merged, input, params) };
}
