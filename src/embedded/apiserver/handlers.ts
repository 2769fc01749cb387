/**
 * Resource requests: verb dispatch for collections, objects and subresources (status, log), and the
 * create / update / patch / delete / deletecollection handlers over the write and read paths.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { handleAccessReview, requestUser } from './access-review.js';
import { admitByWebhooks, webhooksFor } from './webhooks.js';
import { incoming, outgoing, resourceKey, type ServerContext } from './context.js';
import { incomingAsync, outgoingMany, outgoingOne, servedByWebhook } from './conversion-webhook.js';
import { badRequest, methodNotAllowed, notFound, pathNotFound } from './errors.js';
import { decodeBody, decodeObject, mediaType, negotiate, readBody, sendJson, type RequestBody } from './http.js';
import { deleteObject, parseDeleteOptions, type DeleteOpts } from './lifecycle.js';
import { checkIdentity } from './meta.js';
import { applyPatch, patchKind } from './patch.js';
import { servePodLog } from './podlog.js';
import { getBody, listBody, selectObjects } from './read.js';
import type { ResourceRoute } from './route.js';
import { objectJson } from './store.js';
import { serveWatch } from './watch.js';
import { checkResourceVersion, createObject, updateObject, writeOptions, type WriteOptions, type WriteResult } from './write.js';

/** Long-running responses (watches, log follows) to end when the server closes. */
export type StreamRegistry = Set<() => void>;

function checkSubresource(route: ResourceRoute): void {
  const { sub, info } = route;
  if (sub === undefined) return;
  if (sub === 'status' && info.statusSubresource) return;
  if ((info.subresources ?? []).includes(sub)) return;
  throw pathNotFound();
}

/** Handles a request for a registry kind. */
export async function handleResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, streams: StreamRegistry): Promise<void> {
  checkSubresource(route);
  if (route.info.group === 'authorization.k8s.io') return handleAccessReview(ctx, req, res, route);
  const method = req.method ?? 'GET';
  const collection = route.name === undefined;
  if (route.sub === 'exec' || route.sub === 'attach') throw badRequest('Upgrade request required');
  if (route.sub === 'log') {
    if (method !== 'GET') throw methodNotAllowed(method);
    servePodLog(ctx, req, res, route, q, streams);
    return;
  }
  if (method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) {
    serveWatch(ctx, req, res, route, q, negotiate(req).table, streams);
    return;
  }
  if (method === 'GET') {
    const table = negotiate(req).table;
    sendJson(res, 200, collection ? await listBody(ctx, route, q, table) : await getBody(ctx, route, q, table));
    return;
  }
  if (route.info.namespaced && route.namespace === undefined) throw methodNotAllowed(method);
  const body = await readBody(req);
  if (method === 'POST' && collection && !route.sub) return handleCreate(ctx, req, res, route, q, body, mediaType(req));
  if (method === 'PUT' && !collection) return handleUpdate(ctx, req, res, route, q, body, mediaType(req));
  if (method === 'PATCH' && !collection) return handlePatch(ctx, req, res, route, q, body, mediaType(req));
  if (method === 'DELETE' && !route.sub) return collection ? handleDeleteCollection(ctx, res, route, q, body) : handleDelete(ctx, res, route, q, body);
  throw methodNotAllowed(method);
}

/** Registered admission webhooks (webhooks.ts) over an object about to be written; a no-op without any. */
async function webhooked(ctx: ServerContext, req: IncomingMessage, route: ResourceRoute, operation: 'CREATE' | 'UPDATE', object: KubeObject, opts: WriteOptions, oldObject?: KubeObject): Promise<{ object: KubeObject; warnings: string[] }> {
  if (!webhooksFor(ctx, route.info)) return { object, warnings: [] };
  const who = requestUser(req);
  return admitByWebhooks(ctx, {
    operation, info: route.info, object, ...(oldObject ? { oldObject } : {}), ...(route.namespace ? { namespace: route.namespace } : {}),
    dryRun: opts.dryRun, user: { username: who.user, groups: who.groups }, services: ctx.webhookServices ?? {},
  });
}

async function handleCreate(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, raw: RequestBody, type: string): Promise<void> {
  const opts = writeOptions(q);
  const hooked = await webhooked(ctx, req, route, 'CREATE', checkIdentity(route, decodeObject(raw, type)), opts);
  const body = checkIdentity(route, hooked.object);
  const obj = await incomingAsync(ctx, route.info, body);
  const r = await ctx.writes.submit(() => createObject(ctx, route.info, obj, withOriginal(opts, body, obj)));
  sendJson(res, 201, await outgoingOne(ctx, route.info, route.version, r.obj), [...hooked.warnings, ...r.warnings]);
}

/** Write options naming the body as written when it was converted to the stored version. */
function withOriginal(opts: WriteOptions, body: KubeObject, converted: KubeObject): WriteOptions {
  return body.apiVersion === converted.apiVersion ? opts : { ...opts, original: body };
}

function stored(ctx: ServerContext, route: ResourceRoute): KubeObject {
  const old = ctx.store.get(resourceKey(route.info), route.namespace ?? '', route.name ?? '');
  if (!old) throw notFound(route.info, route.name ?? '');
  return old;
}

