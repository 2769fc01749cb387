/**
 * The dashboard's server: the built page (dist/dashboard-ui, `npm run build:dashboard`) at `/`, its JSON API and
 * event streams under `/api`, over one KubeClient (`tkt up`'s own, or a kubeconfig's for `tkt dashboard`, or the
 * in-cluster service account). Read-only mode refuses every action.
 */
import express from 'express';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { KubeClient } from '../../kube/client.js';
import { packageRoot } from '../../paths.js';
import type { DashboardInfo } from '../model/types.js';
import { RunIndex } from './run-index.js';
import { apiRouter } from './routes.js';

export interface DashboardOptions {
  client: KubeClient;
  /** 0 = a free port. */
  port: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  readOnly?: boolean;
  /** Serve one namespace only (for accounts that may not list runs cluster-wide). */
  namespace?: string;
  version?: string;
  /** Where the built page is (default <package>/dist/dashboard-ui). */
  staticDir?: string;
  onError?: (err: unknown) => void;
}

export interface Dashboard {
  url: string;
  port: number;
  index: RunIndex;
  /** Starts the runs index if no page has yet; resolves when it holds its first full lists. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Where `npm run build:dashboard` writes the page. */
export function dashboardDir(): string {
  return join(packageRoot(), 'dist', 'dashboard-ui');
}

const NOT_BUILT = `<!doctype html><title>tektite dashboard</title><p>The dashboard's page is not built. Run <code>npm run build:dashboard</code> (or <code>npm ci</code>, which builds it) in the tektite checkout, then reload.</p>`;

/** Starts the dashboard; resolves when it listens (the runs index starts with the first page that needs it). */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const host = opts.host ?? '127.0.0.1';
  const onError = opts.onError ?? (() => undefined);
  const index = new RunIndex(opts.client, { ...(opts.namespace ? { namespace: opts.namespace } : {}), onError });
  const info: DashboardInfo = { readOnly: opts.readOnly === true, version: opts.version ?? '', server: opts.client.server.href, ...(opts.namespace ? { namespace: opts.namespace } : {}) };
  const dir = opts.staticDir ?? dashboardDir();
  const app = express();
  app.disable('x-powered-by');
  let port = opts.port;
  // bound to loopback: only requests naming loopback (a page of another site cannot rebind its name to us)
  if (LOOPBACK.has(host)) {
    app.use((req, res, next) => {
      const h = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (LOOPBACK.has(h)) return next();
      res.status(421).type('text/plain').send(`this dashboard answers requests to 127.0.0.1:${port} or localhost:${port} only\n`);
    });
  }
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer',
    });
    next();
  });
  app.use('/api', apiRouter({ client: opts.client, index, info, onError }));
  app.use(express.static(dir, { index: 'index.html', maxAge: 0 }));
  app.get('/', (_req, res) => void res.status(existsSync(join(dir, 'index.html')) ? 404 : 503).type('text/html').send(NOT_BUILT));
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`, port, index, ready: () => index.start(),
    close: async () => {
      index.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
