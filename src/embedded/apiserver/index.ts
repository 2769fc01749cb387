/**
 * The embedded Kubernetes-compatible API server: `startApiServer` opens the store (SQLite under `dataDir`, or
 * memory), makes sure the standard namespaces exist, starts the garbage collector and serves HTTP on
 * 127.0.0.1 over HTTPS (a self-signed certificate, kept under `dataDir`) with a bearer token. See docs in DESIGN.md "Embedded API server".
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIPv4 } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { kindFor } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { LogStore } from '../logs.js';
import { convertObject } from '../../api/convert/index.js';
import { resourceKey, type AdmissionFn, type AuthorizationMode, type ConvertFn, type DefaultsFn, type ServerContext } from './context.js';
import { GarbageCollector } from './gc.js';
import { writeKubeconfigFile } from './kubeconfig.js';
import { registerLocalApi } from './local.js';
import { inProcessHttp } from './in-process.js';
import type { InProcessHttp } from '../../kube/in-process.js';
import { bootstrapClusterRoles } from './rbac.js';
import { removeLogsWithOwners } from './log-retention.js';
import { localWrites } from './local-writes.js';
import { upgradeHandler, type PodConnector } from './exec.js';
import { authorized, requestHandler } from './server.js';
import { openStore } from './store-sqlite.js';
import type { Store } from './store.js';
import { servingCert } from './tls.js';
import type { PodSecurityLevel } from './pod-security.js';
import { createObject, ensureDefaultServiceAccount } from './write.js';
import { WriteQueue } from './write-queue.js';

export type { AdmissionFn, ConvertFn, DefaultsFn, FieldIssue } from './context.js';
export type { Store, StoreEvent, StoredRef } from './store.js';
export { StoreError } from './store.js';
export { openStore } from './store-sqlite.js';
export { kubeconfigYaml } from './kubeconfig.js';
export { localApiFor, type LocalApi } from './local.js';
export type { PodConnector } from './exec.js';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  /** Directory for the SQLite file (unless `memoryStore`), the serving certificate and the in-process socket; absent = memory, no socket. */
  dataDir?: string;
  /** Objects in memory even with a `dataDir` (a throwaway data dir: nothing would read the database again). */
  memoryStore?: boolean;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0 = ephemeral). */
  port?: number;
  /** Bearer token clients must send (random when absent). */
  token?: string;
  /** Container logs served by pods/log. */
  logs: LogStore;
  /** Admission for Tekton/Triggers kinds on create/update/patch (errors → 422, warnings → Warning headers). */
  admission?: AdmissionFn;
  /** Defaulting for Tekton/Triggers kinds, before admission. */
  defaults?: DefaultsFn;
  /** Version conversion between served versions of a kind (default: Tekton's, src/api/convert). */
  convert?: ConvertFn;
  /** Events kept for watch resume (default 10,000). */
  eventWindow?: number;
  /** Pod Security level of namespaces without an enforce label (default baseline). */
  podSecurity?: PodSecurityLevel;
  /** Interval of watch BOOKMARKs (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Clock (default: the real one). */
  now?: () => Date;
  /** Admission webhooks' Services (`ns/name` → base URL such as `https://127.0.0.1:8443`). */
  webhookServices?: Record<string, string>;
  /** `RBAC`: requests impersonating a user (`kubectl --as`) are authorized by RBAC; default `AlwaysAllow`. */
  authorizationMode?: AuthorizationMode;
}

/** A running API server. */
export interface ApiServer {
  /** `https://127.0.0.1:<port>` (kubectl sends bearer tokens only over TLS). */
  url: string;
  token: string;
  /** PEM of the self-signed serving certificate (trust it as the CA; the kubeconfig carries it). */
  ca: string;
  /**
   * A Unix socket in the data dir serving the same API over plain HTTP (same bearer token), for the clients of this
   * process: no TLS handshake or encryption between components of one process. Undefined when the path is too long.
   */
  socketPath?: string;
  /** The same API for clients of this process with no socket at all (see src/kube/in-process.ts). */
  inProcess: InProcessHttp;
  store: Store;
  /** Ends streams, stops the collector, closes the listener and the store. */
  close(): Promise<void>;
  /** Ends every open watch and log follow (clients reconnect and resume); for tests and load shedding. */
  dropWatches(): void;
  /** Sets where pods/exec runs commands (the kubelet of this process); until then exec answers 400. */
  setPodConnector(connector: PodConnector): void;
  /** Writes a kubeconfig for this server (context `tektite`, namespace `default` unless given). */
  writeKubeconfig(path: string, opts?: { namespace?: string }): void;
}

const STANDARD_NAMESPACES = ['default', 'kube-system', 'kube-public'];

