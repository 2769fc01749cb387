/**
 * Param values of one run against the ParamSpecs of what it runs: final values (run values, then defaults that
 * may reference other params), their replacements, and Tekton's validation of them. Shared by TaskRuns and
 * StepActions so both follow the same rules.
 */
import type { Param, ParamSpec, ParamType, ParamValue } from '../../api/types.js';
import type { Replacements } from './replace.js';
import { addValue, emptyReplacements, findReferences, replaceString, replaceStringArray } from './replace.js';

/** The JSON shape of a value (Tekton infers a ParamValue's type from it). */
export function valueType(v: ParamValue): ParamType {
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/**
 * A run's param as Tekton reads it: YAML scalars that are not strings (`value: 1`, `value: true`) become their
 * text, as Go's ParamValue unmarshalling does, instead of failing type checks later.
 */
export function normalizeParam(p: Param): Param {
  const v: unknown = p.value;
  if (typeof v === 'number' || typeof v === 'boolean') return { name: p.name, value: String(v) };
  if (Array.isArray(v)) return { name: p.name, value: v.map((x) => (typeof x === 'string' ? x : String(x))) };
  if (v !== null && typeof v === 'object') return { name: p.name, value: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : String(x)])) };
  return { name: p.name, value: typeof v === 'string' ? v : '' };
}

/** The declared type of a ParamSpec, defaulted as Tekton's SetDefaults does (from default, then properties). */
export function declaredType(spec: ParamSpec): ParamType {
  if (spec.type) return spec.type;
  if (spec.default !== undefined) return valueType(spec.default);
  return spec.properties ? 'object' : 'string';
}

/** The name of the param a canonical `params.…` key refers to, among `names` (longest match, as names may hold dots). */
export function paramNameOfKey(key: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const name of names) {
    const base = `params.${name}`;
    const hit = key === base || key.startsWith(`${base}.`) || key.startsWith(`${base}[`);
    if (hit && (best === undefined || name.length > best.length)) best = name;
  }
  return best;
}

function substituteValue(v: ParamValue, r: Replacements): ParamValue {
  if (typeof v === 'string') return replaceString(v, r);
  if (Array.isArray(v)) return replaceStringArray(v, r);
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, replaceString(s, r)]));
}

function referencesOf(v: ParamValue): string[] {
  const texts = typeof v === 'string' ? [v] : Array.isArray(v) ? v : Object.values(v);
  return texts.flatMap((t) => findReferences(t));
}

/**
 * Final param values: every provided param as given (declared or not — Tekton applies them all, which is how
 * params propagate into inline specs), then each unprovided declared default with its `$(params.x)` references
 * resolved recursively. A reference cycle leaves the reference verbatim rather than looping.
 */
export function resolveParamValues(specs: readonly ParamSpec[], provided: readonly Param[]): Map<string, ParamValue> {
  const values = new Map<string, ParamValue>(provided.map((p) => [p.name, p.value]));
  const specByName = new Map(specs.map((s) => [s.name, s]));
  const names = new Set([...values.keys(), ...specByName.keys()]);
  const resolving = new Set<string>();
  const resolve = (name: string): ParamValue | undefined => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const def = specByName.get(name)?.default;
    if (def === undefined || resolving.has(name)) return undefined;
    resolving.add(name);
    const r = emptyReplacements();
    for (const key of referencesOf(def)) {
      const dep = paramNameOfKey(key, names);
      const depValue = dep === undefined ? undefined : resolve(dep);
      if (dep !== undefined && depValue !== undefined) addValue(r, `params.${dep}`, depValue);
    }
    resolving.delete(name);
    const value = substituteValue(def, r);
    values.set(name, value);
    return value;
  };
  for (const s of specs) resolve(s.name);
  for (const s of specs) {
    const given = values.get(s.name);
    if (isObjectValue(s.default) && isObjectValue(given)) values.set(s.name, { ...s.default, ...given });
  }
  return values;
}

