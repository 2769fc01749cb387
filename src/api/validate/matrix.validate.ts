/**
 * Matrix checks (Tekton's PipelineTask.validateMatrix): matrix params are arrays (literal or a whole-array
 * reference), a param is not in both params and matrix, names are unique, include params are strings, and the
 * number of combinations stays within Tekton's default limit of 256 when it can be computed statically.
 */
import type { ParamSpec, PipelineTask } from '../types.js';
import { checkUnique, type FieldErrors, joinPath } from './field-errors.js';
import { findRefs } from './refs.js';

/** Tekton's `default-max-matrix-combinations-count`. */
export const MAX_MATRIX_COMBINATIONS = 256;

/** Validates `t.matrix` at `<at>.matrix`; `params` are the pipeline's declared params (to size references). */
export function validateMatrix(errs: FieldErrors, t: PipelineTask, at: string, params: readonly ParamSpec[] | undefined): void {
  const m = t.matrix;
  if (!m) return;
  const base = joinPath(at, 'matrix');
  checkUnique(errs, m.params, joinPath(base, 'params'), 'name', (p) => p.name, 'matrix param');
  const inParams = new Set((t.params ?? []).map((p) => p.name));
  let combos: number | undefined = 1;
  (m.params ?? []).forEach((p, i) => {
    const pAt = joinPath(base, 'params', i);
    if (inParams.has(p.name)) errs.add(joinPath(pAt, 'name'), `param "${p.name}" is in both params and matrix.params; keep it in one of them`);
    const size = matrixParamSize(p.value, params);
    if (size === 'invalid') errs.add(joinPath(pAt, 'value'), `matrix param "${p.name}" must be an array (a list of values, or a whole array reference such as "$(params.${p.name}[*])")`);
    combos = typeof size === 'number' && combos !== undefined ? combos * size : undefined;
  });
  (m.include ?? []).forEach((inc, i) => {
    (inc.params ?? []).forEach((p, j) => {
      if (typeof p.value !== 'string') errs.add(joinPath(base, 'include', i, 'params', j, 'value'), `matrix include param "${p.name}" must be a string`);
    });
  });
  const total = countCombinations(combos, m.params?.length ?? 0, m.include?.length ?? 0);
  if (total !== undefined && total > MAX_MATRIX_COMBINATIONS) {
    errs.add(base, `matrix of task "${t.name}" makes ${total} combinations, more than the maximum of ${MAX_MATRIX_COMBINATIONS}; split the task or reduce the values`);
  }
}

/** Size of a matrix param value: a number when static, 'dynamic' for references, 'invalid' when not an array. */
function matrixParamSize(value: unknown, params: readonly ParamSpec[] | undefined): number | 'dynamic' | 'invalid' {
  if (Array.isArray(value)) return value.length;
  if (typeof value !== 'string') return 'invalid';
  const refs = findRefs(value);
  const ref = refs[0];
  if (refs.length !== 1 || !ref?.whole) return 'invalid';
  if (ref.segments[0] === 'params') {
    const p = params?.find((x) => x.name === ref.segments[1]);
    if (Array.isArray(p?.default)) return 'dynamic';
    if (p && (p.type ?? 'string') !== 'array') return 'invalid';
  }
  return 'dynamic';
}

/** Total combinations: the cartesian product, plus include entries that cannot merge (only counted without params). */
function countCombinations(product: number | undefined, nParams: number, nInclude: number): number | undefined {
  if (product === undefined) return undefined;
  return nParams === 0 ? nInclude : product;
}
