/**
 * TaskRun debug breakpoints (alpha; Tekton's debug.md): `spec.debug.breakpoints.onFailure: enabled` halts a failed
 * step, `beforeSteps: [names]` halts the named steps before they run. Each step then gets the helper flag
 * (`-breakpoint_on_failure`, `-debug_before_step`), the scripts volume at /tekton/debug/scripts (written by
 * `prepare`) and the info volume at /tekton/debug/info/<i>, from which a script knows which step it runs in.
 */
import type { Step, TaskRun, Volume, VolumeMount } from '../api/types.js';
import { runDir } from './layout.js';
import type { PlacedScript } from './scripts.js';

export const DEBUG_SCRIPTS_DIR = '/tekton/debug/scripts';
export const DEBUG_INFO_DIR = '/tekton/debug/info';
const VOL_SCRIPTS = 'tekton-internal-debug-scripts';
const VOL_INFO = 'tekton-internal-debug-info';

/** Which breakpoints a TaskRun asks for. */
export interface DebugPlan {
  onFailure: boolean;
  beforeSteps: ReadonlySet<string>;
}

/** The TaskRun's breakpoints, or undefined when it has none. */
export function debugPlan(tr: TaskRun): DebugPlan | undefined {
  const b = (tr.spec.debug as { breakpoints?: { onFailure?: string; beforeSteps?: string[] } } | undefined)?.breakpoints;
  const onFailure = b?.onFailure === 'enabled';
  const beforeSteps = new Set(b?.beforeSteps ?? []);
  return onFailure || beforeSteps.size > 0 ? { onFailure, beforeSteps } : undefined;
}

/** The helper flags of a step under the plan. */
export function debugStepFlags(plan: DebugPlan | undefined, step: Step): string[] {
  if (!plan) return [];
  return [...(plan.onFailure ? ['-breakpoint_on_failure'] : []), ...(plan.beforeSteps.has(step.name ?? '') ? ['-debug_before_step'] : [])];
}

/** Step i's debug mounts. */
export function debugStepMounts(i: number): VolumeMount[] {
  return [{ name: VOL_SCRIPTS, mountPath: DEBUG_SCRIPTS_DIR, readOnly: true }, { name: VOL_INFO, mountPath: `${DEBUG_INFO_DIR}/${i}` }];
}

/** The mount of the scripts volume in the `prepare` init container, which writes the scripts. */
export const debugPrepareMount: VolumeMount = { name: VOL_SCRIPTS, mountPath: DEBUG_SCRIPTS_DIR };

export function debugVolumes(): Volume[] {
  return [{ name: VOL_SCRIPTS, emptyDir: {} }, { name: VOL_INFO, emptyDir: {} }];
}

/**
 * A script that finds its step's number (the one entry of /tekton/debug/info) and writes `writes` in its run dir.
 * The last write releases the step, whose container then ends and takes every process in it along: it is made a
 * moment after the script has returned, in the background, so that the exec session that ran it ends cleanly.
 */
function script(name: string, what: string, writes: string[], done: string): PlacedScript {
  const run = runDir(0).replace(/\/0$/, '');
  const content = [
    '#!/bin/sh',
    `# ${name}: ${what}`,
    'set -e',
    `n=$(ls ${DEBUG_INFO_DIR} 2>/dev/null | head -n 1)`,
    `if [ -z "$n" ] || [ ! -d ${run}/$n ]; then echo "${name}: run this inside a step container of a TaskRun with debug breakpoints" >&2; exit 1; fi`,
    ...writes.slice(0, -1).map((w) => w.replace(/RUN/g, `${run}/$n`)),
    `echo "${name}: step $n ${done}"`,
    `(sleep 0.2; ${(writes.at(-1) ?? '').replace(/RUN/g, `${run}/$n`)}) </dev/null >/dev/null 2>&1 &`,
    '',
  ].join('\n');
  return { path: `${DEBUG_SCRIPTS_DIR}/${name}`, content };
}

/** The four scripts users run at a breakpoint. */
export function debugScripts(): PlacedScript[] {
  return [
    script('debug-continue', 'ends the onFailure breakpoint, marking the step succeeded', ['touch RUN/out', 'echo 0 > RUN/out.breakpointexit'], 'marked succeeded; the next steps run'),
    script('debug-fail-continue', 'ends the onFailure breakpoint, marking the step failed', ['touch RUN/out.err', 'echo 1 > RUN/out.breakpointexit'], 'marked failed; the next steps are skipped'),
    script('debug-beforestep-continue', 'ends the beforeSteps breakpoint: the step runs', ['echo 0 > RUN/out.beforestepexit'], 'runs now'),
    script('debug-beforestep-fail-continue', 'ends the beforeSteps breakpoint: the step fails without running', ['echo 1 > RUN/out.beforestepexit.err'], 'fails without running'),
  ];
}
