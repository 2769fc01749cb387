/**
 * The write path shared by POST, PUT, PATCH and the /status subresource: server-owned fields, status
 * handling, generation, defaulting and admission, namespace checks, dry-run, then one store write.
 */
import { RUN_CONTROL_FIELDS, RUN_CONTROL_KINDS } from '../../api/validate/update.validate.js';
import { podSecurityAdmission } from './pod-security.js';
import { kindFor, type KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { resourceKey, timestamp, type ServerContext } from './context.js';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound } from './errors.js';
import { jsonEqual } from '../../api/json-equal.js';
import { generatedName, newMeta, specChanged, validateMeta } from './meta.js';
import { StoreError } from './store.js';
import { checkTypes } from './typecheck.js';

/** Query options every write takes. */
export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  /** The body as the client wrote it when it was converted from another version (admission names its fields). */
  original?: KubeObject;
}

/** The result of a write: the stored (or dry-run) object and admission warnings. */
export interface WriteResult {
  obj: KubeObject;
  warnings: string[];
}

const NAMESPACES = { group: '', plural: 'namespaces' };

/** Reads dryRun and fieldValidation from the query; throws 400 for values Kubernetes rejects. */
export function writeOptions(q: URLSearchParams): WriteOptions {
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All')) throw badRequest(`Invalid dry run value: ${dry.join(',')}; only "All" is supported`);
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${fv}"`);
  }
  return { dryRun: dry.length > 0, fieldValidation: fv };
}

/** Maps store failures to Kubernetes Status errors. */
export function storeErrorToStatus(err: unknown, info: KindInfo, name: string): unknown {
  if (!(err instanceof StoreError)) return err;
  if (err.code === 'NotFound') return notFound(info, name);
  if (err.code === 'AlreadyExists') return alreadyExists(info, name);
  return conflict(info, name);
}

/** Throws 404 for a missing namespace and 403 for one being deleted. */
export function checkNamespace(ctx: ServerContext, info: KindInfo, obj: KubeObject): void {
  if (!info.namespaced) return;
  const ns = obj.metadata.namespace ?? '';
  const nsObj = ctx.store.get(resourceKey(NAMESPACES), '', ns);
  if (!nsObj) throw notFound(NAMESPACES, ns);
  if (nsObj.metadata.deletionTimestamp) {
    throw forbidden(info, obj.metadata.name ?? '', `unable to create new content in namespace ${ns} because it is being terminated`);
  }
}

