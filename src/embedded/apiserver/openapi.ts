/**
 * OpenAPI for kubectl: `/openapi/v3` (an index of group-versions) and `/openapi/v3/<gv>` — per kind a POST,
 * PUT and PATCH operation tagged with `x-kubernetes-group-version-kind` and declaring the `fieldValidation`
 * query parameter (what makes kubectl validate server-side), and the kind's schema under `components.schemas`
 * (what `kubectl explain` walks); `/openapi/v2` is the same schemas as a Swagger 2.0 document in JSON (kubectl
 * asks for protobuf first: that answer is 406, see {@link openapiV2}).
 */
import type { IncomingMessage } from 'node:http';
import { KINDS, servedVersions } from '../../api/registry.js';
import { groups, kindsIn } from './discovery.js';
import { StatusError } from './errors.js';
import { definitionName, kindSchema } from './openapi-schemas.js';

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

let v2: unknown;

/**
 * `/openapi/v2` as JSON when the client accepts JSON; 406 when it accepts only the protobuf encoding (kubectl's
 * first ask: it then uses /openapi/v3, which carries the same schemas).
 */
export function openapiV2(req: IncomingMessage): unknown {
  const accept = String(req.headers.accept ?? '*/*').toLowerCase();
  if (accept !== '' && !/application\/json|\*\/\*|application\/\*/.test(accept)) {
    throw new StatusError(406, 'NotAcceptable', 'only application/json is served at /openapi/v2 (the protobuf encoding is not); use /openapi/v3');
  }
  if (!v2) {
    const definitions: Record<string, unknown> = {};
    for (const k of KINDS) {
      for (const version of servedVersions(k)) {
        const s = kindSchema(k, version);
        if (s) definitions[definitionName(k, version)] = v2Schema(s);
      }
    }
    v2 = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: {}, definitions };
  }
  return v2;
}

/** Swagger 2.0 has no `nullable`: dropped everywhere. */
function v2Schema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(v2Schema);
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = v2Schema(v);
  return out;
}
