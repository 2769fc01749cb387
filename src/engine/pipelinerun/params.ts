/**
 * Pipeline-scope variables: the run's params (with the Pipeline's defaults, which may reference other params),
 * `context.*` and `workspaces.<w>.bound`. Also the run-time checks Tekton does on params before anything
 * starts (missing, mismatching types, missing object keys, array indexes out of range), each with its reason.
 */
import type { ParamSpec, ParamType, ParamValue, PipelineRun, PipelineSpec } from '../../api/types.js';
import {
  type Replacements, addValue, emptyReplacements, findReferences, replaceString, replaceStringArray,
} from '../substitution/replace.js';
import { PipelineRunReason } from './reasons.js';

/** A reason and message for a PipelineRun that cannot run. */
export interface Failure {
  reason: string;
  message: string;
}

/** The effective type of a declared param (Tekton's ParamSpec.SetDefaults). */
export function declaredType(p: ParamSpec): ParamType {
  if (p.type) return p.type;
  if (p.default !== undefined) return typeOf(p.default);
  return p.properties ? 'object' : 'string';
}

/** The type of a value from its JSON shape. */
export function typeOf(v: ParamValue): ParamType {
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/**
 * Resolves the value of every param: the run's value, else the declared default with `$(params.x)` references
 * to other params resolved (repeatedly, so chains of defaults work). Params the run passes without a
 * declaration are kept too: inline specs may use them (propagated params).
 */
export function resolveParamValues(spec: PipelineSpec, pr: PipelineRun): Map<string, ParamValue> | Failure {
  const given = new Map<string, ParamValue>((pr.spec.params ?? []).map((p) => [p.name, p.value]));
  const declared = spec.params ?? [];
  const missing = declared.filter((p) => !given.has(p.name) && p.default === undefined).map((p) => p.name);
  if (missing.length > 0) {
    return {
      reason: PipelineRunReason.ParameterMissing,
      message: `PipelineRun ${runId(pr)} parameters is missing some parameters required by Pipeline: PipelineRun missing parameters: [${missing.join(' ')}]`,
    };
  }
  const values = new Map(given);
  const defaulted = declared.filter((p) => !given.has(p.name));
  for (const p of defaulted) values.set(p.name, p.default as ParamValue);
  for (let round = 0; round <= defaulted.length; round++) {
    const r = replacementsOf(values);
    let changed = false;
    for (const p of defaulted) {
      const before = values.get(p.name) as ParamValue;
      const after = substituteValue(before, r);
      if (JSON.stringify(after) !== JSON.stringify(before)) changed = true;
      values.set(p.name, after);
    }
    if (!changed) break;
  }
  for (const p of declared) {
    const v = values.get(p.name);
    if (v !== undefined && declaredType(p) === 'object' && typeof v === 'object' && !Array.isArray(v) && isObject(p.default)) {
      values.set(p.name, { ...p.default, ...v });
    }
  }
  return checkTypes(declared, values, pr) ?? values;
}

function isObject(v: ParamValue | undefined): v is Record<string, string> {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function checkTypes(declared: readonly ParamSpec[], values: Map<string, ParamValue>, pr: PipelineRun): Failure | undefined {
  const mismatched: string[] = [];
  const missingKeys: string[] = [];
  for (const p of declared) {
    const v = values.get(p.name);
    if (v === undefined) continue;
    if (typeOf(v) !== declaredType(p)) mismatched.push(p.name);
    else if (isObject(v) && p.properties) {
      const absent = Object.keys(p.properties).filter((k) => !(k in v));
      if (absent.length > 0) missingKeys.push(`${p.name}:[${absent.join(' ')}]`);
    }
  }
  if (mismatched.length > 0) {
    return {
      reason: PipelineRunReason.ParameterTypeMismatch,
      message: `PipelineRun ${runId(pr)} parameters have mismatching types with Pipeline's parameters: parameters have inconsistent types : [${mismatched.join(' ')}]`,
    };
  }
  if (missingKeys.length > 0) {
    return {
      reason: PipelineRunReason.ObjectParameterMissKeys,
      message: `PipelineRun ${runId(pr)} parameters is missing object keys required by Pipeline's parameters: PipelineRun missing object keys for parameters: map[${missingKeys.join(' ')}]`,
    };
  }
  return undefined;
}

/** `params.<name>` in every form (`[i]`, `[*]`, `.key`) for each value. */
export function replacementsOf(values: ReadonlyMap<string, ParamValue>): Replacements {
  const r = emptyReplacements();
  for (const [name, v] of values) addValue(r, `params.${name}`, v);
  return r;
}

/** Substitutes inside a value of a known shape (array elements may expand, object values are strings). */
export function substituteValue(v: ParamValue, r: Replacements): ParamValue {
  if (typeof v === 'string') return replaceString(v, r);
  if (Array.isArray(v)) return replaceStringArray(v, r);
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, replaceString(s, r)]));
}

/**
 * Tekton's array-index check: every `$(params.a[N])` in the pipeline's tasks must fall inside the array.
 * Returns the failure naming the bad references, if any.
 */
export function checkArrayIndexes(spec: PipelineSpec, values: ReadonlyMap<string, ParamValue>, pr: PipelineRun): Failure | undefined {
  const bad = new Set<string>();
  const visit = (s: string): void => {
    for (const key of findReferences(s)) {
      const m = /^params\.(.+)\[(\d+)\]$/.exec(key);
      if (!m) continue;
      const v = values.get(m[1] as string);
      if (Array.isArray(v) && Number(m[2]) >= v.length) bad.add(`$(${key})`);
    }
  };
  walkStrings([spec.tasks ?? [], spec.finally ?? []], visit);
  if (bad.size === 0) return undefined;
  return {
    reason: PipelineRunReason.ParamArrayIndexingInvalid,
    message: `PipelineRun ${runId(pr)} failed validation: failed to validate params: non-existent param references:[${[...bad].join(' ')}]`,
  };
}

/** Calls `visit` on every string inside a JSON-like value. */
export function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) walkStrings(v, visit);
}

/**
 * The pipeline-wide replacements: params, `context.pipelineRun.*`, `context.pipeline.name` and
 * `workspaces.<w>.bound` for the Pipeline's declared workspaces.
 */
export function pipelineReplacements(values: ReadonlyMap<string, ParamValue>, pr: PipelineRun, spec: PipelineSpec, pipelineName: string): Replacements {
  const r = replacementsOf(values);
  r.strings.set('context.pipelineRun.name', pr.metadata.name ?? '');
  r.strings.set('context.pipelineRun.namespace', pr.metadata.namespace ?? 'default');
  r.strings.set('context.pipelineRun.uid', pr.metadata.uid ?? '');
  r.strings.set('context.pipeline.name', pipelineName);
  const bound = new Set((pr.spec.workspaces ?? []).map((w) => w.name));
  for (const w of spec.workspaces ?? []) r.strings.set(`workspaces.${w.name}.bound`, String(bound.has(w.name)));
  return r;
}

/** `namespace/name` of a run, as Tekton's messages print it. */
export function runId(pr: PipelineRun): string {
  return `${pr.metadata.namespace ?? 'default'}/${pr.metadata.name ?? ''}`;
}
