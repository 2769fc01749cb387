/**
 * GET of one object and LIST of a collection (label/field selectors, limit + continue, Table output).
 */
import type { KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { resourceKey, type ServerContext } from './context.js';
import { outgoingMany, outgoingOne } from './conversion-webhook.js';
import { badRequest, notFound } from './errors.js';
import type { ResourceRoute } from './route.js';
import { equalityLabels, matchFilter, parseFilter } from './selectors.js';
import { includeObject, toTable } from './table.js';

/** Answers a GET body: the object or a one-row Table. */
export async function getBody(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams, table: boolean): Promise<unknown> {
  const stored = ctx.store.get(resourceKey(route.info), route.namespace ?? '', route.name ?? '');
  if (!stored) throw notFound(route.info, route.name ?? '');
  const obj = await outgoingOne(ctx, route.info, route.version, stored);
  if (!table) return obj;
  return toTable(route.info, [obj], { now: ctx.now(), include: includeObject(q), metadata: { resourceVersion: obj.metadata.resourceVersion } });
}

function decodeContinue(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch {
    // fall through
  }
  throw badRequest(`continue key is not valid: ${token}`);
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name ?? ''}`;

/** Selects the matching objects of a list request, in order. */
export function selectObjects(ctx: ServerContext, info: KindInfo, namespace: string | undefined, q: URLSearchParams): KubeObject[] {
  const filter = parseFilter(q, info.kind);
  const eq = equalityLabels(filter.labels);
  const resource = resourceKey(info);
  const candidates = Object.keys(eq).length > 0 ? ctx.store.listByLabels(resource, namespace, eq) : ctx.store.list(resource, namespace);
  return candidates.filter((o) => matchFilter(filter, o));
}

/** Answers a LIST body: `<Kind>List` or a Table, one page of it when `limit` is given. */
export async function listBody(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams, table: boolean): Promise<unknown> {
  const { info } = route;
  const rv = String(ctx.store.resourceVersion());
  let items = selectObjects(ctx, info, route.namespace, q);
  const cont = q.get('continue');
  if (cont) {
    const after = decodeContinue(cont);
    items = items.filter((o) => keyOf(o) > after);
  }
  const limit = Number(q.get('limit') ?? 0);
  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: rv };
  if (limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    metadata.continue = Buffer.from(JSON.stringify({ k: keyOf(page[page.length - 1] as KubeObject), rv })).toString('base64url');
    metadata.remainingItemCount = items.length - limit;
    items = page;
  }
  const out = await outgoingMany(ctx, info, route.version, items);
  if (table) return toTable(info, out, { now: ctx.now(), include: includeObject(q), metadata });
  const apiVersion = info.group ? `${info.group}/${route.version}` : route.version;
  return { kind: `${info.kind}List`, apiVersion, metadata, items: out };
}
