/**
 * `authorization.k8s.io/v1` access reviews — SelfSubjectAccessReview (`kubectl auth can-i`, `--as` through
 * impersonation headers), SubjectAccessReview and LocalSubjectAccessReview — answered by evaluating the RBAC objects
 * in the store (rbac.ts). Reviews are answered, never stored, as kube-apiserver does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import type { ServerContext } from './context.js';
import { badRequest, methodNotAllowed } from './errors.js';
import { decodeObject, mediaType, readBody, sendJson } from './http.js';
import { impersonated, rbacObjects } from './authz.js';
import { authorize, type AccessAttributes, type UserInfo } from './rbac.js';
import type { ResourceRoute } from './route.js';

/** Who a request is: the user it impersonates, else the token's holder (a cluster admin). */
export function requestUser(req: IncomingMessage): UserInfo {
  return impersonated(req) ?? { user: 'tektite-admin', groups: ['system:masters', 'system:authenticated'] };
}

interface ReviewSpec {
  user?: string;
  groups?: string[];
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
}

const str = (v: unknown, field: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${field}: Invalid value: must be a string`);
  return v;
};

function attributesOf(spec: ReviewSpec): AccessAttributes {
  const raw = spec.resourceAttributes;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw badRequest('spec.resourceAttributes: Invalid value: must be an object');
  const r = raw && Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, str(v, `spec.resourceAttributes.${k}`)])) as ReviewSpec['resourceAttributes'];
  if (r) {
    if (!r.verb) throw badRequest('spec.resourceAttributes.verb: Required value');
    return { verb: r.verb, group: r.group ?? '', resource: r.resource ?? '', ...(r.subresource ? { subresource: r.subresource } : {}), ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.name ? { name: r.name } : {}) };
  }
  const n = spec.nonResourceAttributes;
  const path = str(n?.path, 'spec.nonResourceAttributes.path');
  const verb = str(n?.verb, 'spec.nonResourceAttributes.verb');
  if (verb && path) return { verb, path };
  throw badRequest('spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified');
}

/** Serves POST of a review kind. */
export async function handleAccessReview(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute): Promise<void> {
  if (req.method !== 'POST' || route.name !== undefined) throw methodNotAllowed(req.method ?? '');
  const obj = decodeObject(await readBody(req), mediaType(req)) as KubeObject & { spec?: ReviewSpec };
  if (obj.spec !== undefined && (typeof obj.spec !== 'object' || obj.spec === null || Array.isArray(obj.spec))) throw badRequest('spec: Invalid value: must be an object');
  const spec = obj.spec ?? {};
  const kind = route.info.kind;
  let who: UserInfo;
  if (kind === 'SelfSubjectAccessReview') who = requestUser(req);
  else {
    if (!spec.user && !(spec.groups ?? []).length) throw badRequest('spec.user: Invalid value: "": at least one of user or group must be specified');
    const groups = spec.groups ?? [];
    if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) throw badRequest('spec.groups: Invalid value: must be a list of strings');
    who = { user: str(spec.user, 'spec.user') ?? '', groups };
  }
  const attrs = attributesOf(spec);
  if (kind === 'LocalSubjectAccessReview') attrs.namespace = route.namespace;
  const verdict = authorize(rbacObjects(ctx), who, attrs);
  const status = { allowed: verdict.allowed, ...(verdict.reason ? { reason: verdict.reason } : {}) };
  sendJson(res, 201, { ...obj, apiVersion: 'authorization.k8s.io/v1', kind, metadata: { ...(obj.metadata ?? {}), creationTimestamp: null }, status });
}
