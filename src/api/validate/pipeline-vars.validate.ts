/**
 * Variable usage in a pipeline task's own fields (params, matrix, when, refs, workspaces, displayName):
 * `$(params.x)` declared by the Pipeline (for a standalone Pipeline), array params used whole, object params
 * by declared key, and `$(context.*)` names Tekton knows.
 */
import type { ParamSpec, PipelineTask } from '../types.js';
import type { FieldErrors } from './field-errors.js';
import { effectiveType } from './params.validate.js';
import { type LocatedRef, refsIn } from './refs.js';

const CONTEXT_NAMES: Record<string, ReadonlySet<string>> = {
  pipelineRun: new Set(['name', 'namespace', 'uid']),
  pipeline: new Set(['name']),
  pipelineTask: new Set(['retries']),
};

const NESTED_SPECS = new Set(['taskSpec', 'pipelineSpec']);

/** Validates variables used in `t` (not inside its inline taskSpec/pipelineSpec, which are checked on their own). */
export function validatePipelineTaskVariables(
  errs: FieldErrors, t: PipelineTask, at: string, params: readonly ParamSpec[] | undefined, standalone: boolean,
): void {
  const declared = new Map((params ?? []).map((p) => [p.name, p]));
  const own = Object.fromEntries(Object.entries(t).filter(([k]) => !NESTED_SPECS.has(k)));
  for (const ref of refsIn(own, at)) {
    const [head, name] = ref.segments;
    if (head === 'params' && name !== undefined) checkParam(errs, ref, declared, standalone);
    else if (head === 'context') checkContext(errs, ref);
  }
}

function findParam(ref: LocatedRef, declared: ReadonlyMap<string, ParamSpec>): ParamSpec | undefined {
  const rest = ref.segments.slice(1);
  for (let n = rest.length; n >= 1; n--) {
    const p = declared.get(rest.slice(0, n).join('.'));
    if (p) return p;
  }
  return undefined;
}

function checkParam(errs: FieldErrors, ref: LocatedRef, declared: ReadonlyMap<string, ParamSpec>, standalone: boolean): void {
  const p = findParam(ref, declared);
  const name = ref.segments[1] ?? '';
  if (!p) {
    if (!standalone) return;
    const known = [...declared.keys()];
    errs.add(ref.path, `"$(${ref.expr})" refers to param "${name}", which the pipeline does not declare${known.length ? ` (declared: ${known.join(', ')})` : ''}; declare it under spec.params`);
    return;
  }
  const type = effectiveType(p);
  const inValue = ref.keys[0] === 'params' || ref.keys[0] === 'matrix';
  if (type === 'array' && (ref.index === undefined || ref.index === '*') && inValue && !ref.whole) {
    errs.add(ref.path, `array param "${p.name}" must be the whole value ("$(params.${p.name}[*])") or indexed ("$(params.${p.name}[0])"), not part of a longer string`);
  }
  if (type === 'object') {
    const key = ref.segments[2];
    if (key !== undefined && p.properties && !(key in p.properties)) {
      errs.add(ref.path, `"$(${ref.expr})" uses key "${key}", which object param "${p.name}" does not declare in properties`);
    }
  }
}

function checkContext(errs: FieldErrors, ref: LocatedRef): void {
  const [, scope, name] = ref.segments;
  const allowed = scope === undefined ? undefined : CONTEXT_NAMES[scope];
  if (!allowed || name === undefined || allowed.has(name)) return;
  errs.add(ref.path, `"$(${ref.expr})" is not a known context variable; use one of ${[...allowed].map((n) => `context.${scope}.${n}`).join(', ')}`);
}
