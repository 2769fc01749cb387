/**
 * The smallest OpenAPI v3 that makes kubectl validate server-side (`fieldValidation=Strict`): an index of
 * group-versions, and per group-version one PATCH operation per kind tagged with
 * `x-kubernetes-group-version-kind` and declaring the `fieldValidation` query parameter.
 */
import { groups, kindsIn } from './discovery.js';

/** The hash kubectl uses to cache documents; bump when the documents change shape. */
const HASH = 'tektite-1';

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
  for (const k of kinds) {
    const base = `/${gvPath(group, version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
    const gvk = { group: k.group, version, kind: k.kind };
    const op = (action: string): unknown => ({
      'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: PARAMS, responses: { 200: { description: 'OK' } },
    });
    paths[base] = { post: op('post') };
    paths[`${base}/{name}`] = { patch: op('patch'), put: op('put') };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}
