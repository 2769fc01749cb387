/**
 * Step termination messages: the entrypoint's JSON `[{key, value, type}]` (types 1 task result, 3 internal,
 * 4 step result) read back into results, the real step start time, exit code and termination reason.
 */
import type { ParamType, ParamValue, RunResult } from '../../api/types.js';

/** Result types of the termination message (Tekton's `result.ResultType`). */
export const RESULT_TYPE = { task: 1, internal: 3, step: 4, stepArtifacts: 5, taskArtifacts: 6 } as const;

/** One entry of a termination message. */
export interface RunResultEntry {
  key: string;
  value: string;
  type?: number;
}

/** Parses a termination message; undefined when it is not the entrypoint's JSON (e.g. a log tail). */
export function parseTerminationMessage(msg: string | undefined): RunResultEntry[] | undefined {
  if (!msg) return [];
  try {
    const parsed: unknown = JSON.parse(msg);
    if (!Array.isArray(parsed)) return undefined;
    return parsed
      .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
      .map((e) => ({ key: String(e.key ?? ''), value: typeof e.value === 'string' ? e.value : JSON.stringify(e.value ?? ''), type: typeof e.type === 'number' ? e.type : undefined }));
  } catch {
    return undefined;
  }
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isStringMap(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/**
 * A result's value as Tekton reads it: a declared string result is the text verbatim; anything else is JSON
 * (`["a"]` array, `{"k":"v"}` object, `"s"` string) and falls back to the text when it is not such JSON.
 */
export function parseResultValue(raw: string, declared: ParamType | undefined): { type: ParamType; value: ParamValue } {
  if (declared === 'string') return { type: 'string', value: raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { type: 'string', value: raw };
  }
  if (raw.startsWith('[') && isStringArray(parsed)) return { type: 'array', value: parsed };
  if (raw.startsWith('{') && isStringMap(parsed)) return { type: 'object', value: parsed };
  return { type: 'string', value: typeof parsed === 'string' ? parsed : raw };
}

/** What one step's termination message says. */
export interface StepOutcome {
  taskResults: RunResult[];
  stepResults: RunResult[];
  /** The JSON of $(step.artifacts.path) and $(artifacts.path) the step left (artifacts, alpha). */
  stepArtifacts?: string;
  taskArtifacts?: string;
  startedAt?: string;
  exitCode?: number;
  reason?: string;
  /** The message without internal entries ("" when nothing is left), as Tekton rewrites it into the status. */
  message: string;
}

/** Reads one step's termination entries, typing results by the declared task and step result types. */
export function readOutcome(entries: readonly RunResultEntry[], taskTypes: ReadonlyMap<string, ParamType | undefined>, stepTypes: ReadonlyMap<string, ParamType | undefined>): StepOutcome {
  const out: StepOutcome = { taskResults: [], stepResults: [], message: '' };
  const kept: RunResultEntry[] = [];
  for (const e of entries) {
    if (e.type === RESULT_TYPE.internal) {
      if (e.key === 'StartedAt') out.startedAt = e.value;
      else if (e.key === 'ExitCode' && /^-?\d+$/.test(e.value)) out.exitCode = Number(e.value);
      else if (e.key === 'Reason') out.reason = e.value;
      continue;
    }
    kept.push(e);
    if (e.type === RESULT_TYPE.task) out.taskResults.push({ name: e.key, ...parseResultValue(e.value, taskTypes.get(e.key)) });
    else if (e.type === RESULT_TYPE.step) out.stepResults.push({ name: e.key, ...parseResultValue(e.value, stepTypes.get(e.key)) });
    else if (e.type === RESULT_TYPE.stepArtifacts) out.stepArtifacts = e.value;
    else if (e.type === RESULT_TYPE.taskArtifacts) out.taskArtifacts = e.value;
  }
  out.message = kept.length === 0 ? '' : JSON.stringify(kept.map((e) => ({ key: e.key, value: e.value, ...(e.type ? { type: e.type } : {}) })));
  return out;
}

/** Tekton's `removeDuplicateResults`: first-seen order, the last value of each name wins. */
export function dedupeResults(results: readonly RunResult[]): RunResult[] {
  const latest = new Map<string, RunResult>();
  for (const r of results) latest.set(r.name, r);
  return [...latest.values()];
}
