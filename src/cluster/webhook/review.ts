/**
 * Tekton's admission webhook as a pure function: an AdmissionReview v1 in, its response out. The same validation,
 * defaults and conversion modules as the embedded API server (one implementation, two transports). `validate`
 * answers allowed/denied with Kubernetes' Status and warnings; `mutate` answers the defaults as a base64 JSONPatch.
 * Objects of other versions than the stored one (v1beta1) are converted to v1 for validation, as the embedded API
 * server does; defaults are only patched onto v1 objects (the webhook configurations in config/ register v1 with
 * matchPolicy Equivalent, so the API server sends v1).
 */
import jsonpatch from 'fast-json-patch';
import { convertObject } from '../../api/convert/index.js';
import { applyDefaults, type DefaultsConfig } from '../../api/defaults.js';
import { kindFor } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { validateObject } from '../../api/validate/index.js';
import { validateRunUpdate } from '../../api/validate/update.validate.js';
import type { ControllerConfig } from '../../controller/config.js';

interface AdmissionRequest {
  uid?: string;
  kind?: { group?: string; version?: string; kind?: string };
  operation?: string;
  name?: string;
  namespace?: string;
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

export interface AdmissionReview {
  apiVersion?: string;
  kind?: string;
  request?: AdmissionRequest;
}

/** What the webhook reads of the configuration (the live feature flags and defaults, when it has them). */
export interface WebhookConfig {
  features?: ControllerConfig['features'];
  defaults?: DefaultsConfig;
}

const isObj = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as KubeObject).kind === 'string';

function head(review: AdmissionReview) {
  return { apiVersion: review.apiVersion ?? 'admission.k8s.io/v1', kind: 'AdmissionReview' };
}

function deny(review: AdmissionReview, uid: string, code: number, message: string, reason = 'Invalid') {
  return { ...head(review), response: { uid, allowed: false, status: { status: 'Failure', code, reason, message } } };
}

/** The v1 form of an object of a Tekton or Triggers kind (undefined for other kinds). */
function storedForm(obj: KubeObject): KubeObject | undefined {
  const info = kindFor(obj.apiVersion, obj.kind);
  if (!info?.crd) return undefined;
  const v1 = kindFor(obj.apiVersion.replace(/\/[^/]+$/, '/v1'), obj.kind) ? obj.apiVersion.replace(/\/[^/]+$/, '/v1') : obj.apiVersion;
  return v1 === obj.apiVersion ? obj : (convertObject(obj as { apiVersion: string; kind: string }, v1) as KubeObject);
}

/** Answers a validating AdmissionReview. */
export function validateReview(review: AdmissionReview, config: WebhookConfig = {}): Record<string, unknown> {
  const req = review.request;
  const uid = typeof req?.uid === 'string' ? req.uid : '';
  if (!req || !isObj(req.object)) {
    if (req?.operation === 'DELETE') return { ...head(review), response: { uid, allowed: true } };
    return deny(review, uid, 400, 'request.object is missing or not a Kubernetes object', 'BadRequest');
  }
  const original = req.object;
  const obj = storedForm(original);
  if (!obj) return { ...head(review), response: { uid, allowed: true } };
  const r = validateObject(obj, { unknownFields: 'Strict', features: config.features, ...(obj !== original ? { original } : {}) });
  const old = isObj(req.oldObject) ? storedForm(req.oldObject) : undefined;
  const errors = req.operation === 'UPDATE' && old ? [...r.errors, ...validateRunUpdate(obj, old)] : r.errors;
  const warnings = r.warnings.map((w) => (w.path ? `${w.path}: ${w.message}` : w.message));
  if (errors.length) {
    const what = `${obj.kind} "${obj.metadata?.name ?? req.name ?? ''}"`;
    // the bare reason: kube-apiserver prefixes it with `admission webhook "<name>" denied the request: `
    const message = `${what} is invalid: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`;
    return { ...head(review), response: { uid, allowed: false, status: { status: 'Failure', code: 422, reason: 'Invalid', message }, ...(warnings.length ? { warnings } : {}) } };
  }
  return { ...head(review), response: { uid, allowed: true, ...(warnings.length ? { warnings } : {}) } };
}

/** Answers a mutating AdmissionReview: Tekton's defaults as a JSONPatch. */
export function mutateReview(review: AdmissionReview, config: WebhookConfig = {}): Record<string, unknown> {
  const req = review.request;
  const uid = typeof req?.uid === 'string' ? req.uid : '';
  if (!req || !isObj(req.object)) return { ...head(review), response: { uid, allowed: true } };
  const obj = req.object;
  const info = kindFor(obj.apiVersion, obj.kind);
  if (!info?.crd || storedForm(obj) !== obj) return { ...head(review), response: { uid, allowed: true } };
  const defaulted = applyDefaults(obj, config.defaults ?? {});
  const patch = jsonpatch.compare(obj, defaulted);
  if (patch.length === 0) return { ...head(review), response: { uid, allowed: true } };
  return { ...head(review), response: { uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') } };
}
