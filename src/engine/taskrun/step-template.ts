/**
 * Tekton's `MergeStepsWithStepTemplate`: each step is a strategic-merge patch over the stepTemplate. Scalars and
 * plain lists: the step wins when it sets them; maps (resources, securityContext) merge key by key; `env` merges
 * by `name`, `volumeMounts` by `mountPath`, `volumeDevices` by `devicePath` (template entries first, in their order,
 * then the step's new ones). Merging twice gives the same steps, so a later merge by the pod builder is harmless.
 */
import type { EnvVar, Step, StepTemplate } from '../../api/types.js';

const MERGE_KEYS: Record<string, string> = { env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath', ports: 'containerPort' };

type Obj = Record<string, unknown>;

function isPlainObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function mergeByKey(base: unknown[], patch: unknown[], key: string): unknown[] {
  const out = base.map((b) => {
    const match = isPlainObject(b) ? patch.find((p) => isPlainObject(p) && p[key] === b[key]) : undefined;
    return match === undefined ? b : mergeObjects(b as Obj, match as Obj);
  });
  for (const p of patch) {
    const known = isPlainObject(p) && base.some((b) => isPlainObject(b) && b[key] === p[key]);
    if (!known) out.push(p);
  }
  return out;
}

function mergeObjects(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === undefined) continue;
    const bv = base[k];
    const key = MERGE_KEYS[k];
    if (key && Array.isArray(bv) && Array.isArray(pv)) out[k] = mergeByKey(bv, pv, key);
    else if (isPlainObject(bv) && isPlainObject(pv)) out[k] = mergeObjects(bv, pv);
    else out[k] = pv;
  }
  return out;
}

/** Tekton's `amendConflictingContainerFields`: an env var that ended up with both value and valueFrom takes the step's. */
function amendEnv(env: EnvVar[] | undefined, stepEnv: EnvVar[] | undefined): EnvVar[] | undefined {
  if (!env || !stepEnv) return env;
  return env.map((e) => (e.valueFrom && e.value ? (stepEnv.find((s) => s.name === e.name) ?? e) : e));
}

/** Merges the stepTemplate into every step (see the file comment). Returns new steps; inputs are not changed. */
export function mergeStepTemplate(template: StepTemplate | undefined, steps: readonly Step[]): Step[] {
  if (!template) return steps.map((s) => ({ ...s }));
  return steps.map((step) => {
    const merged = mergeObjects(structuredClone(template) as Obj, step as Obj) as Step;
    const env = amendEnv(merged.env, step.env);
    return env ? { ...merged, env } : merged;
  });
}
