/**
 * Variable usage checks inside a TaskSpec: `$(params.x)` declared (unless inherited), array params only as
 * isolated command/args elements or indexed, object params by declared key, `$(context.*)` names,
 * `$(results.x.path)` declared, and step-result references only where the entrypoint resolves them.
 */
import type { ParamSpec, TaskSpec } from '../types.js';
import { type FieldErrors, joinPath, type Segment } from './field-errors.js';
import { effectiveType } from './params.validate.js';
import { type LocatedRef, refsIn } from './refs.js';

const CONTEXT_NAMES: Record<string, ReadonlySet<string>> = {
  taskRun: new Set(['name', 'namespace', 'uid']),
  task: new Set(['name', 'retry-count']),
};

/** Validates variable usage in the steps, stepTemplate and sidecars of `spec` at `base`. */
export function validateTaskVariables(errs: FieldErrors, spec: TaskSpec, base: string, inherited?: ReadonlySet<string>): void {
  const params = new Map((spec.params ?? []).map((p) => [p.name, p]));
  const results = new Set((spec.results ?? []).map((r) => r.name));
  const refs = [
    ...(spec.steps ?? []).flatMap((s, i) => refsIn(s, joinPath(base, 'steps', i))),
    ...refsIn(spec.stepTemplate, joinPath(base, 'stepTemplate')),
    ...(spec.sidecars ?? []).flatMap((s, i) => refsIn(s, joinPath(base, 'sidecars', i))),
  ];
  for (const ref of refs) {
    const [head, name] = ref.segments;
    if (head === 'params' && name !== undefined) checkParamRef(errs, ref, params, inherited);
    else if (head === 'context') checkContextRef(errs, ref);
    else if (head === 'results' && ref.keys[0] === 'script' && name !== undefined && !results.has(name)) {
      errs.add(ref.path, `"$(${ref.expr})" refers to result "${name}", which the task does not declare; add it under results`);
    } else if (head === 'steps' && ref.segments[2] === 'results') checkStepResultPlace(errs, ref);
  }
}

/** The declared param a `params.…` reference names, allowing dotted names written with dots. */
function declaredParam(ref: LocatedRef, params: ReadonlyMap<string, ParamSpec>): ParamSpec | undefined {
  const rest = ref.segments.slice(1);
  for (let n = rest.length; n >= 1; n--) {
    const p = params.get(rest.slice(0, n).join('.'));
    if (p) return p;
  }
  return undefined;
}

function checkParamRef(errs: FieldErrors, ref: LocatedRef, params: ReadonlyMap<string, ParamSpec>, inherited?: ReadonlySet<string>): void {
  const name = ref.segments[1] ?? '';
  const p = declaredParam(ref, params);
  if (!p) {
    if (inherited === undefined || inherited.has(name)) return;
    const known = [...params.keys()];
    const hint = known.length > 0 ? ` (declared: ${known.join(', ')})` : '';
    errs.add(ref.path, `"$(${ref.expr})" refers to param "${name}", which is not declared${hint}; declare it under params or fix the name`);
    return;
  }
  const type = effectiveType(p);
  if (type === 'array') checkArrayUsage(errs, ref, p);
  else if (type === 'object') checkObjectUsage(errs, ref, p);
}

/** Whether the string is a whole element of command/args (or a StepAction param value / when values). */
function isolatedPlace(keys: readonly Segment[]): boolean {
  const parent = keys[keys.length - 2];
  if ((parent === 'command' || parent === 'args' || parent === 'values') && typeof keys[keys.length - 1] === 'number') return true;
  return keys[0] === 'params' && keys[2] === 'value';
}

function checkArrayUsage(errs: FieldErrors, ref: LocatedRef, p: ParamSpec): void {
  if (ref.index !== undefined && ref.index !== '*') return;
  if (ref.whole && isolatedPlace(ref.keys)) return;
  errs.add(ref.path, `array param "${p.name}" can only be used whole as a separate element of command or args ("$(params.${p.name}[*])"), or one item at a time ("$(params.${p.name}[0])")`);
}

function checkObjectUsage(errs: FieldErrors, ref: LocatedRef, p: ParamSpec): void {
  const key = ref.segments[2];
  if (key === undefined) {
    if (ref.whole && ref.keys[0] === 'params' && ref.keys[2] === 'value') return;
    errs.add(ref.path, `object param "${p.name}" must be used one key at a time, e.g. "$(params.${p.name}.${Object.keys(p.properties ?? {})[0] ?? 'key'})"`);
    return;
  }
  if (p.properties && !(key in p.properties)) {
    errs.add(ref.path, `"$(${ref.expr})" uses key "${key}", which object param "${p.name}" does not declare in properties`);
  }
}

function checkContextRef(errs: FieldErrors, ref: LocatedRef): void {
  const [, scope, name] = ref.segments;
  const allowed = scope === undefined ? undefined : CONTEXT_NAMES[scope];
  if (!allowed || name === undefined) return;
  if (!allowed.has(name)) {
    errs.add(ref.path, `"$(${ref.expr})" is not a known context variable; use one of ${[...allowed].map((n) => `context.${scope}.${n}`).join(', ')}`);
  }
}

const STEP_RESULT_PLACES = new Set(['env', 'command', 'args', 'params', 'when']);

function checkStepResultPlace(errs: FieldErrors, ref: LocatedRef): void {
  const field = ref.keys[0];
  if (typeof field === 'string' && STEP_RESULT_PLACES.has(field)) return;
  errs.add(ref.path, `step result "$(${ref.expr})" can only be used in env, command, args or StepAction params (it is resolved when the step starts); pass it through env`);
}
