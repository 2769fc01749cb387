/**
 * Results reported by the results sidecar (results-from: sidecar-logs): its log holds one JSON line per result,
 * `{"name","value","type"}` with type `task` or `step` (step results named `<step container>.<result>`).
 * Tekton's `extractResultsFromLogs`: a line longer than max-result-size fails the TaskRun with
 * TaskRunResultLargerThanAllowedLimit.
 */
import type { ParamType, RunResult, StepState, TaskRun, TaskSpec } from '../../api/types.js';
import { stepContainerName } from '../names.js';
import { readOutcome, RESULT_TYPE, type RunResultEntry } from './termination.js';

/** Tekton's ReservedResultsSidecarName and its container name. */
export const RESULTS_SIDECAR_NAME = 'tekton-log-results';
export const RESULTS_SIDECAR_CONTAINER = `sidecar-${RESULTS_SIDECAR_NAME}`;

/** What the controller read from the results sidecar's log. */
export interface SidecarLogs {
  text: string;
  maxResultSize: number;
}

/** The parsed results, or the error Tekton reports (the size one is the TaskRun's failure). */
export type SidecarResults = { ok: true; entries: RunResultEntry[] } | { ok: false; tooLarge: boolean; message: string };

const TYPES: Record<string, number> = { task: RESULT_TYPE.task, step: RESULT_TYPE.step };

/** Parses the sidecar's log (Tekton's extractResultsFromLogs + parseResults). */
export function parseSidecarLogs(logs: SidecarLogs): SidecarResults {
  const entries: RunResultEntry[] = [];
  for (const line of logs.text.split('\n')) {
    if (line === '') continue;
    const bytes = new TextEncoder().encode(line).length;
    if (bytes > logs.maxResultSize) {
      return { ok: false, tooLarge: true, message: `${bytes} bytes results size exceeds configured limit of ${logs.maxResultSize} bytes` };
    }
    let parsed: { name?: unknown; value?: unknown; type?: unknown };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch (err) {
      return { ok: false, tooLarge: false, message: `invalid result "": ${(err as Error).message}` };
    }
    const type = TYPES[String(parsed.type)];
    if (type === undefined) return { ok: false, tooLarge: false, message: `invalid sidecar result type ${String(parsed.type)}. Must be task or step` };
    entries.push({ key: String(parsed.name ?? ''), value: String(parsed.value ?? ''), type });
  }
  return { ok: true, entries };
}

/** Tekton's failure message when a result is over the limit (its reconciler's wording, quoting included). */
export function resultTooLargeMessage(tr: TaskRun, message: string): string {
  return `[User error]  TaskRun "${JSON.stringify(tr.metadata.name ?? '')}" failed: ${message}`;
}

function typesOf(list: ReadonlyArray<{ name: string; type?: ParamType }> | undefined): Map<string, ParamType | undefined> {
  return new Map((list ?? []).map((r) => [r.name, r.type]));
}

/**
 * Puts the sidecar's step results on their steps (typed by the steps' declarations) and answers the task
 * results it reported.
 */
export function applySidecarResults(entries: readonly RunResultEntry[], spec: TaskSpec, steps: StepState[]): RunResult[] {
  for (const st of steps) {
    const i = spec.steps.findIndex((s, j) => stepContainerName(s.name, j) === st.container);
    const prefix = `${st.container}.`;
    const mine = entries.filter((e) => e.type === RESULT_TYPE.step && e.key.startsWith(prefix)).map((e) => ({ ...e, key: e.key.slice(prefix.length) }));
    const results = readOutcome(mine, new Map(), typesOf(spec.steps[i]?.results)).stepResults;
    if (results.length > 0) st.results = [...(st.results ?? []), ...results];
  }
  return readOutcome(entries.filter((e) => e.type === RESULT_TYPE.task), typesOf(spec.results), new Map()).taskResults;
}
