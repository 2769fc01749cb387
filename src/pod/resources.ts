/**
 * Compute resources of the pod's containers: per-step `computeResources`, the TaskRun's `stepSpecs` /
 * `sidecarSpecs` overrides (by name, key by key), and TaskRun-level `computeResources` (Tekton's task-level
 * rule: every step gets the limits, and the requests divided evenly among the steps).
 */
import type { ResourceRequirements, StepSpecOverride } from '../api/types.js';

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** Parses a Kubernetes quantity ("500m", "1Gi", "2", "1e3") into its value; NaN when malformed. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return NaN;
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2]);
  return base * (SUFFIX[m[3] ?? ''] ?? NaN);
}

/** Formats a value as a quantity: whole binary units when the input used them, whole numbers, else milli-units. */
function formatQuantity(value: number, binary: boolean): string {
  if (binary) {
    for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const size = SUFFIX[unit] ?? 1;
      if (value >= size && Number.isInteger(value / size)) return `${value / size}${unit}`;
    }
  }
  if (Number.isInteger(value)) return String(value);
  return `${Math.floor(value * 1000)}m`;
}

/** Divides a quantity by n the way Tekton does (milli-value integer division). */
export function divideQuantity(q: string, n: number): string {
  const v = parseQuantity(q);
  if (!Number.isFinite(v) || n <= 1) return q;
  const milli = Math.floor(Math.round(v * 1000) / n);
  return formatQuantity(milli / 1000, /[KMGTPE]i$/.test(q));
}

function divideAll(list: Record<string, string> | undefined, n: number): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(Object.entries(list).map(([k, v]) => [k, divideQuantity(v, n)]));
}

/** Merges an override over resources, key by key within requests and limits. */
export function mergeResources(base: ResourceRequirements | undefined, over: ResourceRequirements | undefined): ResourceRequirements | undefined {
  if (!over) return base;
  const out: ResourceRequirements = { ...base };
  if (over.requests) out.requests = { ...base?.requests, ...over.requests };
  if (over.limits) out.limits = { ...base?.limits, ...over.limits };
  return out;
}

/** The override of container `name` (step or sidecar name as written in the Task). */
export function overrideFor(specs: readonly StepSpecOverride[] | undefined, name: string | undefined): ResourceRequirements | undefined {
  if (!name) return undefined;
  return specs?.find((s) => s.name === name)?.computeResources;
}

/**
 * Tekton's task-level compute resources: every step's limits become the task limits; its requests become the task
 * requests divided by the number of steps (the divided limits when neither the step nor the task sets requests).
 */
export function taskLevelResources(step: ResourceRequirements | undefined, task: ResourceRequirements | undefined, steps: number): ResourceRequirements | undefined {
  if (!task || (!task.requests && !task.limits)) return step;
  const out: ResourceRequirements = {};
  const requests = !step?.requests && !task.requests ? divideAll(task.limits, steps) : divideAll(task.requests, steps);
  if (requests) out.requests = requests;
  if (task.limits) out.limits = { ...task.limits };
  return out;
}

/** Drops empty resources so the container has no `resources: {}`. */
export function nonEmpty(r: ResourceRequirements | undefined): ResourceRequirements | undefined {
  if (!r) return undefined;
  const out: ResourceRequirements = {};
  if (r.requests && Object.keys(r.requests).length > 0) out.requests = r.requests;
  if (r.limits && Object.keys(r.limits).length > 0) out.limits = r.limits;
  return out.requests || out.limits ? out : undefined;
}
