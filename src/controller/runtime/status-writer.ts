/**
 * Writes a computed status once per reconcile: nothing is sent when the status did not change; otherwise a PUT
 * of /status carrying the resourceVersion the status was computed from, so a stale decision fails with 409 and
 * the key is reconciled again from fresh data.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';

/** PUTs `status` onto `obj` when it differs; answers the stored object (or the input when nothing changed). */
export async function writeStatus<T extends KubeObject & { status?: unknown }>(client: KubeClient, obj: T, status: unknown): Promise<T> {
  if (jsonEqual(obj.status, status)) return obj;
  return client.updateStatus<T>({ ...obj, status });
}

/** Deep equality of two JSON values, ignoring key order and properties that are undefined. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  return isDeepStrictEqual(norm(a), norm(b));
}
