/**
 * Writes a computed status once per reconcile: nothing is sent when the status did not change; otherwise a merge
 * patch of /status with what changed, carrying the resourceVersion the status was computed from, so a stale
 * decision fails with 409 and the key is reconciled again from fresh data.
 */
import { jsonEqual, toJsonValue } from '../../api/json-equal.js';
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';

/**
 * Writes `status` onto `obj` when it differs; answers the stored object (or the input when nothing changed). The
 * write is a merge patch of /status holding only what changed, with `metadata.resourceVersion` as precondition
 * (a stale decision still fails with 409, as a PUT would): a PipelineRun of thousands of tasks does not resend
 * its unchanged pipelineSpec on every write.
 */
export async function writeStatus<T extends KubeObject & { status?: unknown }>(client: KubeClient, obj: T, status: unknown): Promise<T> {
  if (jsonEqual(obj.status, status)) return obj;
  const rv = obj.metadata.resourceVersion;
  if (!rv || !isPlainObject(obj.status) || !isPlainObject(toJsonValue(status))) return client.updateStatus<T>({ ...obj, status });
  const patch = { metadata: { resourceVersion: rv }, status: mergePatchOf(obj.status, status) };
  return client.patch<T>(obj, obj.metadata.namespace, obj.metadata.name ?? '', patch, { status: true });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The RFC 7386 merge patch that turns `before` into `after` (objects diffed key by key; lists and scalars replaced). */
export function mergePatchOf(before: unknown, after: unknown): unknown {
  const b = toJsonValue(before);
  const a = toJsonValue(after);
  if (!isPlainObject(b) || !isPlainObject(a)) return a === undefined ? null : a;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) if (v !== undefined && a[k] === undefined) out[k] = null;
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || typeof v === 'function' || jsonEqual(b[k], v)) continue;
    out[k] = mergePatchOf(b[k], v);
  }
  return out;
}

