/**
 * Step containers (Tekton's entrypoint.go `orderContainers`): each step becomes container `step-<name>` whose
 * command is the step helper, with the ordering flags, then `--` and the step's own command and args.
 */
import type { Container, Step, TaskSpec } from '../api/types.js';
import { stepContainerName } from '../engine/names.js';
import type { ImageEntrypointLookup } from './image-entrypoints.js';
import { imageCommand } from './image-entrypoints.js';
import { CANCEL_FILE, HELPER_BIN, READY_FILE, TERMINATION_PATH, WORKSPACE_DIR, runDir } from './layout.js';
import type { PlacedScript } from './scripts.js';

type Failure = { ok: false; reason: string; message: string };

/** Container fields a step carries over unchanged. */
const STEP_FIELDS = ['image', 'env', 'envFrom', 'volumeMounts', 'volumeDevices', 'imagePullPolicy', 'securityContext'] as const;

/** Task result names the helper reports (those without a `value`, which is computed from step results). */
export function taskResultNames(spec: TaskSpec): string[] {
  return (spec.results ?? []).filter((r) => r.value === undefined).map((r) => r.name);
}

/**
 * Absolute form of a working dir: relative ones are under /workspace (Tekton's working-dir-initializer).
 * Answers whether `prepare` must create it (relative, or under /workspace/).
 */
export function workingDirOf(dir: string | undefined): { dir?: string; create: boolean } {
  if (!dir) return { create: false };
  const abs = dir.startsWith('/') ? dir : `${WORKSPACE_DIR}/${dir}`;
  const clean = abs.replace(/\/+/g, '/').replace(/\/\.(?=\/|$)/g, '').replace(/(.)\/$/, '$1');
  return { dir: dir.startsWith('/') ? dir : clean, create: clean.startsWith(`${WORKSPACE_DIR}/`) };
}

/** The command a step runs before the helper wraps it: script file, `command` + args, or the image's entrypoint. */
export function stepCommand(step: Step, index: number, script: PlacedScript | undefined, lookup: ImageEntrypointLookup): { ok: true; argv: string[] } | Failure {
  const args = step.args ?? [];
  if (script) return { ok: true, argv: [script.path, ...args] };
  if (step.command && step.command.length > 0) return { ok: true, argv: [...step.command, ...args] };
  const name = stepContainerName(step.name, index);
  const info = step.image ? lookup(step.image) : undefined;
  const argv = info ? imageCommand(info, args) : undefined;
  if (argv) return { ok: true, argv };
  return {
    ok: false,
    reason: 'PodCreationFailed',
    message: `step "${name}" gives no command and the entrypoint of image "${step.image ?? ''}" could not be found: ` +
      'set `command` (or `script`) on the step',
  };
}

/** What the helper flags of one step depend on. */
export interface FlagInput {
  index: number;
  waitForSidecars: boolean;
  results: readonly string[];
  /** keep-pod-on-cancel: the step watches the downward cancel file. */
  cancelFile?: boolean;
  /** Extra flags after the step results: `-result_from sidecar-logs`, `-when_expressions <json>` (step-when.ts). */
  when?: readonly string[];
}

/** The helper flags of a step, in Tekton's order, up to (not including) `-entrypoint`. */
export function helperFlags(step: Step, f: FlagInput): string[] {
  const flags: string[] = [];
  if (f.index > 0) flags.push('-wait_file', `${runDir(f.index - 1)}/out`);
  else if (f.waitForSidecars) flags.push('-wait_file', READY_FILE, '-wait_file_content');
  flags.push('-post_file', `${runDir(f.index)}/out`, '-termination_path', TERMINATION_PATH, '-step_metadata_dir', `${runDir(f.index)}/status`);
  if (f.results.length > 0) flags.push('-results', f.results.join(','));
  if (step.results && step.results.length > 0) flags.push('-step_results', step.results.map((r) => r.name).join(','));
  if (f.when) flags.push(...f.when);
  if (f.cancelFile) flags.push('-cancel_file', CANCEL_FILE);
  if (step.onError) flags.push('-on_error', step.onError);
  if (step.timeout) flags.push('-timeout', step.timeout);
  if (step.stdoutConfig?.path) flags.push('-stdout_path', step.stdoutConfig.path);
  if (step.stderrConfig?.path) flags.push('-stderr_path', step.stderrConfig.path);
  return flags;
}

/** The step container without mounts added by the pod layout: name, copied fields, wrapped command. */
export function stepContainer(step: Step, argv: readonly string[], f: FlagInput): Container {
  const c: Container = { name: stepContainerName(step.name, f.index) };
  for (const key of STEP_FIELDS) {
    const v = step[key];
    if (v !== undefined) (c as Record<string, unknown>)[key] = structuredClone(v);
  }
  c.command = [HELPER_BIN];
  c.args = [...helperFlags(step, f), '-entrypoint', argv[0] ?? '', '--', ...argv.slice(1)];
  const wd = workingDirOf(step.workingDir);
  if (wd.dir) c.workingDir = wd.dir;
  c.terminationMessagePath = TERMINATION_PATH;
  return c;
}
