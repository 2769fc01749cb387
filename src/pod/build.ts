/**
 * `buildPod`: (TaskRun, resolved TaskSpec, config) → the Pod that runs it, exactly as docs/internals.md fixes it.
 * Pure: no I/O, no clock; the image ENTRYPOINT lookup is injected.
 */
import type { Container, Pod, Step, TaskRun, TaskSpec, Volume, VolumeMount } from '../api/types.js';
import { stepContainerName } from '../engine/names.js';
import { mergeStepTemplate } from '../engine/taskrun/step-template.js';
import type { CredsInput, CredsPlan } from './creds.js';
import { type DebugPlan, debugFlags, debugPlan, debugPrepareMount, debugScripts, debugStepMounts, debugVolumes } from './debug.js';
import { credsHomeVolume, credsPlan, withCredArgs } from './creds.js';
import type { ImageEntrypointLookup } from './image-entrypoints.js';
import type { LayoutFlags } from './layout.js';
import { ARTIFACTS_DIR, HELPER_BIN, HELPER_SOURCE, SCRIPTS_DIR, VOL, addMounts, implicitMounts, internalVolumes, sortMounts, stepInternalMounts } from './layout.js';
import { mergeVolumes, podLevelSpec, podMetadata, withTemplateEnv } from './meta.js';
import { mergeResources, nonEmpty, overrideFor, taskLevelResources } from './resources.js';
import type { PlacedScript } from './scripts.js';
import { placeScript, scriptInitArgs } from './scripts.js';
import { sidecarContainer } from './sidecars.js';
import { type ResultsFrom, SIDECAR_LOGS_STEP_FLAGS, resultsSidecar, usesResultsSidecar } from './results-sidecar.js';
import { whenFlags } from './step-when.js';
import { stepCommand, stepContainer, taskResultNames, workingDirOf } from './steps.js';
import type { BoundWorkspace } from './workspaces.js';
import { boundWorkspaces, isolatedWorkspaces, workspaceMounts } from './workspaces.js';

/** Settings of the pod builder (controller configuration). */
export interface BuildPodConfig {
  /** Image of the `prepare` init container (holds the helper at /tektite/entrypoint). */
  entrypointImage: string;
  /** Tekton's await-sidecar-readiness: with sidecars, step 0 waits for the tekton.dev/ready annotation. */
  awaitSidecarReadiness: boolean;
  /** Value of the app.kubernetes.io/managed-by label. */
  managedBy: string;
  /** ENTRYPOINT/CMD of an image, for steps without `command` (see builtinImageEntrypoints). */
  imageEntrypoint: ImageEntrypointLookup;
  /** Tekton's results-from feature flag, read per TaskRun (default termination-message). */
  resultsFrom?: ResultsFrom;
  /** Tekton's keep-pod-on-cancel: the steps watch the tekton.dev/cancel annotation (downward API). */
  keepPodOnCancel?: boolean;
}

/** Input of {@link buildPod}. */
export interface BuildPodInput {
  taskRun: TaskRun;
  /** The resolved spec (resolveTaskSpec): params substituted, StepActions and stepTemplate applied. */
  spec: TaskSpec;
  /** The pod's name, chosen by the caller (`<tr>-pod`, `<tr>-pod-retryN`). */
  podName: string;
  config: BuildPodConfig;
  /** The ServiceAccount's Secrets and the creds-init flags; absent = no creds-init at all, no /tekton/creds (creds.ts). */
  credentials?: CredsInput;
}

/** The pod, or Tekton's failure reason with a message that says what to change. */
export type BuildPodResult = { ok: true; pod: Pod } | { ok: false; reason: string; message: string };

type Failure = { ok: false; reason: string; message: string };

