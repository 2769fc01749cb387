/**
 * Watch: a chunked 200 with newline-delimited events. Resumes from the store's event log (410 Expired as an
 * ERROR event, then close, when the resourceVersion is too old), starts with synthetic ADDED events when no
 * resourceVersion (or "0") is given, follows selector transitions, sends BOOKMARKs when allowed, honours
 * timeoutSeconds, and renders each event as a one-row Table under a Table Accept.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { outgoing, resourceKey, type ServerContext } from './context.js';
import { badRequest, expired, StatusError } from './errors.js';
import { outgoingOne, servedByWebhook } from './conversion-webhook.js';
import { selectObjects } from './read.js';
import type { ResourceRoute } from './route.js';
import { matchFilter, parseFilter, type ObjectFilter } from './selectors.js';
import { sendEvent } from './in-process.js';
import { objectJson, type StoreEvent } from './store.js';
import { includeObject, toTable } from './table.js';

/** Default watch lifetime when the client gives no timeoutSeconds (kube-apiserver uses 30–60 min). */
const DEFAULT_TIMEOUT_S = 1800;
/** Unsent bytes a watch may pile up before it is cut (like kube-apiserver dropping slow watchers). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

interface WatchSpec {
  filter: ObjectFilter;
  rv?: number;
  bookmarks: boolean;
  initialEventsEnd: boolean;
  timeoutMs: number;
}

function parseWatch(route: ResourceRoute, q: URLSearchParams): WatchSpec {
  if (route.name) {
    const fs = q.get('fieldSelector');
    q.set('fieldSelector', `metadata.name=${route.name}${fs ? `,${fs}` : ''}`);
  }
  const filter = parseFilter(q, route.info.kind);
  const rvParam = q.get('resourceVersion');
  let rv: number | undefined;
  if (rvParam && rvParam !== '0') {
    rv = Number(rvParam);
    if (!Number.isInteger(rv) || rv < 0) throw badRequest(`invalid resource version: ${rvParam}`);
  }
  const t = Number(q.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  return {
    filter, rv,
    bookmarks: q.get('allowWatchBookmarks') === 'true',
    initialEventsEnd: q.get('sendInitialEvents') === 'true',
    timeoutMs: (Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_S) * 1000,
  };
}

/** What one event becomes for this watcher (selector transitions), or undefined to skip it. */
function project(ev: StoreEvent, f: ObjectFilter): { type: string; object: KubeObject } | undefined {
  const now = matchFilter(f, ev.object);
  if (ev.type !== 'MODIFIED') return now ? { type: ev.type, object: ev.object } : undefined;
  const before = ev.old ? matchFilter(f, ev.old) : now;
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: ev.object };
  return before ? { type: 'DELETED', object: ev.object } : undefined;
}

type Send = (type: string, obj: unknown) => void;

/** Sends an object already in the watch's version (a one-row Table when asked). */
function renderer(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams, table: boolean, send: Send): (type: string, out: KubeObject) => void {
  const include = includeObject(q);
  return (type, out) => send(type, table ? toTable(route.info, [out], { now: ctx.now(), include, metadata: { resourceVersion: out.metadata.resourceVersion } }) : out);
}

/** Renders store objects for this watch (version conversion, one-row Table when asked). */
function emitter(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams, table: boolean, send: Send): (type: string, obj: KubeObject) => void {
  const render = renderer(ctx, route, q, table, send);
  return (type, obj) => render(type, outgoing(ctx, route.info, route.version, obj));
}

/**
 * A watch served through a CRD's conversion webhook: each event is converted by the webhook, and events (and
 * bookmarks) leave in the order they came; a failed conversion ends the watch with an ERROR event.
 */
function webhookEmitter(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams, table: boolean, send: Send, end: () => void): { emit: (type: string, obj: KubeObject) => void; send: Send } {
  const render = renderer(ctx, route, q, table, send);
  let chain = Promise.resolve();
  let failed = false;
  const inOrder = (work: () => Promise<void> | void): void => {
    chain = chain.then(() => (failed ? undefined : work())).catch((err: unknown) => {
      if (failed) return;
      failed = true;
      send('ERROR', err instanceof StatusError ? err.status : new StatusError(500, 'InternalError', String(err)).status);
      end();
    });
  };
  return {
    send: (type, obj) => inOrder(() => send(type, obj)),
    emit: (type, obj) => inOrder(async () => render(type, await outgoingOne(ctx, route.info, route.version, obj))),
  };
}

/** Subscribes for live events, bookmarks and the timeout; answers the function that ends the watch. */
function goLive(ctx: ServerContext, route: ResourceRoute, spec: WatchSpec, send: Send, onEvent: (ev: StoreEvent) => void, end: () => void): () => void {
  const bookmark = (annotations?: Record<string, string>): void => {
    const apiVersion = route.info.group ? `${route.info.group}/${route.version}` : route.version;
    send('BOOKMARK', { kind: route.info.kind, apiVersion, metadata: { resourceVersion: String(ctx.store.resourceVersion()), ...(annotations ? { annotations } : {}) } });
  };
  if (spec.initialEventsEnd && spec.bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  const unsubscribe = ctx.store.subscribe(onEvent);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    end();
  };
  const timers: NodeJS.Timeout[] = [setTimeout(stop, spec.timeoutMs)];
  if (spec.bookmarks) timers.push(setInterval(() => bookmark(), ctx.bookmarkIntervalMs));
  return stop;
}

/** Writes watch events; those written in the same tick (a committed batch, a backlog) leave in one TLS record. */
function eventWriter(res: ServerResponse): Send {
  let corked = false;
  return (type, obj) => {
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(() => {
        corked = false;
        res.uncork();
      });
    }
    if (sendEvent(res, type, obj)) return; // an in-process client takes the object itself
    res.write(`{"type":"${type}","object":${objectJson(obj)}}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy(); // a client this far behind re-watches or relists
  };
}

/** Serves one watch request until the client leaves, the timeout fires or the server closes. */
export function serveWatch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, table: boolean, registry: Set<() => void>): void {
  const spec = parseWatch(route, q);
  const resource = resourceKey(route.info);
  const backlog = spec.rv === undefined ? undefined : ctx.store.eventsSince(spec.rv);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const written = eventWriter(res);
  if (spec.rv !== undefined && backlog === undefined) {
    written('ERROR', expired(spec.rv, ctx.store.oldestResumableRv()).status);
    res.end();
    return;
  }
  let stop = (): void => undefined;
  const viaWebhook = servedByWebhook(ctx, route.info, route.version) ? webhookEmitter(ctx, route, q, table, written, () => stop()) : undefined;
  const send = viaWebhook?.send ?? written;
  const emit = viaWebhook?.emit ?? emitter(ctx, route, q, table, send);
  const onEvent = (ev: StoreEvent): void => {
    if (ev.resource !== resource || (route.namespace !== undefined && ev.namespace !== route.namespace)) return;
    const p = project(ev, spec.filter);
    if (p) emit(p.type, p.object);
  };
  if (backlog) for (const ev of backlog) onEvent(ev);
  else for (const obj of selectObjects(ctx, route.info, route.namespace, q)) emit('ADDED', obj);
  stop = goLive(ctx, route, spec, send, onEvent, () => {
    registry.delete(stop);
    res.end();
  });
  registry.add(stop);
  req.on('close', stop);
  res.on('close', stop);
}