async function handleUpdate(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, raw: RequestBody, type: string): Promise<void> {
  const opts = writeOptions(q);
  const sent = checkIdentity(route, decodeObject(raw, type));
  const before = route.sub ? undefined : ctx.store.get(resourceKey(route.info), route.namespace ?? '', route.name ?? '');
  const hooked = route.sub ? { object: sent, warnings: [] } : await webhooked(ctx, req, route, 'UPDATE', sent, opts, before && await outgoingOne(ctx, route.info, route.version, before));
  const body = checkIdentity(route, hooked.object);
  const obj = await incomingAsync(ctx, route.info, body);
  const r = await ctx.writes.submit(() => {
    const old = stored(ctx, route);
    checkResourceVersion(route.info, old, body.metadata.resourceVersion);
    return updateObject(ctx, route.info, old, obj, withOriginal(opts, body, obj), route.sub);
  });
  sendJson(res, 200, await outgoingOne(ctx, route.info, route.version, r.obj), [...hooked.warnings, ...r.warnings]);
}

function patchOver(ctx: ServerContext, route: ResourceRoute, kind: ReturnType<typeof patchKind>, patch: unknown, opts: WriteOptions): WriteResult {
  const old = stored(ctx, route);
  // the patch functions change nothing they are given: the result shares the stored object's untouched (frozen) parts
  const patched = applyPatch(kind, outgoing(ctx, route.info, route.version, old), patch);
  if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw badRequest('the patched object is not a JSON object');
  const obj = checkIdentity(route, patched as Record<string, unknown>);
  checkResourceVersion(route.info, old, obj.metadata.resourceVersion);
  const converted = incoming(ctx, route.info, obj);
  return updateObject(ctx, route.info, old, converted, withOriginal(opts, obj, converted), route.sub);
}

async function handlePatch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, raw: RequestBody, type: string): Promise<void> {
  const kind = patchKind(type);
  const opts = writeOptions(q);
  const patch = decodeBody(raw, type);
  const hooks = !route.sub && webhooksFor(ctx, route.info);
  if (hooks || servedByWebhook(ctx, route.info, route.version)) {
    // with webhooks (admission, or a CRD's conversion) the patched object goes through them first, then is written
    // only if nothing changed meanwhile
    const old = stored(ctx, route);
    const base = JSON.parse(objectJson(await outgoingOne(ctx, route.info, route.version, old))) as KubeObject;
    const patched = applyPatch(kind, structuredClone(base), patch);
    if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw badRequest('the patched object is not a JSON object');
    const identified = checkIdentity(route, patched as Record<string, unknown>);
    const hooked = hooks ? await webhooked(ctx, req, route, 'UPDATE', identified, opts, base) : { object: identified, warnings: [] };
    const body = checkIdentity(route, hooked.object);
    body.metadata.resourceVersion ??= old.metadata.resourceVersion;
    const obj = await incomingAsync(ctx, route.info, body);
    const r = await ctx.writes.submit(() => {
      const now = stored(ctx, route);
      checkResourceVersion(route.info, now, body.metadata.resourceVersion);
      return updateObject(ctx, route.info, now, obj, withOriginal(opts, body, obj), route.sub);
    });
    sendJson(res, 200, await outgoingOne(ctx, route.info, route.version, r.obj), [...hooked.warnings, ...r.warnings]);
    return;
  }
  const r = await ctx.writes.submit(() => patchOver(ctx, route, kind, patch, opts));
  sendJson(res, 200, await outgoingOne(ctx, route.info, route.version, r.obj), r.warnings);
}

function deleteBody(raw: RequestBody): unknown {
  if (!Buffer.isBuffer(raw)) return decodeBody(raw, 'application/json');
  return raw.length > 0 && raw.toString('utf8').trim() !== '' ? decodeBody(raw, 'application/json') : undefined;
}

async function handleDelete(ctx: ServerContext, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, raw: RequestBody): Promise<void> {
  const opts = parseDeleteOptions(deleteBody(raw), q);
  const obj = await ctx.writes.submit(() => deleteObject(ctx, route.info, route.namespace ?? '', route.name ?? '', opts));
  sendJson(res, 200, await outgoingOne(ctx, route.info, route.version, obj));
}

function deleteSelected(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams, opts: DeleteOpts): KubeObject[] {
  const items: KubeObject[] = [];
  for (const o of selectObjects(ctx, route.info, route.namespace, q)) {
    try {
      items.push(deleteObject(ctx, route.info, o.metadata.namespace ?? '', o.metadata.name ?? '', opts));
    } catch {
      // deleted concurrently: skip
    }
  }
  return items;
}

async function handleDeleteCollection(ctx: ServerContext, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, raw: RequestBody): Promise<void> {
  const opts = parseDeleteOptions(deleteBody(raw), q);
  const items = await outgoingMany(ctx, route.info, route.version, await ctx.writes.submit(() => deleteSelected(ctx, route, q, opts)));
  const apiVersion = route.info.group ? `${route.info.group}/${route.version}` : route.version;
  sendJson(res, 200, { kind: `${route.info.kind}List`, apiVersion, metadata: { resourceVersion: String(ctx.store.resourceVersion()) }, items });
}
