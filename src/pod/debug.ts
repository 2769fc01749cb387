/**
 * TaskRun debug breakpoints (Tekton's debug.md, alpha): `spec.debug.breakpoints.onFailure: enabled` keeps a failed
 * step's container running (the helper's `-breakpoint_on_failure`: no post file, later steps not skipped) until
 * `/tekton/debug/scripts/debug-continue` or `debug-fail-continue` is run in it; `beforeSteps: [name]` holds the
 * named steps before they start (`-debug_before_step`) until `debug-beforestep-continue` or
 * `debug-beforestep-fail-continue`. The scripts are placed by `prepare` into the debug-scripts volume, mounted
 * read-only in every step; each step also mounts the debug-info volume at `/tekton/debug/info/<its index>`,
 * which is how a script finds the number of the step it runs in. Pure.
 */
import type { TaskRun, VolumeMount, Volume } from '../api/types.js';
import { DEFAULT_PREAMBLE, type PlacedScript } from './scripts.js';

export const DEBUG_SCRIPTS_DIR = '/tekton/debug/scripts';
export const DEBUG_INFO_DIR = '/tekton/debug/info';
const SCRIPTS_VOLUME = 'tekton-internal-debug-scripts';
const INFO_VOLUME = 'tekton-internal-debug-info';
const RUN_DIR = '/tekton/run';

/** The breakpoints of a TaskRun, as the pod builder needs them. */
export interface DebugPlan {
  onFailure: boolean;
  beforeSteps: ReadonlySet<string>;
}

/** The TaskRun's breakpoints, or undefined when it sets none. */
export function debugPlan(tr: TaskRun): DebugPlan | undefined {
  const bp = (tr.spec.debug as { breakpoints?: { onFailure?: string; beforeSteps?: string[] } } | undefined)?.breakpoints;
  const plan = { onFailure: bp?.onFailure === 'enabled', beforeSteps: new Set(bp?.beforeSteps ?? []) };
  return plan.onFailure || plan.beforeSteps.size > 0 ? plan : undefined;
}

/** The helper flags of step `name`. */
export function debugFlags(plan: DebugPlan | undefined, name: string | undefined): string[] {
  if (!plan) return [];
  return [...(plan.onFailure ? ['-breakpoint_on_failure'] : []), ...(name && plan.beforeSteps.has(name) ? ['-debug_before_step'] : [])];
}

/** The two volumes (emptyDirs). */
export function debugVolumes(): Volume[] {
  return [{ name: SCRIPTS_VOLUME, emptyDir: {} }, { name: INFO_VOLUME, emptyDir: {} }];
}

/** The mounts of step `index`: the scripts (read-only) and its own debug-info directory. */
export function debugStepMounts(index: number): VolumeMount[] {
  return [{ name: SCRIPTS_VOLUME, mountPath: DEBUG_SCRIPTS_DIR, readOnly: true }, { name: INFO_VOLUME, mountPath: `${DEBUG_INFO_DIR}/${index}` }];
}

/** The mount of the `prepare` init container, which writes the scripts. */
export function debugPrepareMount(): VolumeMount {
  return { name: SCRIPTS_VOLUME, mountPath: DEBUG_SCRIPTS_DIR };
}

/**
 * One script: finds its step's number (the only entry of /tekton/debug/info in a step container), checks it, then
 * writes the files the waiting helper looks for under /tekton/run/<n>, the one it waits for last (the step may end
 * at once, and the container's processes with it).
 */
function script(stepCount: number, what: string, writes: string[]): string {
  return `${DEFAULT_PREAMBLE}# ${what}
steps=${stepCount}
step="$(ls ${DEBUG_INFO_DIR} | grep -E '^[0-9]+$' | tail -n 1)"
if [ -z "$step" ] || [ "$step" -ge "$steps" ]; then
  echo "no step of this TaskRun waits here (step \${step:-?}), breakpoint exiting !"
  exit 0
fi
echo "Executing step $step..."
${writes.map((w) => `${w}\n`).join('')}`;
}

/** The scripts `prepare` places under /tekton/debug/scripts (only those of the breakpoints in use). */
export function debugScripts(plan: DebugPlan, stepCount: number): PlacedScript[] {
  const out: PlacedScript[] = [];
  const run = `${RUN_DIR}/$step/out`;
  if (plan.onFailure) {
    out.push({ path: `${DEBUG_SCRIPTS_DIR}/debug-continue`, content: script(stepCount, 'ends the onFailure breakpoint: the step counts as succeeded', [`touch ${run}`, `echo 0 > ${run}.breakpointexit`]) });
    out.push({ path: `${DEBUG_SCRIPTS_DIR}/debug-fail-continue`, content: script(stepCount, 'ends the onFailure breakpoint: the step counts as failed', [`touch ${run}.err`, `echo 1 > ${run}.breakpointexit`]) });
  }
  if (plan.beforeSteps.size > 0) {
    out.push({ path: `${DEBUG_SCRIPTS_DIR}/debug-beforestep-continue`, content: script(stepCount, 'ends the before-step breakpoint: the step runs', [`echo 0 > ${run}.beforestepexit`]) });
    out.push({ path: `${DEBUG_SCRIPTS_DIR}/debug-beforestep-fail-continue`, content: script(stepCount, 'ends the before-step breakpoint: the step does not run and fails', [`echo 1 > ${run}.beforestepexit.err`]) });
  }
  return out;
}
