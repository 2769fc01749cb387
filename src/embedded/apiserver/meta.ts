/**
 * Object metadata rules shared by create and update: identity checks against the URL, generateName, name
 * validation, uid/creationTimestamp/generation, and JSON equality helpers.
 */
import { randomUUID, randomInt } from 'node:crypto';
import { jsonEqual } from '../../api/json-equal.js';
import type { KindInfo } from '../../api/registry.js';
import type { KubeObject, ObjectMeta } from '../../api/types.js';
import { badRequest, invalid } from './errors.js';
import type { ResourceRoute } from './route.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const GEN_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Checks apiVersion/kind/namespace of a request body against its URL and fills them in. */
export function checkIdentity(route: ResourceRoute, body: Record<string, unknown>): KubeObject {
  const { info, version } = route;
  const expected = info.group ? `${info.group}/${version}` : version;
  if (body.apiVersion !== undefined && body.apiVersion !== '' && body.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (body.kind !== undefined && body.kind !== '' && body.kind !== info.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${info.kind})`);
  }
  const rawMeta = body.metadata ?? {};
  if (typeof rawMeta !== 'object' || Array.isArray(rawMeta)) throw badRequest('metadata must be an object');
  const metadata = { ...(rawMeta as ObjectMeta) };
  if (info.namespaced) {
    if (metadata.namespace && route.namespace && metadata.namespace !== route.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (route.namespace) metadata.namespace = route.namespace;
  } else {
    delete metadata.namespace;
  }
  if (route.name !== undefined && metadata.name && metadata.name !== route.name) {
    throw badRequest(`the name of the object (${metadata.name}) does not match the name on the URL (${route.name})`);
  }
  if (route.name !== undefined) metadata.name = route.name;
  return { ...body, apiVersion: expected, kind: info.kind, metadata } as KubeObject;
}

/** A name from generateName: the prefix plus 5 random characters. */
export function generatedName(prefix: string): string {
  let s = prefix;
  for (let i = 0; i < 5; i++) s += GEN_ALPHABET[randomInt(GEN_ALPHABET.length)];
  return s;
}

function nameMessage(name: string, kind: 'subdomain' | 'label'): string {
  if (kind === 'label') {
    return `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  }
  return `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
}

/** Validates name, namespace and labels like Kubernetes' ObjectMeta validation; throws 422. */
export function validateMeta(info: KindInfo, obj: KubeObject): void {
  const m = obj.metadata;
  const name = m.name ?? '';
  const errors: { path: string; message: string }[] = [];
  if (!name) errors.push({ path: 'metadata.name', message: 'Required value: name or generateName is required' });
  else if (info.kind === 'Namespace' ? !LABEL.test(name) || name.length > 63 : !SUBDOMAIN.test(name) || name.length > 253) {
    errors.push({ path: 'metadata.name', message: nameMessage(name, info.kind === 'Namespace' ? 'label' : 'subdomain') });
  }
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      errors.push({ path: 'metadata.labels', message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)` });
    }
    if (k.length === 0 || k.length > 316) errors.push({ path: 'metadata.labels', message: `Invalid value: "${k}": name part must be non-empty` });
  }
  if (errors.length > 0) throw invalid(info, name, errors);
}

/** Metadata of a new object: uid, creationTimestamp, generation 1, no server-owned leftovers. */
export function newMeta(meta: ObjectMeta, now: string): ObjectMeta {
  const out: ObjectMeta = { ...meta, uid: randomUUID(), creationTimestamp: now, generation: 1 };
  delete out.resourceVersion;
  delete out.deletionTimestamp;
  delete out.deletionGracePeriodSeconds;
  return out;
}

/** True when anything besides metadata and status differs (what bumps metadata.generation). */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const rest: Record<string, unknown> = { ...o };
    for (const k of ['metadata', 'status', 'apiVersion', 'kind']) delete rest[k];
    return rest;
  };
  return !jsonEqual(strip(a), strip(b));
}
