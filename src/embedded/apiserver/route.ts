/**
 * URL routing: turns a request path into what it addresses (discovery, OpenAPI, or a resource collection,
 * object or subresource of a registry kind under one of its served versions).
 */
import { kindForResource, servedVersions, type KindInfo } from '../../api/registry.js';
import { pathNotFound } from './errors.js';

/** A resource request: `namespace` is set for namespaced paths, `name` for objects, `sub` for subresources. */
export interface ResourceRoute {
  type: 'resource';
  info: KindInfo;
  /** The API version of the path (the object is converted to it on the way out). */
  version: string;
  namespace?: string;
  name?: string;
  sub?: string;
}

/** Everything the server answers. */
export type Route =
  | { type: 'version' | 'health' | 'api' | 'apis' | 'openapiIndex' | 'openapiV2' }
  | { type: 'apiGroup'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'openapiDoc'; group: string; version: string }
  | ResourceRoute;

const HEALTH = new Set(['/healthz', '/readyz', '/livez']);

/** Routes a URL pathname; throws a 404 Status error for paths nothing serves. */
export function route(pathname: string): Route {
  if (pathname === '/version' || pathname === '/version/') return { type: 'version' };
  if (HEALTH.has(pathname) || [...HEALTH].some((h) => pathname.startsWith(`${h}/`))) return { type: 'health' };
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') return { type: 'openapiIndex' };
  if (pathname === '/openapi/v2') return { type: 'openapiV2' };
  if (pathname.startsWith('/openapi/v3/')) return openapiDoc(pathname.slice('/openapi/v3/'.length));
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    if (parts[1] !== 'v1') throw pathNotFound();
    if (parts.length === 2) return { type: 'resourceList', group: '', version: 'v1' };
    return resourceRoute('', 'v1', parts.slice(2));
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    if (parts.length === 2) return { type: 'apiGroup', group: parts[1] as string };
    if (parts.length === 3) return { type: 'resourceList', group: parts[1] as string, version: parts[2] as string };
    return resourceRoute(parts[1] as string, parts[2] as string, parts.slice(3));
  }
  throw pathNotFound();
}

function openapiDoc(rest: string): Route {
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts[0] === 'api' && parts[1] === 'v1' && parts.length === 2) return { type: 'openapiDoc', group: '', version: 'v1' };
  if (parts[0] === 'apis' && parts.length === 3) return { type: 'openapiDoc', group: parts[1] as string, version: parts[2] as string };
  throw pathNotFound();
}

function lookup(group: string, version: string, plural: string): KindInfo {
  const info = kindForResource(group, plural);
  if (!info || !servedVersions(info).includes(version)) throw pathNotFound();
  return info;
}

function resourceRoute(group: string, version: string, segs: string[]): ResourceRoute {
  // namespaces/{ns}/{plural}[/{name}[/{sub}]] unless it is a namespace's own subresource (namespaces/{n}/status).
  if (segs[0] === 'namespaces' && segs.length >= 3 && !(group === '' && ['status', 'finalize'].includes(segs[2] as string) && segs.length === 3)) {
    const info = lookup(group, version, segs[2] as string);
    if (!info.namespaced || segs.length > 5) throw pathNotFound();
    return { type: 'resource', info, version, namespace: segs[1], name: segs[3], sub: segs[4] };
  }
  const info = lookup(group, version, segs[0] as string);
  if (segs.length > 3 || (info.namespaced && segs.length > 1)) throw pathNotFound();
  return { type: 'resource', info, version, name: segs[1], sub: segs[2] };
}