/** Everything the container builders share. */
interface Ctx {
  input: BuildPodInput;
  spec: TaskSpec;
  flags: LayoutFlags;
  workspaces: BoundWorkspace[];
  isolated: Set<string>;
  stepScripts: Array<PlacedScript | undefined>;
  sidecarScripts: Array<PlacedScript | undefined>;
  creds: CredsPlan;
  credsDisabled: boolean;
  /** results-from: sidecar-logs with declared results: the results sidecar is added. */
  resultsSidecar: boolean;
  /** spec.debug breakpoints (debug.ts). */
  debug?: DebugPlan;
}

function makeContext(input: BuildPodInput, workspaces: BoundWorkspace[], creds: CredsPlan): Ctx {
  // The engine already merged the stepTemplate; merging again is a no-op and guards callers that did not.
  const spec: TaskSpec = { ...input.spec, steps: mergeStepTemplate(input.spec.stepTemplate, input.spec.steps) };
  const stepScripts = spec.steps.map((s, i) => (s.script ? placeScript('step', i, s.script) : undefined));
  const sidecarScripts = (spec.sidecars ?? []).map((s, i) => (s.script ? placeScript('sidecar', i, s.script) : undefined));
  const hasScripts = [...stepScripts, ...sidecarScripts].some((s) => s !== undefined);
  const resultsSidecar = usesResultsSidecar(spec, input.config.resultsFrom);
  const waitForSidecars = ((spec.sidecars?.length ?? 0) > 0 || resultsSidecar) && input.config.awaitSidecarReadiness;
  const debug = debugPlan(input.taskRun);
  return {
    input, spec, workspaces, isolated: isolatedWorkspaces(spec), stepScripts, sidecarScripts, creds, resultsSidecar, ...(debug ? { debug } : {}),
    credsDisabled: input.credentials?.disabled ?? true,
    flags: {
      stepCount: spec.steps.length, hasScripts, waitForSidecars, usesArtifacts: JSON.stringify(spec.steps).includes(`${ARTIFACTS_DIR}/`),
      ...(input.config.keepPodOnCancel ? { cancelFile: true } : {}),
    },
  };
}

function buildStep(ctx: Ctx, step: Step, i: number): Container | Failure {
  const cmd = stepCommand(step, i, ctx.stepScripts[i], ctx.input.config.imageEntrypoint);
  if (!cmd.ok) return cmd;
  const when = whenFlags(step, stepContainerName(step.name, i).slice('step-'.length));
  if (!when.ok) return when;
  const tr = ctx.input.taskRun.spec;
  const extra = [...(ctx.resultsSidecar ? SIDECAR_LOGS_STEP_FLAGS : []), ...when.flags, ...debugFlags(ctx.debug, step.name)];
  let c = withCredArgs(stepContainer(step, cmd.argv, { index: i, waitForSidecars: ctx.flags.waitForSidecars, results: taskResultNames(ctx.spec), when: extra, cancelFile: ctx.flags.cancelFile }), ctx.creds.args);
  const own = mergeResources(step.computeResources, overrideFor(tr.stepSpecs, step.name));
  const resources = nonEmpty(taskLevelResources(own, tr.computeResources, ctx.spec.steps.length));
  if (resources) c.resources = structuredClone(resources);
  c = addMounts(c, workspaceMounts(ctx.workspaces, ctx.isolated, step.workspaces));
  c = addMounts(c, stepInternalMounts(i, ctx.flags));
  if (ctx.debug) c = addMounts(c, debugStepMounts(i));
  const home = credsHomeVolume(i, ctx.credsDisabled);
  c = addMounts(c, home ? [home.mount, ...ctx.creds.mounts] : ctx.creds.mounts);
  return sortMounts(withTemplateEnv(c, tr.podTemplate?.env));
}

