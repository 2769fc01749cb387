/**
 * API discovery from the kind registry: legacy (`APIVersions`, `APIGroupList`, `APIGroup`, `APIResourceList`)
 * and aggregated (`apidiscovery.k8s.io` v2 and v2beta1 `APIGroupDiscoveryList`, answered only when asked for
 * by that exact version).
 */
import { KINDS, servedVersions, type KindInfo } from '../../api/registry.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS: Record<string, string[]> = { status: ['get', 'patch', 'update'], log: ['get'], exec: ['create', 'get'], attach: ['create', 'get'] };
/** The kind a subresource answers with, when it is not the resource's own. */
const SUB_KINDS: Record<string, string> = { log: 'Pod', exec: 'PodExecOptions', attach: 'PodAttachOptions' };

/** Groups in registry order, each with its served versions (preferred first). */
export function groups(): { name: string; versions: string[] }[] {
  const out = new Map<string, string[]>();
  for (const k of KINDS) {
    const vs = out.get(k.group) ?? [];
    for (const v of servedVersions(k)) if (!vs.includes(v)) vs.push(v);
    out.set(k.group, vs);
  }
  return [...out.entries()].map(([name, versions]) => ({ name, versions }));
}

/** Kinds served under a group/version. */
export function kindsIn(group: string, version: string): KindInfo[] {
  return KINDS.filter((k) => k.group === group && servedVersions(k).includes(version));
}

function subresources(k: KindInfo): string[] {
  return [...(k.statusSubresource ? ['status'] : []), ...(k.subresources ?? [])];
}

/** `/api` (legacy). */
export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(g: { name: string; versions: string[] }): unknown {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** `/apis` (legacy). */
export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().filter((g) => g.name !== '').map(apiGroup) };
}

/** `/apis/<group>` or undefined for an unknown group. */
export function apiGroupDoc(name: string): unknown {
  const g = groups().find((x) => x.name === name && name !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(g) as object) } : undefined;
}

/** `/api/v1`, `/apis/<g>/<v>`: APIResourceList, or undefined when nothing is served there. */
export function apiResourceList(group: string, version: string): unknown {
  const kinds = kindsIn(group, version);
  if (kinds.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const k of kinds) {
    resources.push({
      name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: VERBS,
      ...(k.shortNames ? { shortNames: k.shortNames } : {}), ...(k.categories ? { categories: k.categories } : {}),
    });
    for (const s of subresources(k)) {
      resources.push({ name: `${k.plural}/${s}`, singularName: '', namespaced: k.namespaced, kind: SUB_KINDS[s] ?? k.kind, verbs: SUB_VERBS[s] ?? ['get'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function discoveryResource(k: KindInfo, version: string): unknown {
  const responseKind = { group: k.group, version, kind: k.kind };
  return {
    resource: k.plural, responseKind, scope: k.namespaced ? 'Namespaced' : 'Cluster', singularResource: k.singular, verbs: VERBS,
    ...(k.shortNames ? { shortNames: k.shortNames } : {}), ...(k.categories ? { categories: k.categories } : {}),
    ...(subresources(k).length > 0 ? {
      subresources: subresources(k).map((s) => ({
        subresource: s, responseKind: SUB_KINDS[s] ? { group: '', version: 'v1', kind: SUB_KINDS[s] } : responseKind, verbs: SUB_VERBS[s] ?? ['get'],
      })),
    } : {}),
  };
}

/** Aggregated discovery for `/api` (core) or `/apis` (every other group). */
export function aggregated(core: boolean, version: 'v2' | 'v2beta1'): unknown {
  const items = groups().filter((g) => (g.name === '') === core).map((g) => ({
    metadata: core ? { creationTimestamp: null } : { name: g.name, creationTimestamp: null },
    versions: g.versions.map((v) => ({ version: v, resources: kindsIn(g.name, v).map((k) => discoveryResource(k, v)), freshness: 'Current' })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** The Content-Type of an aggregated discovery answer. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