/** The status a new object starts with (Kubernetes' PrepareForCreate). */
function initialStatus(info: KindInfo, obj: KubeObject): unknown {
  if (info.kind === 'Pod') return { phase: 'Pending', qosClass: 'BestEffort' };
  if (info.kind === 'Namespace') return { phase: 'Active' };
  if (info.kind === 'CustomResourceDefinition') {
    const now = String(obj.metadata.creationTimestamp);
    const cond = (type: string, reason: string, message: string): unknown => ({ type, status: 'True', lastTransitionTime: now, reason, message });
    return {
      conditions: [cond('NamesAccepted', 'NoConflicts', 'no conflicts found'), cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
      acceptedNames: (obj.spec as { names?: unknown } | undefined)?.names ?? {}, storedVersions: storedVersions(obj),
    };
  }
  return info.statusSubresource ? undefined : obj.status;
}

function storedVersions(crd: KubeObject): string[] {
  const versions = (crd.spec as { versions?: { name: string; storage?: boolean }[] } | undefined)?.versions ?? [];
  return versions.filter((v) => v.storage).map((v) => v.name);
}

/**
 * Whether `obj` differs from the stored `old` only in a run's control fields (spec.status, spec.statusMessage), as
 * a cancel or stop does. The rest was defaulted when it was written, and defaulting it again gives the same.
 */
function controlOnly(info: KindInfo, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): boolean {
  if (!old || opts.original || !RUN_CONTROL_KINDS.has(info.kind)) return false;
  const rest = (o: KubeObject): Record<string, unknown> => {
    const r: Record<string, unknown> = { ...o, metadata: { ...o.metadata, resourceVersion: undefined, generation: undefined }, status: undefined };
    const spec: Record<string, unknown> = { ...(o.spec as Record<string, unknown> | undefined) };
    for (const k of RUN_CONTROL_FIELDS) delete spec[k];
    r.spec = spec;
    return r;
  };
  return jsonEqual(rest(obj), rest(old));
}

/** Runs defaulting and admission for Tekton/Triggers kinds; throws 422 on errors, answers warnings. */
function admit(ctx: ServerContext, info: KindInfo, obj: KubeObject, opts: WriteOptions, old?: KubeObject, parsed?: object): { obj: KubeObject; warnings: string[] } {
  if (!info.crd) return { obj, warnings: [] };
  const control = controlOnly(info, obj, old, opts);
  // the type check's schema output (a create) is defaulted as it is; validation then needs only its semantic checks
  const reuse = parsed !== undefined && obj.status === undefined && !opts.original && ctx.defaults !== undefined && !control;
  const defaulted = ctx.defaults && !control ? { ...ctx.defaults(obj, reuse ? parsed : undefined), metadata: obj.metadata } : obj;
  if (!ctx.admission) return { obj: defaulted, warnings: [] };
  const r = ctx.admission(defaulted, {
    operation: old ? 'UPDATE' : 'CREATE', unknownFields: opts.fieldValidation, ...(old ? { oldObject: old } : {}), ...(opts.original ? { original: opts.original } : {}),
    ...(control ? { controlOnly: true } : {}), ...(reuse ? { schemaChecked: true } : {}),
  });
  if (!r.ok || r.errors.length > 0) {
    const errors = r.errors.length > 0 ? r.errors : [{ path: '', message: 'rejected by admission' }];
    throw invalid(info, obj.metadata.name ?? '', errors);
  }
  return { obj: defaulted, warnings: r.warnings.map((w) => (w.path ? `${w.path}: ${w.message}` : w.message)) };
}

const SERVICE_ACCOUNTS = { group: '', plural: 'serviceaccounts' };

/**
 * Every namespace has a ServiceAccount `default`, as kube-controller-manager's serviceaccounts controller makes it
 * (pods and runs without serviceAccountName run as it; Tekton's credentials come from its secrets).
 */
export function ensureDefaultServiceAccount(ctx: ServerContext, namespace: string): void {
  const info = kindFor('v1', 'ServiceAccount');
  if (!info || !namespace || ctx.store.get(resourceKey(SERVICE_ACCOUNTS), namespace, 'default')) return;
  const ns = ctx.store.get(resourceKey(NAMESPACES), '', namespace);
  if (!ns || ns.metadata.deletionTimestamp) return;
  createObject(ctx, info, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, { dryRun: false, fieldValidation: 'Ignore' });
}

/** Creates an object from a checked request body (see checkIdentity). */
export function createObject(ctx: ServerContext, info: KindInfo, body: KubeObject, opts: WriteOptions): WriteResult {
  // the name is generated first, as Kubernetes does (BeforeCreate), so that a refusal names the object it refused
  const generated = !body.metadata.name && body.metadata.generateName ? generatedName(body.metadata.generateName) : undefined;
  const parsed = checkTypes(info, generated ? { ...body, metadata: { ...body.metadata, name: generated } } : body);
  const meta = newMeta(body.metadata, timestamp(ctx.now()));
  if (generated) meta.name = generated;
  let obj: KubeObject = { ...body, metadata: meta };
  if (info.kind === 'Namespace') obj.spec = { finalizers: ['kubernetes'], ...(obj.spec as object | undefined) };
  if (info.kind === 'Secret' && !obj.type) obj.type = 'Opaque';
  const status = initialStatus(info, obj);
  obj = { ...obj };
  if (status === undefined) delete obj.status;
  else obj.status = status;
  validateMeta(info, obj);
  checkNamespace(ctx, info, obj);
  const admitted = admit(ctx, info, obj, opts, undefined, parsed);
  obj = admitted.obj;
  if (info.kind === 'Pod' && info.group === '') {
    const ns = ctx.store.get(resourceKey(NAMESPACES), '', obj.metadata.namespace ?? '');
    const psa = podSecurityAdmission(obj, ns, ctx.podSecurity ?? 'baseline');
    if (psa.refusal) throw forbidden(info, obj.metadata.name ?? '', psa.refusal);
    admitted.warnings.push(...psa.warnings);
  }
  if (opts.dryRun) {
    if (ctx.store.get(resourceKey(info), obj.metadata.namespace ?? '', obj.metadata.name ?? '')) throw alreadyExists(info, obj.metadata.name ?? '');
    return { obj, warnings: admitted.warnings };
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const stored = ctx.store.create(resourceKey(info), obj);
      if (info.kind === 'Namespace' && info.group === '') ensureDefaultServiceAccount(ctx, stored.metadata.name ?? '');
      return { obj: stored, warnings: admitted.warnings };
    } catch (err) {
      const retry = err instanceof StoreError && err.code === 'AlreadyExists' && !body.metadata.name && meta.generateName && attempt < 5;
      if (!retry) throw storeErrorToStatus(err, info, obj.metadata.name ?? '');
      obj = { ...obj, metadata: { ...obj.metadata, name: generatedName(meta.generateName as string) } };
    }
  }
}