function ensureNamespaces(ctx: ServerContext): void {
  const info = kindFor('v1', 'Namespace');
  if (!info) throw new Error('registry has no Namespace kind');
  for (const name of STANDARD_NAMESPACES) {
    if (ctx.store.get(resourceKey(info), '', name)) continue;
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
    createObject(ctx, info, ns, { dryRun: false, fieldValidation: 'Ignore' });
  }
  // a data dir written before namespaces got their `default` ServiceAccount
  for (const ns of ctx.store.list(resourceKey(info))) ensureDefaultServiceAccount(ctx, ns.metadata.name ?? '');
}

/** Kubernetes' user-facing ClusterRoles (cluster-admin; admin, edit, view by aggregation), when missing. */
function ensureClusterRoles(ctx: ServerContext): void {
  const info = kindFor('rbac.authorization.k8s.io/v1', 'ClusterRole');
  if (!info) return;
  for (const role of bootstrapClusterRoles()) {
    if (!ctx.store.get(resourceKey(info), '', role.metadata.name ?? '')) createObject(ctx, info, role, { dryRun: false, fieldValidation: 'Ignore' });
  }
}

function listen(server: https.Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function makeContext(opts: ApiServerOptions, store: Store, holder: { gc?: GarbageCollector }): ServerContext {
  return {
    store, logs: opts.logs, admission: opts.admission, defaults: opts.defaults, convert: opts.convert ?? convertObject,
    now: opts.now ?? (() => new Date()), bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 10_000, podSecurity: opts.podSecurity ?? 'baseline', kickGc: () => holder.gc?.kick(),
    writes: new WriteQueue(store), ...(opts.webhookServices ? { webhookServices: opts.webhookServices } : {}), ...(opts.authorizationMode ? { authorizationMode: opts.authorizationMode } : {}),
  };
}

/** Longest path a Unix socket address holds on Linux (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/** The in-process listener (see ApiServer.socketPath); none in memory or when the path is too long for a socket. */
async function listenLocal(dataDir: string | undefined, handler: http.RequestListener): Promise<{ server: http.Server; path: string } | undefined> {
  if (!dataDir) return undefined;
  const path = join(dataDir, 'apiserver.sock');
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) return undefined;
  rmSync(path, { force: true });
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return { server, path };
}

/** Starts the embedded API server. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const store = openStore(opts.memoryStore ? undefined : opts.dataDir, { eventWindow: opts.eventWindow });
  const holder: { gc?: GarbageCollector } = {};
  const ctx = makeContext(opts, store, holder);
  ensureNamespaces(ctx);
  ensureClusterRoles(ctx);
  const gc = new GarbageCollector(ctx);
  holder.gc = gc;
  gc.start();
  const token = opts.token ?? randomBytes(24).toString('hex');
  const host = opts.host ?? '127.0.0.1';
  const streams = new Set<() => void>();
  let address = '';
  const ips = ['127.0.0.1', ...(isIPv4(host) && host !== '0.0.0.0' && host !== '127.0.0.1' ? [host] : [])];
  const tls = servingCert(opts.dataDir, ips);
  const server = https.createServer({ cert: tls.cert, key: tls.key }, requestHandler(ctx, token, () => address, streams));
  server.keepAliveTimeout = 65_000;
  const addr = await listen(server, host, opts.port ?? 0).catch((err: unknown) => {
    gc.stop();
    store.close();
    throw err;
  });
  address = `${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
  const url = `https://${address}`;
  const handler = requestHandler(ctx, token, () => address, streams);
  const local = await listenLocal(opts.dataDir, handler);
  let connector: PodConnector | undefined;
  const tokenBuf = Buffer.from(token);
  const onUpgrade = upgradeHandler(ctx, { authorized: (req) => authorized(req, tokenBuf), connector: () => connector, streams });
  for (const srv of [server, local?.server]) srv?.on('upgrade', onUpgrade);
  const unregister = registerLocalApi(url, token, localWrites(ctx));
  const stopLogRetention = removeLogsWithOwners(store, opts.logs);
  const dropWatches = (): void => { for (const stop of [...streams]) stop(); };
  return {
    url, token, store, ca: tls.cert, dropWatches, socketPath: local?.path, inProcess: inProcessHttp(handler),
    setPodConnector: (c) => { connector = c; },
    writeKubeconfig: (file, o = {}) => writeKubeconfigFile(file, { server: url, token, ca: tls.cert, namespace: o.namespace }),
    close: async () => {
      unregister();
      stopLogRetention();
      dropWatches();
      gc.stop();
      await Promise.all([server, local?.server].map((srv) => srv && new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      })));
      if (local) rmSync(local.path, { force: true });
      store.close();
    },
  };
}
