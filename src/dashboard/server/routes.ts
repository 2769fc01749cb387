/**
 * The dashboard's JSON API under /api: runs (from the index), one run's view (with an event stream of updates),
 * logs (streamed from the API server's pods/log), definitions, Events, YAML, and the actions. Everything goes
 * through the API server with the dashboard's credentials; nothing is cached but the run summaries.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { PipelineRun, TaskRun } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError } from '../../kube/errors.js';
import { parseRunQuery, QueryError } from '../model/query.js';
import type { DashboardInfo, RunKind } from '../model/types.js';
import { pipelineRunView, taskRunPageView } from '../model/view.js';
import { ActionError, runAction } from './actions.js';
import { ObjectSet } from './object-set.js';
import { listEvents, listResources, objectYaml, shownKind } from './resources.js';
import type { RunIndex } from './run-index.js';
import { openEventStream } from './sse.js';

export interface RouteContext {
  client: KubeClient;
  index: RunIndex;
  info: DashboardInfo;
  onError: (err: unknown) => void;
}

const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
/** The header every POST must carry: a page of another site cannot send it without a CORS preflight we refuse. */
export const ACTION_HEADER = 'x-tektite-dashboard';

function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: message });
}

/** The namespace a request may see: the one served, else what it asks. */
function scoped(ctx: RouteContext, asked: string | undefined): string | undefined {
  return ctx.info.namespace ?? (asked || undefined);
}

function checkNamespace(ctx: RouteContext, ns: string): void {
  if (ctx.info.namespace && ns !== ctx.info.namespace) throw new ActionError(403, `this dashboard serves namespace ${ctx.info.namespace} only`);
}

/** The /api router. */
export function apiRouter(ctx: RouteContext): express.Router {
  const r = express.Router();
  const { client, index } = ctx;
  r.get('/info', (_req, res) => void res.json(ctx.info));
  r.get('/namespaces', (_req, res) => void res.json(ctx.info.namespace ? [ctx.info.namespace] : index.namespaces()));
  r.get('/runs', (req, res) => {
    const q = parseRunQuery(new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1 || req.url.length)));
    const ns = scoped(ctx, q.namespace);
    res.json(index.query(ns ? { ...q, namespace: ns } : q));
  });
  r.get('/runs/stream', (req, res) => {
    const stream = openEventStream(req, res, 500);
    stream.sendNow('version', index.version);
    stream.onClose(index.subscribe((v) => stream.send('version', v)));
  });
  r.get('/pipelineruns/:ns/:name', async (req, res) => {
    const { ns, name } = req.params as { ns: string; name: string };
    checkNamespace(ctx, ns);
    const pr = await client.get<PipelineRun>(PR, ns, name);
    const trs = await client.list<TaskRun>(TR, ns, { labelSelector: `tekton.dev/pipelineRun=${name}` });
    res.json(pipelineRunView(pr, trs.items));
  });
  r.get('/taskruns/:ns/:name', async (req, res) => {
    const { ns, name } = req.params as { ns: string; name: string };
    checkNamespace(ctx, ns);
    res.json(taskRunPageView(await client.get<TaskRun>(TR, ns, name)));
  });
  r.get('/pipelineruns/:ns/:name/stream', (req, res) => streamRun(ctx, req, res, true));
  r.get('/taskruns/:ns/:name/stream', (req, res) => streamRun(ctx, req, res, false));
  r.get('/logs/:ns/:pod/:container', (req, res) => streamLog(ctx, req, res));
  r.get('/resources/:kind', async (req, res) => {
    const info = shownKind(String(req.params.kind));
    if (!info) return fail(res, 404, `unknown kind ${String(req.params.kind)}`);
    res.json(await listResources(client, info, scoped(ctx, typeof req.query.namespace === 'string' ? req.query.namespace : undefined)));
  });
  r.get('/yaml/:kind/:ns/:name', async (req, res) => {
    const info = shownKind(String(req.params.kind));
    if (!info) return fail(res, 404, `unknown kind ${String(req.params.kind)}`);
    if (info.namespaced) checkNamespace(ctx, String(req.params.ns));
    res.type('text/yaml; charset=utf-8').send(await objectYaml(client, info, String(req.params.ns), String(req.params.name)));
  });
  r.get('/events', async (req, res) => {
    const s = (k: string): string | undefined => (typeof req.query[k] === 'string' && req.query[k] ? String(req.query[k]) : undefined);
    const limit = Number(s('limit') ?? 500);
    res.json(await listEvents(client, { namespace: scoped(ctx, s('namespace')), kind: s('kind'), name: s('name'), limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 5000) : 500 }));
  });
  r.post('/actions/:kind/:ns/:name/:action', async (req, res) => {
    if (ctx.info.readOnly) return fail(res, 403, 'this dashboard is read-only (start it without --read-only to allow actions)');
    if (req.get(ACTION_HEADER) !== '1') return fail(res, 403, `actions must carry the ${ACTION_HEADER} header (sent by the dashboard's own page)`);
    const kind = String(req.params.kind);
    if (kind !== 'PipelineRun' && kind !== 'TaskRun') return fail(res, 400, `unknown kind ${kind}: expected PipelineRun or TaskRun`);
    checkNamespace(ctx, String(req.params.ns));
    res.json(await runAction(client, kind as RunKind, String(req.params.ns), String(req.params.name), String(req.params.action)));
  });
  r.use((_req, res) => fail(res, 404, 'no such API'));
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.end();
    if (err instanceof QueryError) return fail(res, 400, err.message);
    if (err instanceof ActionError) return fail(res, err.status, err.message);
    if (err instanceof ApiError) return fail(res, err.code === 0 ? 502 : err.code, err.message);
    ctx.onError(err);
    fail(res, 500, err instanceof Error ? err.message : String(err));
  });
  return r;
}

