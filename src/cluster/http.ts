/**
 * The controller's small HTTP endpoints: health (`/healthz` liveness, `/readyz` readiness, also under Tekton's
 * `/health` and `/readiness`) and Prometheus metrics (`/metrics`), each on its own port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A listening endpoint server. */
export interface Endpoint {
  url: string;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** Listens with `routes` (exact paths, GET/HEAD only). */
export async function listen(host: string, port: number, routes: Record<string, Handler>): Promise<Endpoint> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(route ? 405 : 404, { 'Content-Type': 'text/plain' }).end(route ? 'method not allowed\n' : 'not found\n');
      return;
    }
    Promise.resolve(route(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${addr.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Health state as the probes see it. */
export interface HealthState {
  /** The process works (liveness). */
  alive(): boolean;
  /** The process is ready (readiness): started and not shutting down. */
  ready(): boolean;
  /** Extra facts shown in the body (identity, leader). */
  details(): Record<string, unknown>;
}

/** Serves /healthz, /readyz (and /health, /readiness). */
export function listenHealth(host: string, port: number, state: HealthState): Promise<Endpoint> {
  const probe = (ok: () => boolean): Handler => (_req, res) => {
    const good = ok();
    res.writeHead(good ? 200 : 503, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ ok: good, ...state.details() })}\n`);
  };
  const live = probe(() => state.alive());
  const ready = probe(() => state.ready());
  return listen(host, port, { '/healthz': live, '/health': live, '/readyz': ready, '/readiness': ready });
}

/** Serves /metrics from a prom-client registry. */
export function listenMetrics(host: string, port: number, registry: Registry): Promise<Endpoint> {
  return listen(host, port, {
    '/metrics': async (_req, res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType }).end(body);
    },
  });
}
