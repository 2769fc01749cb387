/**
 * Applies one substitution pass to exactly the TaskSpec fields Tekton substitutes (docs/variables.md): steps,
 * stepTemplate, sidecars, volumes and workspace mount paths. Fields Tekton leaves alone (results, security
 * contexts, resources, …) are left alone here too, so `$(...)` text there survives as it does in Tekton.
 */
import type { Container, EnvFromSource, EnvVar, Sidecar, Step, StepTemplate, TaskSpec, Volume, VolumeMount, WhenExpression } from '../../api/types.js';
import type { Replacements } from './replace.js';
import { replaceString, replaceStringArray } from './replace.js';

type Str = (s: string) => string;

function opt<T extends string>(v: T | undefined, f: Str): T | undefined {
  return v === undefined ? undefined : (f(v) as T);
}

function env(list: EnvVar[] | undefined, f: Str): EnvVar[] | undefined {
  return list?.map((e) => {
    const out: EnvVar = { ...e, name: e.name };
    if (e.value !== undefined) out.value = f(e.value);
    if (e.valueFrom) {
      const vf = { ...e.valueFrom };
      if (vf.secretKeyRef) vf.secretKeyRef = { ...vf.secretKeyRef, name: f(vf.secretKeyRef.name), key: f(vf.secretKeyRef.key) };
      if (vf.configMapKeyRef) vf.configMapKeyRef = { ...vf.configMapKeyRef, name: f(vf.configMapKeyRef.name), key: f(vf.configMapKeyRef.key) };
      out.valueFrom = vf;
    }
    return out;
  });
}

function envFrom(list: EnvFromSource[] | undefined, f: Str): EnvFromSource[] | undefined {
  return list?.map((e) => {
    const out: EnvFromSource = { ...e };
    if (e.prefix !== undefined) out.prefix = f(e.prefix);
    if (e.configMapRef) out.configMapRef = { ...e.configMapRef, name: f(e.configMapRef.name) };
    if (e.secretRef) out.secretRef = { ...e.secretRef, name: f(e.secretRef.name) };
    return out;
  });
}

function mounts(list: VolumeMount[] | undefined, f: Str): VolumeMount[] | undefined {
  return list?.map((m) => ({ ...m, name: f(m.name), mountPath: f(m.mountPath), ...(m.subPath !== undefined ? { subPath: f(m.subPath) } : {}) }));
}

/** The container-like fields shared by steps, step templates and sidecars. */
type ContainerLike = Pick<Container, 'image' | 'imagePullPolicy' | 'command' | 'args' | 'workingDir' | 'env' | 'envFrom' | 'volumeMounts'>;

function containerFields<T extends ContainerLike>(c: T, r: Replacements): T {
  const f: Str = (s) => replaceString(s, r);
  const out: T = { ...c };
  if (c.image !== undefined) out.image = f(c.image);
  if (c.imagePullPolicy !== undefined) out.imagePullPolicy = f(c.imagePullPolicy);
  if (c.command) out.command = replaceStringArray(c.command, r);
  if (c.args) out.args = replaceStringArray(c.args, r);
  if (c.workingDir !== undefined) out.workingDir = f(c.workingDir);
  if (c.env) out.env = env(c.env, f);
  if (c.envFrom) out.envFrom = envFrom(c.envFrom, f);
  if (c.volumeMounts) out.volumeMounts = mounts(c.volumeMounts, f);
  return out;
}

function when(list: WhenExpression[] | undefined, r: Replacements): WhenExpression[] | undefined {
  return list?.map((w) => ({
    ...w,
    ...(w.input !== undefined ? { input: replaceString(w.input, r) } : {}),
    ...(w.values ? { values: replaceStringArray(w.values, r) } : {}),
    ...(w.cel !== undefined ? { cel: replaceString(w.cel, r) } : {}),
  }));
}

/** Substitutes a step: name, displayName, script, onError, std*Config paths, when, and its container fields. */
export function applyToStep(step: Step, r: Replacements): Step {
  const f: Str = (s) => replaceString(s, r);
  const out = containerFields(step, r);
  if (step.name !== undefined) out.name = f(step.name);
  if (step.displayName !== undefined) out.displayName = f(step.displayName);
  if (step.script !== undefined) out.script = f(step.script);
  if (step.onError !== undefined) out.onError = opt(step.onError, f);
  if (step.stdoutConfig?.path !== undefined) out.stdoutConfig = { ...step.stdoutConfig, path: f(step.stdoutConfig.path) };
  if (step.stderrConfig?.path !== undefined) out.stderrConfig = { ...step.stderrConfig, path: f(step.stderrConfig.path) };
  if (step.when) out.when = when(step.when, r);
  return out;
}

