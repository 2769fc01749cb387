/**
 * The /tekton layout of a TaskRun pod (Tekton's pkg/pod volumes and mounts): internal volume names, paths and
 * which container mounts what, read-only or not.
 */
import type { Container, Volume, VolumeMount } from '../api/types.js';

/** Where the step helper is found in every container of the pod (docs/internals.md). */
export const HELPER_SOURCE = '/tektite/entrypoint';
/** Where `prepare` copies the helper and where steps run it. */
export const HELPER_BIN = '/tekton/bin/entrypoint';
/** Termination message file of every step. */
export const TERMINATION_PATH = '/tekton/termination';
/** Sidecar-readiness gate file (downward API of annotation tekton.dev/ready). */
export const READY_FILE = '/tekton/downward/ready';
/** keep-pod-on-cancel: the file (downward API of annotation tekton.dev/cancel) every step watches for CANCEL. */
export const CANCEL_FILE = '/tekton/downward/cancel';
/** Annotation the controller sets to CANCEL to stop the steps of a cancelled TaskRun's kept pod. */
export const CANCEL_ANNOTATION = 'tekton.dev/cancel';
/** Annotation the controller sets to READY when the sidecars are ready. */
export const READY_ANNOTATION = 'tekton.dev/ready';
/** Directory of placed scripts. */
export const SCRIPTS_DIR = '/tekton/scripts';
/** Where the steps of a Task write its artifacts (`$(artifacts.path)` is `provenance.json` in it). */
export const ARTIFACTS_DIR = '/tekton/artifacts';
/** The default workspace root. */
export const WORKSPACE_DIR = '/workspace';

/** Internal volume names (Tekton's). */
export const VOL = {
  bin: 'tekton-internal-bin',
  steps: 'tekton-internal-steps',
  results: 'tekton-internal-results',
  home: 'tekton-internal-home',
  workspace: 'tekton-internal-workspace',
  scripts: 'tekton-internal-scripts',
  downward: 'tekton-internal-downward',
  artifacts: 'tekton-internal-artifacts',
  run: (i: number): string => `tekton-internal-run-${i}`,
} as const;

/** `/tekton/run/<i>`: post files and the `status` metadata dir of step i. */
export function runDir(i: number): string {
  return `/tekton/run/${i}`;
}

const emptyDir = (name: string): Volume => ({ name, emptyDir: {} });

/** What decides which internal volumes a pod has. */
export interface LayoutFlags {
  stepCount: number;
  hasScripts: boolean;
  waitForSidecars: boolean;
  /** A step writes the Task's artifacts (`$(artifacts.path)`): every step mounts /tekton/artifacts. */
  usesArtifacts?: boolean;
  /** keep-pod-on-cancel: every step mounts the downward volume and watches its `cancel` file. */
  cancelFile?: boolean;
}

/** The internal volumes of the pod. */
export function internalVolumes(flags: LayoutFlags): Volume[] {
  const volumes: Volume[] = [VOL.workspace, VOL.home, VOL.results, VOL.steps, VOL.bin].map(emptyDir);
  if (flags.hasScripts) volumes.push(emptyDir(VOL.scripts));
  if (flags.usesArtifacts) volumes.push(emptyDir(VOL.artifacts));
  if (flags.waitForSidecars || flags.cancelFile) {
    const item = (path: string, annotation: string) => ({ path, fieldRef: { fieldPath: `metadata.annotations['${annotation}']` } });
    const items = [...(flags.waitForSidecars ? [item('ready', READY_ANNOTATION)] : []), ...(flags.cancelFile ? [item('cancel', CANCEL_ANNOTATION)] : [])];
    volumes.push({ name: VOL.downward, downwardAPI: { items } });
  }
  for (let i = 0; i < flags.stepCount; i++) volumes.push(emptyDir(VOL.run(i)));
  return volumes;
}

/** Mounts every step and sidecar gets (Tekton's implicitVolumeMounts). */
export function implicitMounts(): VolumeMount[] {
  return [
    { name: VOL.workspace, mountPath: WORKSPACE_DIR },
    { name: VOL.home, mountPath: '/tekton/home' },
    { name: VOL.results, mountPath: '/tekton/results' },
  ];
}

/** The internal mounts of step i: helper, steps links, run dirs (own RW, others RO), scripts, downward. */
export function stepInternalMounts(i: number, flags: LayoutFlags): VolumeMount[] {
  const mounts: VolumeMount[] = [
    ...implicitMounts(),
    { name: VOL.bin, mountPath: '/tekton/bin', readOnly: true },
    { name: VOL.steps, mountPath: '/tekton/steps', readOnly: true },
  ];
  for (let j = 0; j < flags.stepCount; j++) {
    mounts.push(j === i ? { name: VOL.run(j), mountPath: runDir(j) } : { name: VOL.run(j), mountPath: runDir(j), readOnly: true });
  }
  if (flags.hasScripts) mounts.push({ name: VOL.scripts, mountPath: SCRIPTS_DIR, readOnly: true });
  if (flags.usesArtifacts) mounts.push({ name: VOL.artifacts, mountPath: ARTIFACTS_DIR });
  if ((flags.waitForSidecars && i === 0) || flags.cancelFile) mounts.push({ name: VOL.downward, mountPath: '/tekton/downward', readOnly: true });
  return mounts;
}

/** Appends mounts to a container, skipping any whose path the container already mounts (Tekton's rule). */
export function addMounts<C extends Pick<Container, 'volumeMounts'>>(container: C, mounts: readonly VolumeMount[]): C {
  const existing = container.volumeMounts ?? [];
  const taken = new Set(existing.map((m) => m.mountPath));
  const added = mounts.filter((m) => !taken.has(m.mountPath));
  if (added.length === 0 && container.volumeMounts === undefined) return container;
  return { ...container, volumeMounts: [...existing, ...added] };
}

/**
 * Orders mounts parents-first (stable, by number of path components), as containerd does, so that a workspace at
 * /workspace/src is not hidden by the /workspace volume in runtimes that mount in list order.
 */
export function sortMounts<C extends Pick<Container, 'volumeMounts'>>(container: C): C {
  if (!container.volumeMounts) return container;
  const depth = (m: VolumeMount): number => m.mountPath.split('/').filter((p) => p !== '').length;
  return { ...container, volumeMounts: [...container.volumeMounts].sort((a, b) => depth(a) - depth(b)) };
}
