/**
 * `pods/log`: container logs from the LogStore as text/plain (the container's bytes as written), streamed with `follow=true` until the container
 * finishes, the pod is deleted, or the client goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { bytesOf, type LogReadOptions } from '../logs.js';
import { resourceKey, type ServerContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import type { ResourceRoute } from './route.js';

function containerNames(pod: KubeObject): { all: string[]; main: string[] } {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  const main = (spec.containers ?? []).map((c) => c.name);
  return { main, all: [...main, ...(spec.initContainers ?? []).map((c) => c.name), ...(spec.ephemeralContainers ?? []).map((c) => c.name)] };
}

export function pickContainer(pod: KubeObject, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  const { all, main } = containerNames(pod);
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (main.length === 1) return main[0] as string;
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`);
}

function num(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${key}: Invalid value: "${v}": must be a non-negative integer`);
  return n;
}

function readOptions(q: URLSearchParams): LogReadOptions {
  const opts: LogReadOptions = { timestamps: q.get('timestamps') === 'true' };
  const tail = num(q, 'tailLines');
  const since = num(q, 'sinceSeconds');
  const limit = num(q, 'limitBytes');
  if (tail !== undefined) opts.tailLines = tail;
  if (since !== undefined) opts.sinceSeconds = since;
  if (limit !== undefined) opts.limitBytes = limit;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) opts.sinceTime = sinceTime;
  return opts;
}

/** Serves GET pods/<name>/log. */
export function servePodLog(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, registry: Set<() => void>): void {
  const ns = route.namespace ?? '';
  const podName = route.name ?? '';
  const pod = ctx.store.get(resourceKey(route.info), ns, podName);
  const opts = readOptions(q);
  if (!pod) return serveKeptLog(ctx, res, { ns, podName, route, container: q.get('container'), opts });
  const container = pickContainer(pod, q.get('container'));
  const whole = opts.tailLines === undefined && opts.sinceSeconds === undefined && !opts.sinceTime && opts.limitBytes === undefined;
  if (q.get('follow') !== 'true' && whole && ctx.logs.readStream) {
    // the whole log, streamed from the file a chunk at a time (a big log is never held in memory at once)
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    const read = ctx.logs.readStream(ns, podName, container, opts, (text) => res.write(bytesOf(text)));
    res.on('drain', () => read.resume());
    req.on('close', () => read.stop());
    void read.done.then(() => res.end());
    return;
  }
  if (q.get('follow') !== 'true') {
    const body = bytesOf(ctx.logs.read(ns, podName, container, opts));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  // backpressure: when the response's buffer is full the follower pauses, and reads the file from where it stopped
  // once the client has caught up (memory stays bounded however fast a step writes)
  const follow = ctx.logs.follow(ns, podName, container, opts, (text) => res.write(bytesOf(text)));
  res.on('drain', () => follow.resume());
  const uid = pod.metadata.uid;
  const unsubscribe = ctx.store.subscribe((ev) => {
    if (ev.type === 'DELETED' && ev.object.metadata.uid === uid) follow.stop();
  });
  const stop = (): void => follow.stop();
  registry.add(stop);
  req.on('close', stop);
  res.on('close', stop);
  void follow.done.then(() => {
    unsubscribe();
    registry.delete(stop);
    res.end();
  });
}

/**
 * Logs of a pod that no longer exists: embedded mode keeps them under the data dir (Tekton's users lose them with
 * the pod). A deleted pod's containers are finished, so following just answers what is stored.
 */
function serveKeptLog(ctx: ServerContext, res: ServerResponse, a: { ns: string; podName: string; route: ResourceRoute; container: string | null; opts: LogReadOptions }): void {
  const kept = ctx.logs.containers(a.ns, a.podName);
  const container = a.container ?? (kept.length === 1 ? kept[0] : undefined);
  if (!container || !kept.includes(container)) throw notFound(a.route.info, a.podName);
  const body = bytesOf(ctx.logs.read(a.ns, a.podName, container, a.opts));
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
}
