/**
 * The two things both run reconcilers do after writing a status: write back labels/annotations the run took from
 * its definition (a merge patch of metadata, only when they changed; Tekton's syncMetadata), and record the
 * Kubernetes Events of the `Succeeded` condition change (Tekton's k8sevent.EmitK8sEvents).
 */
import type { KubeObject, TaskRunStatus } from '../api/types.js';
import { getSucceeded } from '../engine/conditions.js';
import { runEvents } from '../engine/run-events.js';
import type { KubeClient } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { referenceTo, type EventRecorder } from '../kube/events.js';
import { jsonEqual } from '../api/json-equal.js';

type Meta = { labels: Record<string, string>; annotations: Record<string, string> };

/** Patches the run's labels and annotations to `meta` when they differ (a run deleted meanwhile is fine). */
export async function syncMetadata(client: KubeClient, run: KubeObject, meta: Meta): Promise<void> {
  const labels = diff(run.metadata.labels, meta.labels);
  const annotations = diff(run.metadata.annotations, meta.annotations);
  if (!labels && !annotations) return;
  const ref = { apiVersion: run.apiVersion, kind: run.kind };
  try {
    await client.patch(ref, run.metadata.namespace ?? 'default', run.metadata.name ?? '', { metadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The keys of `next` that are new or changed relative to `prev`, or undefined when none (nothing is removed). */
function diff(prev: Record<string, string> | undefined, next: Record<string, string>): Record<string, string> | undefined {
  if (jsonEqual(prev ?? {}, next)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(next)) if (prev?.[k] !== v) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Records the Events of the run's condition change from its stored status to `status`. */
export function recordRunEvents(events: EventRecorder | undefined, run: KubeObject & { status?: TaskRunStatus }, status: TaskRunStatus): void {
  if (!events) return;
  for (const e of runEvents(getSucceeded(run.status), getSucceeded(status))) events.event(referenceTo(run), e.type, e.reason, e.message);
}
