/**
 * How a KubeClient reaches its API server: a kubeconfig's current context (read with client-node's KubeConfig,
 * loaded only when a kubeconfig is read), a known server with a token (embedded mode), a Unix socket or the
 * in-process handler of a server in this process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type * as ClientNode from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { InProcessHttp } from './in-process.js';
import { packageRoot } from '../paths.js';

/** How a client reaches its API server: URL, default namespace, and what each request needs (auth, TLS). */
export interface Connection {
  server: string;
  namespace: string;
  /** The bearer token, when the credentials are one (lets a same-process API server recognise its own client). */
  token?: string;
  /**
   * A Unix socket of a server in this process that serves the same API over plain HTTP (embedded mode): requests
   * to `server` go there instead, with no TLS. `server` still names the server (URLs, local write path lookup).
   */
  socketPath?: string;
  /** The request handler of a server in this process (embedded mode): requests skip sockets and HTTP altogether. */
  inProcess?: InProcessHttp;
  applyToHTTPSOptions(o: https.RequestOptions): Promise<void>;
}

/** A connection made from a KubeConfig's current context. */
export function connectionOf(kc: KubeConfig): Connection {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  return {
    server: cluster.server,
    namespace: kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default',
    token: kc.getCurrentUser()?.token,
    applyToHTTPSOptions: (o) => kc.applyToHTTPSOptions(o),
  };
}

/** A connection to a known server with a bearer token and (for a self-signed server) its CA certificate. */
export function directConnection(opts: { server: string; token: string; ca?: string; namespace?: string; socketPath?: string; inProcess?: InProcessHttp }): Connection {
  return {
    server: opts.server,
    ...(opts.socketPath ? { socketPath: opts.socketPath } : {}),
    ...(opts.inProcess ? { inProcess: opts.inProcess } : {}),
    namespace: opts.namespace ?? 'default',
    token: opts.token,
    applyToHTTPSOptions: async (o) => {
      o.headers = { ...(o.headers ?? {}), Authorization: `Bearer ${opts.token}` };
      if (opts.ca) o.ca = opts.ca;
    },
  };
}

/**
 * An agent whose connections go to a Unix socket as plain HTTP. For an https: server it is an https.Agent (the
 * https module insists on one) whose createConnection opens the socket instead of a TLS connection.
 */
export function localAgent(isHttps: boolean, socketPath: string, o: http.AgentOptions): http.Agent {
  const a = isHttps ? new https.Agent(o) : new http.Agent(o);
  (a as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect({ path: socketPath });
  return a;
}

/**
 * Where KubeConfig comes from: client-node's KubeConfig alone, bundled by scripts/build-cli.mjs (loads in ~30 ms),
 * else the whole package (~0.6 s of module loading).
 */
function kubeConfigModule(): string {
  const vendored = join(packageRoot(), 'dist', 'bundle', 'vendor', 'kubeconfig.js');
  return !process.env.TKT_FROM_SOURCE && existsSync(vendored) ? vendored : '@kubernetes/client-node';
}

/** Loads a KubeConfig: an explicit file, else $KUBECONFIG / ~/.kube/config, else in-cluster. */
export function loadKubeConfig(opts: { kubeconfig?: string; context?: string } = {}): KubeConfig {
  const { KubeConfig: KubeConfigClass } = createRequire(import.meta.url)(kubeConfigModule()) as typeof ClientNode;
  const kc = new KubeConfigClass();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) kc.setCurrentContext(opts.context);
  return kc;
}
