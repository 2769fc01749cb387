/**
 * StepActions merged into the steps that reference them (Tekton's `GetStepActionsData`): the step's params are
 * first substituted with the Task's params, then the StepAction's params (defaults, then the step's values) are
 * substituted into the StepAction, whose fields replace the step's. A step param that passes a step result
 * (`$(steps.s.results.r)`) keeps pointing at it in every form (`[*]`, `[i]`, `.key`) for the entrypoint.
 */
import type { Param, ParamSpec, ParamValue, Step, StepActionSpec } from '../../api/types.js';
import { declaredType, normalizeParam, paramReplacements, resolveParamValues, valueType } from '../substitution/params.js';
import type { Replacements } from '../substitution/replace.js';
import { findReferences, mergeReplacements, replaceString, replaceStringArray, wholeArrayOf, wholeObjectOf } from '../substitution/replace.js';
import { applyToStep } from '../substitution/task-fields.js';

/** A refusal, in the shape resolveTaskSpec returns. */
export interface Refusal {
  ok: false;
  reason: string;
  message: string;
}

/**
 * The key under which the controller must put a step's fetched StepAction in the map given to resolveTaskSpec:
 * `ref.name`, or for a resolver ref without a name the step's name.
 */
export function stepActionKey(step: Step, index: number): string {
  return step.ref?.name ?? step.name ?? `unnamed-${index}`;
}

const STEP_RESULT_REF = /^\$\((steps\.[^()$]+\.results\.[^()$]+)\)$/;

function substituteValue(v: ParamValue, r: Replacements): ParamValue {
  if (typeof v === 'string') return wholeArrayOf(v, r) ?? wholeObjectOf(v, r) ?? replaceString(v, r);
  if (Array.isArray(v)) return replaceStringArray(v, r);
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, replaceString(s, r)]));
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => stringsIn(v, out));
  return out;
}

function checkParams(step: Step, key: string, specs: readonly ParamSpec[], params: readonly Param[]): Refusal | undefined {
  const given = new Map(params.map((p) => [p.name, p.value]));
  const where = `step "${step.name ?? key}" (StepAction "${key}")`;
  const missing = specs.filter((s) => s.default === undefined && !given.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    return { ok: false, reason: 'TaskRunResolutionFailed', message: `${where}: missing parameters: [${missing.join(' ')}]; the StepAction declares them without a default: add them to the step's params` };
  }
  for (const s of specs) {
    const v = given.get(s.name);
    if (v === undefined || (typeof v === 'string' && STEP_RESULT_REF.test(v))) continue;
    if (valueType(v) !== declaredType(s)) {
      return { ok: false, reason: 'TaskRunResolutionFailed', message: `${where}: param ${s.name} must be ${declaredType(s)}, got ${valueType(v)}` };
    }
  }
  return undefined;
}

const WHOLE_REF = /^\$\([^()$]+\)$/;

/**
 * A step param whose value is still an unresolved whole reference (`$(params.x[*])` naming a param the run
 * does not give as the declared type) is dropped so the StepAction's default applies, as Tekton does.
 */
function isUnresolvedMismatch(p: Param, specs: readonly ParamSpec[]): boolean {
  const spec = specs.find((s) => s.name === p.name);
  if (!spec || typeof p.value !== 'string' || !WHOLE_REF.test(p.value) || STEP_RESULT_REF.test(p.value)) return false;
  return declaredType(spec) !== 'string';
}

/** Replacements that keep step-result params pointing at the step result in every reference form used. */
function stepResultForms(sa: StepActionSpec, params: readonly Param[]): Replacements {
  const r: Replacements = { strings: new Map(), arrays: new Map(), objects: new Map() };
  const keys = stringsIn(sa).flatMap((s) => findReferences(s));
  for (const p of params) {
    const m = typeof p.value === 'string' ? STEP_RESULT_REF.exec(p.value) : null;
    if (!m) continue;
    // a whole array/object result passed as `...results.r[*]`: `$(params.p[0])` reads `...results.r[0]`
    const target = (m[1] ?? '').replace(/\[\*\]$/, '');
    for (const key of keys) {
      const base = `params.${p.name}`;
      if (key.startsWith(`${base}[`) || key.startsWith(`${base}.`)) r.strings.set(key, `$(${target}${key.slice(base.length)})`);
    }
  }
  return r;
}

function stepFromAction(step: Step, sa: StepActionSpec, r: Replacements): Step {
  const fromSa = applyToStep(
    { image: sa.image, command: sa.command, args: sa.args, env: sa.env, script: sa.script, workingDir: sa.workingDir, volumeMounts: sa.volumeMounts },
    r,
  );
  const out: Step = { ...step, image: fromSa.image, securityContext: sa.securityContext, workingDir: fromSa.workingDir };
  if (fromSa.command?.length) out.command = fromSa.command;
  if (fromSa.args?.length) out.args = fromSa.args;
  if (fromSa.script) out.script = fromSa.script;
  if (fromSa.env) out.env = fromSa.env;
  if (fromSa.volumeMounts?.length) out.volumeMounts = fromSa.volumeMounts;
  if (sa.results?.length) out.results = structuredClone(sa.results);
  delete out.params;
  delete out.ref;
  for (const k of Object.keys(out) as Array<keyof Step>) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Replaces every step that has a `ref` with its StepAction. `taskParams` are the task-level param replacements
 * (step params may use them). A missing StepAction or missing StepAction params refuse the run
 * (`TaskRunResolutionFailed`, as Tekton).
 */
export function applyStepActions(steps: readonly Step[], stepActions: ReadonlyMap<string, StepActionSpec>, taskParams: Replacements): { ok: true; steps: Step[] } | Refusal {
  const out: Step[] = [];
  for (const [i, step] of steps.entries()) {
    if (!step.ref) {
      out.push(step);
      continue;
    }
    const key = stepActionKey(step, i);
    const sa = stepActions.get(key);
    if (!sa) return { ok: false, reason: 'TaskRunResolutionFailed', message: `StepAction "${key}" referenced by step "${step.name ?? i}" was not found` };
    const params = (step.params ?? []).map(normalizeParam).map((p) => ({ name: p.name, value: substituteValue(p.value, taskParams) }))
      .filter((p) => !isUnresolvedMismatch(p, sa.params ?? []));
    const refusal = checkParams(step, key, sa.params ?? [], params);
    if (refusal) return refusal;
    const values = resolveParamValues(sa.params ?? [], params);
    const r = mergeReplacements(paramReplacements(sa.params ?? [], values), stepResultForms(sa, params));
    out.push(stepFromAction(step, sa, r));
  }
  return { ok: true, steps: out };
}