/** A run page's event stream: the run's view after every change of it or its TaskRuns. */
function streamRun(ctx: RouteContext, req: Request, res: Response, isPr: boolean): void {
  const { ns, name } = req.params as { ns: string; name: string };
  checkNamespace(ctx, ns);
  const stream = openEventStream(req, res, 250);
  const sets: Array<ObjectSet<PipelineRun | TaskRun>> = [];
  const emit = (): void => {
    const run = sets[0]?.items.get(name);
    if (!run) return stream.send('gone', { kind: isPr ? 'PipelineRun' : 'TaskRun', name });
    if (isPr) stream.send('view', pipelineRunView(run as PipelineRun, [...(sets[1]?.items.values() ?? [])] as TaskRun[]));
    else stream.send('view', taskRunPageView(run as TaskRun));
  };
  const onError = (err: unknown): void => ctx.onError(err);
  sets.push(new ObjectSet(ctx.client, isPr ? PR : TR, ns, { fieldSelector: `metadata.name=${name}` }, emit, onError));
  if (isPr) sets.push(new ObjectSet(ctx.client, TR, ns, { labelSelector: `tekton.dev/pipelineRun=${name}` }, emit, onError));
  stream.onClose(() => sets.forEach((s) => s.stop()));
  void Promise.all(sets.map((s) => s.start())).then(emit);
}

/** A container's log as text, followed while it runs when asked (`follow=1`); `download=1` names a file. */
function streamLog(ctx: RouteContext, req: Request, res: Response): void {
  const { ns, pod, container } = req.params as { ns: string; pod: string; container: string };
  checkNamespace(ctx, ns);
  const follow = req.query.follow === '1';
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff',
      ...(req.query.download === '1' ? { 'Content-Disposition': `attachment; filename="${`${pod}-${container}`.replace(/[^\w.-]/g, '_')}.log"` } : {}),
    });
  };
  ctx.client.podLog(ns, pod, { container, follow, signal: abort.signal }, (chunk) => {
    start();
    res.write(chunk);
  }).then(() => {
    start();
    res.end();
  }, (err: unknown) => {
    if (started) return void res.end();
    const code = err instanceof ApiError ? (err.code === 0 ? 502 : err.code) : 500;
    fail(res, code, err instanceof Error ? err.message : String(err));
  });
}
