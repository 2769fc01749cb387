/**
 * results-from: sidecar-logs (Tekton's `createResultsSidecar`): a sidecar `tekton-log-results` that waits for the
 * steps, then prints every task and step result as a JSON line on its log, where the controller reads them; the
 * steps get `-result_from sidecar-logs` and leave results out of their termination messages. Results can then
 * be as large as `max-result-size` instead of sharing the 4 KiB termination message. Added only when the Task
 * declares results, as in Tekton.
 */
import type { Container, Step, TaskSpec } from '../api/types.js';
import { stepContainerName } from '../engine/names.js';
import { RESULTS_SIDECAR_CONTAINER } from '../engine/taskrun/sidecar-logs.js';
import { HELPER_SOURCE, VOL, implicitMounts, runDir } from './layout.js';


/** Which way results leave the pod (Tekton's `results-from` feature flag). */
export type ResultsFrom = 'termination-message' | 'sidecar-logs';

/** True when a pod for this spec gets the results sidecar. */
export function usesResultsSidecar(spec: TaskSpec, resultsFrom: ResultsFrom | undefined): boolean {
  return resultsFrom === 'sidecar-logs' && (spec.results?.length ?? 0) > 0;
}

/** Helper flags every step gets when the results sidecar reports results. */
export const SIDECAR_LOGS_STEP_FLAGS: readonly string[] = ['-result_from', 'sidecar-logs'];

function stepResultsMap(steps: readonly Step[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  steps.forEach((s, i) => {
    if (s.results && s.results.length > 0) out[stepContainerName(s.name, i)] = s.results.map((r) => r.name);
  });
  return out;
}

/** The results sidecar container: the step helper in `sidecar-log-results` mode, reading results read-only. */
export function resultsSidecar(spec: TaskSpec, image: string): Container {
  return {
    name: RESULTS_SIDECAR_CONTAINER,
    image,
    command: [
      HELPER_SOURCE, 'sidecar-log-results', '-results-dir', '/tekton/results',
      '-result-names', (spec.results ?? []).map((r) => r.name).join(','),
      '-step-results', JSON.stringify(stepResultsMap(spec.steps)),
    ],
    volumeMounts: [
      ...implicitMounts(),
      { name: VOL.steps, mountPath: '/tekton/steps', readOnly: true },
      ...spec.steps.map((_, j) => ({ name: VOL.run(j), mountPath: runDir(j), readOnly: true })),
    ],
  };
}
