/**
 * Matrix fan-out (Tekton's matrix_types.go FanOut): the cartesian product of the array params, then `include`
 * entries merged into every combination they do not contradict, or appended as combinations of their own.
 * The order of combinations is Tekton's, because TaskRun names (`<pr>-<task>-<i>`) and result aggregation
 * depend on it.
 */
import type { Matrix, Param } from '../../api/types.js';
import type { Replacements } from '../substitution/replace.js';
import { substituteParamValue } from './results.js';

/** One combination: param name → value, in insertion order. */
export type Combination = Map<string, string>;

/** A substituted matrix, or the name of a param whose value is not of the type the matrix needs. */
export type SubstitutedMatrix =
  | { ok: true; params: Array<{ name: string; values: string[] }>; include: Combination[] }
  | { ok: false; param: string };

/** Substitutes matrix params (which must become arrays) and include params (which must stay strings). */
export function substituteMatrix(m: Matrix, r: Replacements): SubstitutedMatrix {
  const params: Array<{ name: string; values: string[] }> = [];
  for (const p of m.params ?? []) {
    const v = substituteParamValue(p.value, r);
    if (!Array.isArray(v)) return { ok: false, param: p.name };
    params.push({ name: p.name, values: v });
  }
  const include: Combination[] = [];
  for (const entry of m.include ?? []) {
    const c: Combination = new Map();
    for (const p of entry.params ?? []) {
      const v = substituteParamValue(p.value, r);
      if (typeof v !== 'string') return { ok: false, param: p.name };
      c.set(p.name, v);
    }
    include.push(c);
  }
  return { ok: true, params, include };
}

/** True when a matrix param has no values: the task is skipped (not failed). */
export function hasEmptyArray(m: SubstitutedMatrix): boolean {
  return m.ok && m.params.some((p) => p.values.length === 0);
}

/** The combinations of a substituted matrix, in Tekton's order. */
export function fanOut(m: { params: Array<{ name: string; values: string[] }>; include: Combination[] }): Combination[] {
  if (m.params.length === 0) return m.include.map((c) => new Map(c));
  let combos: Combination[] = [];
  for (const p of m.params) combos = distribute(combos, p.name, p.values);
  for (const c of combos) {
    for (const inc of m.include) if (agrees(c, inc)) for (const [k, v] of inc) c.set(k, v);
  }
  for (const inc of m.include) if (isNew(combos, inc)) combos.push(new Map(inc));
  return combos;
}

/** Adds a param to every combination: the new param's values vary slowest. */
function distribute(combos: Combination[], name: string, values: readonly string[]): Combination[] {
  if (combos.length === 0) return values.map((v) => new Map([[name, v]]));
  const out: Combination[] = [];
  for (const v of values) {
    for (const c of combos) out.push(new Map(c).set(name, v));
  }
  return out;
}

/** The include entry does not contradict the combination on any name they share. */
function agrees(c: Combination, inc: Combination): boolean {
  for (const [k, v] of inc) if (c.has(k) && c.get(k) !== v) return false;
  return true;
}

/** Tekton's shouldAddNewCombination: no combination shares any name/value pair with the entry. */
function isNew(combos: readonly Combination[], inc: Combination): boolean {
  if (inc.size === 0) return false;
  for (const c of combos) for (const [k, v] of inc) if (c.get(k) === v) return false;
  return true;
}

/** A combination as TaskRun params. */
export function combinationParams(c: Combination): Param[] {
  return [...c].map(([name, value]) => ({ name, value }));
}
