/**
 * Deletion: DeleteOptions (preconditions, propagationPolicy), finalizers (deletionTimestamp set, the object kept
 * until its finalizers are gone), namespaces (Terminating until emptied by the garbage collector), and the
 * metadata-only writes the collector makes (removing a finalizer or an owner reference).
 */
import type { KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { resourceKey, timestamp, type ServerContext } from './context.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import { StoreError } from './store.js';
import { storeErrorToStatus } from './write.js';

/** The finalizer Kubernetes uses for foreground cascading deletion. */
export const FOREGROUND = 'foregroundDeletion';
/** The finalizer Kubernetes uses for orphaning dependents. */
export const ORPHAN = 'orphan';
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** DeleteOptions that matter here. */
export interface DeleteOpts {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Reads DeleteOptions from a body (JSON) and the query string. */
export function parseDeleteOptions(body: unknown, q: URLSearchParams): DeleteOpts {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const policy = (b.propagationPolicy ?? q.get('propagationPolicy') ?? undefined) as string | undefined;
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const orphan = b.orphanDependents ?? (q.has('orphanDependents') ? q.get('orphanDependents') === 'true' : undefined);
  const dry = (Array.isArray(b.dryRun) && b.dryRun.includes('All')) || q.getAll('dryRun').includes('All');
  const pre = b.preconditions as DeleteOpts['preconditions'] | undefined;
  return {
    propagationPolicy: (policy ?? (orphan === true ? 'Orphan' : undefined)) as DeleteOpts['propagationPolicy'],
    dryRun: dry,
    ...(pre ? { preconditions: pre } : {}),
  };
}

function checkPreconditions(info: KindInfo, obj: KubeObject, pre: DeleteOpts['preconditions']): void {
  const name = obj.metadata.name ?? '';
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`);
  }
}

/** The object as it looks once deletion started (deletionTimestamp, policy finalizer, namespace phase). */
function markDeleting(ctx: ServerContext, info: KindInfo, obj: KubeObject, policyFinalizer: string | undefined): KubeObject {
  const finalizers = [...(obj.metadata.finalizers ?? [])];
  if (policyFinalizer && !finalizers.includes(policyFinalizer)) finalizers.push(policyFinalizer);
  const metadata = { ...obj.metadata, finalizers };
  if (!metadata.deletionTimestamp) {
    metadata.deletionTimestamp = timestamp(ctx.now());
    metadata.deletionGracePeriodSeconds = 0;
  }
  if (finalizers.length === 0) delete (metadata as { finalizers?: string[] }).finalizers;
  const out: KubeObject = { ...obj, metadata };
  if (info.kind === 'Namespace') out.status = { ...(obj.status as object | undefined), phase: 'Terminating' };
  return out;
}

/**
 * Deletes an object. Without finalizers (and not a namespace) it is removed at once; otherwise it gets a
 * deletionTimestamp and stays until the finalizers are removed (the collector handles foreground, orphan and
 * namespaces). Answers the object as it is after the call.
 */
export function deleteObject(ctx: ServerContext, info: KindInfo, namespace: string, name: string, opts: DeleteOpts): KubeObject {
  const key = resourceKey(info);
  const obj = ctx.store.get(key, namespace, name);
  if (!obj) throw notFound(info, name);
  checkPreconditions(info, obj, opts.preconditions);
  if (info.kind === 'Namespace' && PROTECTED_NAMESPACES.has(name)) throw forbidden(info, name, 'this namespace may not be deleted');
  const policyFinalizer = opts.propagationPolicy === 'Foreground' ? FOREGROUND : opts.propagationPolicy === 'Orphan' ? ORPHAN : undefined;
  const keep = info.kind === 'Namespace' || (obj.metadata.finalizers ?? []).length > 0 || policyFinalizer !== undefined;
  try {
    if (!keep) {
      if (opts.dryRun) return obj;
      const gone = ctx.store.remove(key, namespace, name, obj.metadata.resourceVersion);
      ctx.kickGc();
      return gone;
    }
    const marked = markDeleting(ctx, info, obj, policyFinalizer);
    if (opts.dryRun || (obj.metadata.deletionTimestamp && sameFinalizers(obj, marked))) return opts.dryRun ? marked : obj;
    const out = ctx.store.update(key, marked, obj.metadata.resourceVersion);
    ctx.kickGc();
    return out;
  } catch (err) {
    throw storeErrorToStatus(err, info, name);
  }
}

function sameFinalizers(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.metadata.finalizers ?? []) === JSON.stringify(b.metadata.finalizers ?? []);
}

/** Applies a metadata change from the collector; removes the object when it is being deleted and has no finalizers. */
export function rewriteMeta(ctx: ServerContext, resource: string, obj: KubeObject, change: (o: KubeObject) => KubeObject): void {
  const next = change(obj);
  try {
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      const last = ctx.store.update(resource, next, obj.metadata.resourceVersion);
      ctx.store.remove(resource, last.metadata.namespace ?? '', last.metadata.name ?? '');
    } else {
      ctx.store.update(resource, next, obj.metadata.resourceVersion);
    }
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    ctx.kickGc(); // lost a race with another writer: look again
  }
}

/** The object without one finalizer. */
export function withoutFinalizer(obj: KubeObject, finalizer: string): KubeObject {
  const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const metadata = { ...obj.metadata, finalizers };
  if (finalizers.length === 0) delete (metadata as { finalizers?: string[] }).finalizers;
  return { ...obj, metadata };
}

/** The object without owner references to the given uids. */
export function withoutOwners(obj: KubeObject, uids: Set<string>): KubeObject {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
  const metadata = { ...obj.metadata, ownerReferences: refs };
  if (refs.length === 0) delete (metadata as { ownerReferences?: unknown }).ownerReferences;
  return { ...obj, metadata };
}