function buildSidecars(ctx: Ctx): Container[] {
  const tr = ctx.input.taskRun.spec;
  const own = (ctx.spec.sidecars ?? []).map((sc, i) => {
    const resources = nonEmpty(mergeResources(sc.computeResources, overrideFor(tr.sidecarSpecs, sc.name)));
    const c = sidecarContainer(sc, {
      index: i, script: ctx.sidecarScripts[i], resources: resources && structuredClone(resources),
      workspaceMounts: workspaceMounts(ctx.workspaces, ctx.isolated, sc.workspaces),
    });
    return sortMounts(withTemplateEnv(c, tr.podTemplate?.env));
  });
  return ctx.resultsSidecar ? [...own, sortMounts(resultsSidecar(ctx.spec, ctx.input.config.entrypointImage))] : own;
}

/** The `prepare` init container: copies the helper, links /tekton/steps, places scripts, creates working dirs. */
function prepareContainer(ctx: Ctx, stepNames: string[]): Container {
  const placed = [...ctx.stepScripts, ...ctx.sidecarScripts].filter((s): s is PlacedScript => s !== undefined);
  const scripts = [...placed, ...(ctx.debug ? debugScripts(ctx.debug, ctx.spec.steps.length) : [])];
  const workdirs = [...new Set(ctx.spec.steps.map((s) => workingDirOf(s.workingDir)).filter((w) => w.create).map((w) => w.dir ?? ''))];
  const mounts: VolumeMount[] = [{ name: VOL.bin, mountPath: '/tekton/bin' }, { name: VOL.steps, mountPath: '/tekton/steps' }];
  if (placed.length > 0) mounts.push({ name: VOL.scripts, mountPath: SCRIPTS_DIR });
  if (ctx.debug) mounts.push(debugPrepareMount());
  if (workdirs.length > 0) mounts.push(implicitMounts()[0] as VolumeMount, ...workspaceMounts(ctx.workspaces, new Set(), []));
  return sortMounts({
    name: 'prepare',
    image: ctx.input.config.entrypointImage,
    command: [
      HELPER_SOURCE, 'init', HELPER_SOURCE, HELPER_BIN, ...stepNames,
      ...scriptInitArgs(scripts), ...workdirs.flatMap((d) => ['-workdir', d]),
    ],
    volumeMounts: mounts,
  });
}

/** The matched Secrets' volumes, then each step's /tekton/creds. */
function credsVolumes(ctx: Ctx): Volume[] {
  const homes = ctx.spec.steps.map((_, i) => credsHomeVolume(i, ctx.credsDisabled)?.volume).filter((v): v is Volume => v !== undefined);
  return [...ctx.creds.volumes, ...homes];
}

/** Builds the pod of a TaskRun attempt (see the file comment and docs/internals.md). */
export function buildPod(input: BuildPodInput): BuildPodResult {
  if (!input.spec.steps || input.spec.steps.length === 0) {
    return { ok: false, reason: 'TaskRunValidationFailed', message: 'the task has no steps: give at least one step in spec.steps' };
  }
  const ws = boundWorkspaces(input.taskRun, input.spec);
  if (!ws.ok) return ws;
  const creds = credsPlan(input.credentials ?? { secrets: [], disabled: true, requireKnownHosts: false });
  if (!creds.ok) return creds;
  const ctx = makeContext(input, ws.workspaces, creds.plan);
  const steps: Container[] = [];
  for (const [i, step] of ctx.spec.steps.entries()) {
    const c = buildStep(ctx, step, i);
    if ('ok' in c) return c as Failure;
    steps.push(c);
  }
  const tr = input.taskRun;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: podMetadata(tr, input.podName, input.config.managedBy, !ctx.flags.waitForSidecars),
    spec: {
      ...podLevelSpec(tr),
      initContainers: [prepareContainer(ctx, steps.map((c) => c.name))],
      containers: [...steps, ...buildSidecars(ctx)],
      volumes: [...internalVolumes(ctx.flags), ...(ctx.debug ? debugVolumes() : []), ...credsVolumes(ctx), ...mergeVolumes(ws.workspaces.map((w) => w.volume), ctx.spec.volumes, tr.spec.podTemplate?.volumes)],
    },
  };
  return { ok: true, pod };
}