/** Substitutes a stepTemplate (container fields only). */
export function applyToStepTemplate(t: StepTemplate, r: Replacements): StepTemplate {
  return containerFields(t, r);
}

/**
 * Sidecar with its container fields typed: `Sidecar` in api/types.ts is `Omit<Container, …>`, and Omit over
 * Container's index signature erases the declared fields, so we restate the ones substitution touches.
 */
export type TypedSidecar = Sidecar & ContainerLike & { name?: string; script?: string; workspaces?: Array<{ name: string; mountPath: string }> };

/** Substitutes a sidecar: name, script and its container fields. */
export function applyToSidecar(sidecar: Sidecar, r: Replacements): Sidecar {
  const s = sidecar as TypedSidecar;
  const f: Str = (x) => replaceString(x, r);
  const out = containerFields(s, r);
  if (s.name !== undefined) out.name = f(s.name);
  if (s.script !== undefined) out.script = f(s.script);
  return out;
}

function items<T extends { key: string; path: string }>(list: T[] | undefined, f: Str): T[] | undefined {
  return list?.map((i) => ({ ...i, key: f(i.key), path: f(i.path) }));
}

function projectedSource(src: Record<string, unknown>, f: Str): Record<string, unknown> {
  const out = { ...src };
  for (const kind of ['configMap', 'secret'] as const) {
    const ref = src[kind] as { name?: string } | undefined;
    if (ref?.name !== undefined) out[kind] = { ...ref, name: f(ref.name) };
  }
  const sat = src.serviceAccountToken as { audience?: string } | undefined;
  if (sat?.audience !== undefined) out.serviceAccountToken = { ...sat, audience: f(sat.audience) };
  return out;
}

/** Substitutes a volume: name, configMap/secret names and items, PVC claim, projected sources, CSI refs. */
export function applyToVolume(v: Volume, r: Replacements): Volume {
  const f: Str = (s) => replaceString(s, r);
  const out: Volume = { ...v, name: f(v.name) };
  if (v.configMap) out.configMap = { ...v.configMap, name: f(v.configMap.name), ...(v.configMap.items ? { items: items(v.configMap.items, f) } : {}) };
  if (v.secret) out.secret = { ...v.secret, secretName: f(v.secret.secretName), ...(v.secret.items ? { items: items(v.secret.items, f) } : {}) };
  if (v.persistentVolumeClaim) out.persistentVolumeClaim = { ...v.persistentVolumeClaim, claimName: f(v.persistentVolumeClaim.claimName) };
  if (v.projected) out.projected = { ...v.projected, sources: v.projected.sources.map((s) => projectedSource(s, f)) };
  if (v.csi) {
    const csi = { ...v.csi } as Record<string, unknown>;
    const secretRef = csi.nodePublishSecretRef as { name?: string } | undefined;
    if (secretRef?.name !== undefined) csi.nodePublishSecretRef = { ...secretRef, name: f(secretRef.name) };
    const attrs = csi.volumeAttributes as Record<string, string> | undefined;
    if (attrs) csi.volumeAttributes = Object.fromEntries(Object.entries(attrs).map(([k, s]) => [k, f(s)]));
    out.csi = csi;
  }
  return out;
}

/** One substitution pass over a whole TaskSpec (Tekton's `ApplyReplacements`). Returns a new spec. */
export function applyToTaskSpec(spec: TaskSpec, r: Replacements): TaskSpec {
  const out: TaskSpec = { ...spec, steps: spec.steps.map((s) => applyToStep(s, r)) };
  if (spec.stepTemplate) out.stepTemplate = applyToStepTemplate(spec.stepTemplate, r);
  if (spec.volumes) out.volumes = spec.volumes.map((v) => applyToVolume(v, r));
  if (spec.workspaces) out.workspaces = spec.workspaces.map((w) => (w.mountPath === undefined ? w : { ...w, mountPath: replaceString(w.mountPath, r) }));
  if (spec.sidecars) out.sidecars = spec.sidecars.map((s) => applyToSidecar(s, r));
  return out;
}
