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
  const cont = q.get('continue');
  const after = cont ? decodeContinue(cont) : undefined;
  const limit = Number(q.get('limit') ?? 0);
  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: rv };
  let items: KubeObject[];
  let more: boolean;
  if (limit > 0 && Object.keys(equalityLabels(parseFilter(q, info.kind).labels)).length === 0) {
    // pages read from the store page by page: a chunked list does not read (parse) every stored object per chunk
    ({ items, more } = pageOf(ctx, info, route.namespace, q, after, limit));
  } else {
    items = selectObjects(ctx, info, route.namespace, q);
    if (after !== undefined) items = items.filter((o) => keyOf(o) > after);
    more = limit > 0 && items.length > limit;
    if (more) metadata.remainingItemCount = items.length - limit;
    if (limit > 0) items = items.slice(0, limit);
  }
  if (more) metadata.continue = Buffer.from(JSON.stringify({ k: keyOf(items[items.length - 1] as KubeObject), rv })).toString('base64url');
  const out = await outgoingMany(ctx, info, route.version, items);
  if (table) return toTable(info, out, { now: ctx.now(), include: includeObject(q), metadata });
  const apiVersion = info.group ? `${info.group}/${route.version}` : route.version;
  return { kind: `${info.kind}List`, apiVersion, metadata, items: out };
}

/** Up to `limit` matching objects after the key `after`, read from the store `limit + 1` at a time. */
function pageOf(ctx: ServerContext, info: KindInfo, namespace: string | undefined, q: URLSearchParams, after: string | undefined, limit: number): { items: KubeObject[]; more: boolean } {
  const filter = parseFilter(q, info.kind);
  const out: KubeObject[] = [];
  let cursor = after;
  for (;;) {
    const batch = ctx.store.list(resourceKey(info), namespace, { ...(cursor === undefined ? {} : { after: cursor }), limit: limit + 1 });
    for (const o of batch) if (matchFilter(filter, o)) out.push(o);
    if (out.length > limit || batch.length <= limit) break;
    cursor = keyOf(batch[batch.length - 1] as KubeObject);
  }
  return { items: out.slice(0, limit), more: out.length > limit };
}