function isObjectValue(v: ParamValue | undefined): v is Record<string, string> {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Replacements for `$(params.…)` in every form Tekton accepts. Object params get each default key first, then the
 * provided keys, so a partly given object falls back to its default keys as in Tekton.
 */
export function paramReplacements(specs: readonly ParamSpec[], values: ReadonlyMap<string, ParamValue>): Replacements {
  const r = emptyReplacements();
  for (const s of specs) {
    if (s.default !== undefined && typeof s.default === 'object' && !Array.isArray(s.default)) addValue(r, `params.${s.name}`, s.default);
  }
  for (const [name, value] of values) addValue(r, `params.${name}`, value);
  return withLegacyInputs(r);
}

/** Tekton still accepts the pre-v1 spelling `$(inputs.params.x)` for `$(params.x)` in Tasks. */
function withLegacyInputs(r: Replacements): Replacements {
  for (const m of [r.strings, r.arrays, r.objects] as Array<Map<string, unknown>>) {
    for (const [k, v] of [...m]) if (k.startsWith('params.')) m.set(`inputs.${k}`, v);
  }
  return r;
}

/** Why params were refused: Tekton's reason and message. */
export interface ParamProblem {
  reason: 'TaskRunValidationFailed' | 'InvalidParamValue';
  message: string;
  missing: string[];
}

function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

function missingObjectKeys(specs: readonly ParamSpec[], provided: readonly Param[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of specs) {
    if (declaredType(s) !== 'object' || !s.properties) continue;
    const have = new Set<string>();
    if (s.default && typeof s.default === 'object' && !Array.isArray(s.default)) Object.keys(s.default).forEach((k) => have.add(k));
    const given = provided.find((p) => p.name === s.name)?.value;
    if (given && typeof given === 'object' && !Array.isArray(given)) Object.keys(given).forEach((k) => have.add(k));
    const missing = Object.keys(s.properties).filter((k) => !have.has(k)).sort();
    if (missing.length > 0) out.set(s.name, missing);
  }
  return out;
}

function describeExpected(s: ParamSpec): string {
  const keys = s.properties ? ` with keys ${Object.keys(s.properties).join(', ')}` : '';
  return `${s.name} (${declaredType(s)}${keys}, no default)`;
}

/**
 * Tekton's `validateParams` (missing params, type mismatches, missing object keys) plus enum membership.
 * Messages keep Tekton's wording (`missing parameters: [a b]`) and add what the spec expects and how to fix it.
 */
export function validateParams(specs: readonly ParamSpec[], provided: readonly Param[]): ParamProblem | undefined {
  const given = new Map(provided.map((p) => [p.name, p.value]));
  const missingSpecs = specs.filter((s) => s.default === undefined && !given.has(s.name));
  if (missingSpecs.length > 0) {
    const missing = missingSpecs.map((s) => s.name);
    const expects = missingSpecs.map(describeExpected).join('; ');
    return { reason: 'TaskRunValidationFailed', missing, message: `missing parameters: ${goList(missing)} (expected: ${expects}); set them in spec.params` };
  }
  const wrong = specs.filter((s) => given.has(s.name) && valueType(given.get(s.name) as ParamValue) !== declaredType(s));
  if (wrong.length > 0) {
    const detail = wrong.map((s) => `${s.name} must be ${declaredType(s)}, got ${valueType(given.get(s.name) as ParamValue)}`).join('; ');
    return { reason: 'TaskRunValidationFailed', missing: [], message: `param types don't match the user-specified type: ${goList(wrong.map((s) => s.name))} (${detail})` };
  }
  const keys = missingObjectKeys(specs, provided);
  if (keys.size > 0) {
    const map = [...keys.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, ks]) => `${n}:${goList(ks)}`);
    return { reason: 'TaskRunValidationFailed', missing: [], message: `missing keys for these params which are required in ParamSpec's properties map[${map.join(' ')}]` };
  }
  return validateEnums(specs, given);
}

function validateEnums(specs: readonly ParamSpec[], given: ReadonlyMap<string, ParamValue>): ParamProblem | undefined {
  for (const s of specs) {
    const v = given.get(s.name) ?? s.default;
    if (!s.enum || s.enum.length === 0 || typeof v !== 'string') continue;
    if (!s.enum.includes(v)) {
      return { reason: 'InvalidParamValue', missing: [], message: `param \`${s.name}\` value: ${v} is not in the enum list ${goList(s.enum)}` };
    }
  }
  return undefined;
}