/** Keeps what the client may not change: identity, timestamps; status or everything-but-status per subresource. */
function mergeServerFields(info: KindInfo, old: KubeObject, next: KubeObject, sub: string | undefined): KubeObject {
  if (sub === 'status') return { ...old, status: next.status };
  const m = old.metadata;
  const metadata = { ...next.metadata, name: m.name, uid: m.uid, creationTimestamp: m.creationTimestamp, generation: m.generation };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  delete metadata.deletionTimestamp;
  delete metadata.deletionGracePeriodSeconds;
  if (m.deletionTimestamp) metadata.deletionTimestamp = m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds !== undefined) metadata.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
  const out: KubeObject = { ...next, apiVersion: old.apiVersion, kind: old.kind, metadata };
  if (info.statusSubresource) {
    if (old.status === undefined) delete out.status;
    else out.status = old.status;
  }
  return out;
}

function checkFinalizers(info: KindInfo, old: KubeObject, next: KubeObject): void {
  if (!old.metadata.deletionTimestamp) return;
  const before = new Set(old.metadata.finalizers ?? []);
  const added = (next.metadata.finalizers ?? []).filter((f) => !before.has(f));
  if (added.length > 0) {
    throw invalid(info, old.metadata.name ?? '', [{ path: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}` }]);
  }
}

/**
 * Writes `next` over `old` (PUT, PATCH or /status). `old` is the stored object the change was computed from.
 * An unchanged object is not written again; an object being deleted whose last finalizer went is removed.
 */
export function updateObject(ctx: ServerContext, info: KindInfo, old: KubeObject, next: KubeObject, opts: WriteOptions, sub?: string): WriteResult {
  let obj = mergeServerFields(info, old, next, sub);
  checkTypes(info, obj, sub, old);
  if (sub !== 'status') {
    validateMeta(info, obj);
    checkFinalizers(info, old, obj);
  }
  let warnings: string[] = [];
  if (sub !== 'status') ({ obj, warnings } = admit(ctx, info, obj, opts, old));
  // compared after defaulting, as Kubernetes compares after the mutating webhooks: re-applying a file without the
  // defaulted fields (kubectl apply's merge patch replaces whole lists) is no change and bumps nothing
  const changedSpec = specChanged(old, obj);
  if (changedSpec) obj.metadata = { ...obj.metadata, generation: (old.metadata.generation ?? 1) + 1 };
  const name = old.metadata.name ?? '';
  // a changed spec is a change: only other writes may turn out to be no-ops (not written again)
  const same = !changedSpec && jsonEqual({ ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } }, { ...old, metadata: { ...old.metadata, resourceVersion: undefined } });
  if (same || opts.dryRun) return { obj: same ? old : obj, warnings };
  try {
    const key = resourceKey(info);
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0) {
      const last = ctx.store.update(key, obj, old.metadata.resourceVersion);
      return { obj: ctx.store.remove(key, last.metadata.namespace ?? '', name), warnings };
    }
    return { obj: ctx.store.update(key, obj, old.metadata.resourceVersion), warnings };
  } catch (err) {
    throw storeErrorToStatus(err, info, name);
  }
}

/** Throws 409 when a client-supplied resourceVersion is not the stored one. */
export function checkResourceVersion(info: KindInfo, old: KubeObject, rv: string | undefined): void {
  if (rv && rv !== old.metadata.resourceVersion) throw conflict(info, old.metadata.name ?? '');
}

