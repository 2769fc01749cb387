/**
 * OpenAPI for kubectl: `/openapi/v3` (an index of group-versions) and `/openapi/v3/<gv>` — per kind a POST,
 * PUT and PATCH operation tagged with `x-kubernetes-group-version-kind` and declaring the `fieldValidation`
 * query parameter (what makes kubectl validate server-side), and the kind's schema under `components.schemas`
 * (what `kubectl explain` walks); `/openapi/v2` is the same operations and schemas as a Swagger 2.0 document, in
 * JSON or in gnostic's protobuf encoding (see {@link openapiV2}).
 */
import type { IncomingMessage } from 'node:http';
import { KINDS, servedVersions } from '../../api/registry.js';
import { groups, kindsIn } from './discovery.js';
import { StatusError } from './errors.js';
import { definitionName, kindSchema } from './openapi-schemas.js';
import { encodeOpenapiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPT } from './openapi-v2-proto.js';

/** The hash kubectl uses to cache documents; bump when the documents change shape. */
const HASH = 'tektite-2';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** `/openapi/v3`. */
export function openapiIndex(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groups()) {
    for (const v of g.versions) {
      const p = gvPath(g.name, v);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${HASH}` };
    }
  }
  return { paths };
}

const PARAMS = [
  { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
  { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
  { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
];

/** `/openapi/v3/<gv>`, or undefined when nothing is served there. */
export function openapiDoc(group: string, version: string): unknown {
  const kinds = kindsIn(group, version);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const k of kinds) {
    const base = `/${gvPath(group, version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
    const gvk = { group: k.group, version, kind: k.kind };
    const name = definitionName(k, version);
    const body = { content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    const op = (action: string): unknown => ({
      'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: PARAMS,
      ...(action === 'patch' ? {} : { requestBody: body }), responses: { 200: { description: 'OK', ...body } },
    });
    paths[base] = { post: op('post') };
    paths[`${base}/{name}`] = { patch: op('patch'), put: op('put') };
    const schema = kindSchema(k, version);
    if (schema) schemas[name] = schema;
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
}

let v2: Record<string, unknown> | undefined;
let v2Proto: Uint8Array | undefined;

/** Query parameters of a Swagger 2.0 operation (the v3 documents' PARAMS). */
const V2_PARAMS = PARAMS.map((p) => ({ name: p.name, in: 'query', type: 'string', uniqueItems: true }));

/** The Swagger 2.0 document: per kind the operations of the v3 documents, and every kind's schema as a definition. */
function v2Document(): Record<string, unknown> {
  if (v2) return v2;
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  for (const k of KINDS) {
    for (const version of servedVersions(k)) {
      const s = kindSchema(k, version);
      if (!s) continue;
      const name = definitionName(k, version);
      definitions[name] = v2Schema(s);
      const base = `/${gvPath(k.group, version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
      const ref = { $ref: `#/definitions/${name}` };
      // no `consumes`: kubectl apply takes a patch type from it (strategic merge when listed, computed from these
      // schemas, which carry no merge keys); without it kubectl decides as before: its built-in types for core kinds
      // (strategic merge), JSON merge patch for Tekton's
      const op = (action: string): unknown => ({
        'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': { group: k.group, version, kind: k.kind },
        produces: ['application/json', 'application/yaml'],
        parameters: [{ name: 'body', in: 'body', required: true, schema: action === 'patch' ? { type: 'object' } : ref }, ...V2_PARAMS],
        responses: { 200: { description: 'OK', schema: ref } },
      });
      paths[base] = { post: op('post') };
      paths[`${base}/{name}`] = { patch: op('patch'), put: op('put') };
    }
  }
  v2 = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, definitions };
  return v2;
}

/** What `/openapi/v2` answers: the document as JSON, or gnostic's protobuf encoding of it. */
export type OpenapiV2Answer = { type: 'json'; body: unknown } | { type: 'protobuf'; body: Uint8Array };

/**
 * `/openapi/v2` in the first encoding the Accept header lists that is served: JSON, or gnostic's protobuf (kubectl's
 * ask; it uses the document when a YAML names a group-version missing from /openapi/v3). 406 for anything else.
 */
export function openapiV2(req: IncomingMessage): OpenapiV2Answer {
  const accept = String(req.headers.accept ?? '').toLowerCase();
  for (const range of accept === '' ? ['*/*'] : accept.split(',')) {
    const media = range.split(';')[0]?.trim() ?? '';
    if (OPENAPI_V2_PROTOBUF_ACCEPT.includes(media)) {
      v2Proto ??= encodeOpenapiV2(v2Document());
      return { type: 'protobuf', body: v2Proto };
    }
    if (media === 'application/json' || media === '*/*' || media === 'application/*') return { type: 'json', body: v2Document() };
  }
  throw new StatusError(406, 'NotAcceptable', `/openapi/v2 is served as application/json and ${OPENAPI_V2_PROTOBUF}`);
}

/** Swagger 2.0 has no `nullable`: dropped everywhere. */
function v2Schema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(v2Schema);
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = v2Schema(v);
  return out;
}
