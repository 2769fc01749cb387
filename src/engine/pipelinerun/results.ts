/**
 * Task results as pipeline variables: `$(tasks.X.results.R)` (string, `[i]`, `[*]`, `.key`), matrix
 * aggregation into arrays with `$(tasks.X.matrix.length)` / `$(tasks.X.matrix.R.length)`, the finally-only
 * execution status variables, and the Pipeline's own results computed when the run finishes.
 */
import type { ParamType, ParamValue, PipelineResult, RunResult } from '../../api/types.js';
import {
  type Replacements, addValue, emptyReplacements, findReferences, replaceString, replaceStringArray, wholeArrayOf, wholeObjectOf,
} from '../substitution/replace.js';
import type { TaskRef } from './refs.js';
import { type ChildRun, type TaskState, executionReason, executionStatus } from './state.js';

/** Declared result types of the task (or child Pipeline) behind a pipeline task (to decode JSON text of array/object results). */
function declaredTypes(s: TaskState): Map<string, ParamType> {
  const e = s.entry;
  const declared = e && 'spec' in e ? e.spec.results : e && 'pipelineSpec' in e ? e.pipelineSpec.results : undefined;
  return new Map((declared ?? []).map((r) => [r.name, r.type ?? 'string']));
}

/** A result value as a typed value: JSON text is decoded when the result is declared array/object. */
export function decodeResult(r: RunResult, declared: ParamType | undefined): ParamValue {
  const type = r.type ?? declared ?? 'string';
  if (typeof r.value !== 'string' || type === 'string') return r.value;
  try {
    const parsed: unknown = JSON.parse(r.value);
    if (type === 'array' && Array.isArray(parsed)) return parsed.map(String);
    if (type === 'object' && parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    // not JSON: keep the text
  }
  return r.value;
}

/** Results of any child: TaskRun and child PipelineRun results, CustomRun results (strings). */
function resultsOf(r: ChildRun): RunResult[] {
  return r.status?.results ?? [];
}

/**
 * Adds the results of a finished task under `prefix` (`tasks` or `finally`). A matrixed task's string results
 * become arrays in combination order, and its matrix lengths are added.
 */
export function addTaskResults(r: Replacements, s: TaskState, prefix = 'tasks'): void {
  const name = `${prefix}.${s.pt.name}`;
  const types = declaredTypes(s);
  if (!s.pt.matrix) {
    for (const res of resultsOf(s.runs[0] as ChildRun)) addValue(r, `${name}.results.${res.name}`, decodeResult(res, types.get(res.name)));
    return;
  }
  const aggregated = new Map<string, string[]>();
  for (const tr of s.runs) {
    for (const res of resultsOf(tr)) {
      if (typeof res.value !== 'string') continue;
      const list = aggregated.get(res.name) ?? [];
      list.push(res.value);
      aggregated.set(res.name, list);
    }
  }
  r.strings.set(`${name}.matrix.length`, String(s.runs.length));
  for (const [res, values] of aggregated) {
    addValue(r, `${name}.results.${res}`, values);
    r.strings.set(`${name}.matrix.${res}.length`, String(values.length));
  }
}

/** Adds `tasks.X.status` and `tasks.X.reason` of a DAG task (finally tasks may read them). */
export function addExecutionStatus(r: Replacements, s: TaskState): void {
  r.strings.set(`tasks.${s.pt.name}.status`, executionStatus(s));
  r.strings.set(`tasks.${s.pt.name}.reason`, executionReason(s));
}

/** Whether a canonical key can be substituted from `r` (whole, indexed, or keyed). */
export function isResolvable(key: string, r: Replacements): boolean {
  if (r.strings.has(key) || r.arrays.has(key) || r.objects.has(key)) return true;
  const base = key.endsWith('[*]') ? key.slice(0, -3) : undefined;
  return base !== undefined && (r.arrays.has(base) || r.objects.has(base));
}

/** The first task reference that cannot be resolved from `r`, if any. */
export function firstMissing(refs: readonly TaskRef[], r: Replacements): TaskRef | undefined {
  return refs.find((ref) => !ref.artifact && !isResolvable(ref.key, r));
}

/**
 * Artifacts (alpha) of a finished task: `tasks.X.inputs.N` / `tasks.X.outputs.N` are the JSON text of the
 * named artifact's values in its TaskRun's status.artifacts, as Tekton's PropagateArtifacts.
 */
export function addTaskArtifacts(r: Replacements, s: TaskState): void {
  const first = s.runs[0];
  const artifacts = first && first.kind === 'TaskRun' ? first.status?.artifacts : undefined;
  for (const [kind, list] of [['inputs', artifacts?.inputs], ['outputs', artifacts?.outputs]] as const) {
    for (const a of list ?? []) if (a.name) r.strings.set(`tasks.${s.pt.name}.${kind}.${a.name}`, JSON.stringify(a.values ?? []));
  }
}

/**
 * Substitutes a param-like value. A string that is exactly one reference to an array or object variable
 * becomes that array or object (Tekton's applyOrCorrect); arrays expand whole-array elements.
 */
export function substituteParamValue(v: ParamValue, r: Replacements): ParamValue {
  if (Array.isArray(v)) return replaceStringArray(v, r);
  if (typeof v !== 'string') return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, replaceString(s, r)]));
  return wholeArrayOf(v, r) ?? wholeObjectOf(v, r) ?? replaceString(v, r);
}

/** Outcome of computing the Pipeline's results. */
export interface PipelineResultsOutcome {
  results: Array<{ name: string; value: ParamValue }>;
  /** Results whose task succeeded but did not produce the referenced result (Tekton fails the run). */
  invalid: string[];
}

/**
 * Computes `spec.results` from the results of successful tasks (`tasks.X` and `finally.X`). A result that
 * references a task that did not succeed is left out; one whose task succeeded without producing the value
 * is reported as invalid.
 */
export function pipelineResults(specResults: readonly PipelineResult[], states: readonly TaskState[]): PipelineResultsOutcome {
  const r = emptyReplacements();
  const succeeded = new Set<string>();
  for (const s of states) {
    if (s.outcome !== 'succeeded') continue;
    succeeded.add(s.pt.name);
    addTaskResults(r, s, s.isFinally ? 'finally' : 'tasks');
  }
  const out: PipelineResultsOutcome = { results: [], invalid: [] };
  for (const res of specResults) {
    const keys: string[] = [];
    const collect = (text: string): void => void keys.push(...findReferences(text));
    if (typeof res.value === 'string') collect(res.value);
    else Object.values(res.value).forEach(collect);
    const missing = keys.filter((k) => /^(tasks|finally)\./.test(k) && !isResolvable(k, r));
    if (missing.length === 0) {
      out.results.push({ name: res.name, value: substituteParamValue(res.value, r) });
    } else if (missing.some((k) => succeeded.has(k.split('.')[1] ?? ''))) {
      out.invalid.push(res.name);
    }
  }
  return out;
}
