/**
 * Serving sinks over HTTP: {@link startEventListenerSink} runs one EventListener's sink against a cluster (the
 * entry point of `tkt eventlistener --name N --namespace NS`); {@link listenSink} is the shared building block
 * the manager uses for each EventListener of embedded mode.
 */
import { listenMetrics, sinkMetrics } from './metrics.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../api/types.js';
import { localApiFor } from '../embedded/apiserver/local.js';
import { serviceResolver } from './services.js';
import type { KubeClient } from '../kube/client.js';
import { cloudEventSender } from './cloudevents.js';
import { outcomeRecorder, type OutcomeRecorder } from './k8s-events.js';
import { cachedLookup, type TriggerLookup } from './lookup.js';
import type { CreateIdentity } from './process.js';
import { createSinkApp, type SinkAppOptions, type SinkLogger } from './sink.js';

const SERVICE_ACCOUNT = { apiVersion: 'v1', kind: 'ServiceAccount' };

/** Tuning shared by the entry points. */
export interface SinkTuning {
  /** Body size cap in bytes (default 10 MiB). */
  maxBodyBytes?: number;
  /** Bytes of bodies in flight at once over all requests (default 64 MiB); beyond it requests get 429. */
  maxInFlightBodyBytes?: number;
  /** GitHub API base for addChangedFiles (default https://api.github.com). */
  githubApiUrl?: string;
  /** Timeout of each interceptor call (default 5 s). */
  httpTimeoutMs?: number;
  /** Step budget of one CEL evaluation (default 100,000). */
  celMaxSteps?: number;
  /** Namespaces templates may name besides the trigger's own (`*` = any). */
  allowNamespaces?: readonly string[];
  /** Fail a trigger whose serviceAccountName does not exist before creating as it (embedded mode). */
  checkServiceAccounts?: boolean;
  /** Reach `*.svc` URLs through ExternalName Services (embedded mode, no cluster DNS: see services.ts). */
  resolveServices?: boolean;
  /** Write a Kubernetes Event per trigger outcome (default true). */
  events?: boolean;
  /** Also write Triggers' `dev.tekton.event.triggers.*` Events (default: when EL_EVENT=enable, as Triggers). */
  triggersEvents?: boolean;
  /**
   * When the client's API server runs in this process (embedded mode), write through it directly instead of over
   * HTTPS: same admission and commit, a fraction of the CPU (default true).
   */
  inProcess?: boolean;
  logger?: SinkLogger;
}

/** A listening sink. */
export interface RunningSink {
  url: string;
  /** Where `/metrics` is served, when a metrics port was given. */
  metricsUrl?: string;
  /** Stops accepting requests; resolves after in-flight events finished. */
  close(): Promise<void>;
}

/**
 * The create/remove functions the sink uses: over the client's HTTPS connection, or, when that API server runs in
 * this process with the client's token and `inProcess` is not false, through it directly (see LocalApi). A trigger
 * with a `serviceAccountName` creates over HTTP with `Impersonate-User: system:serviceaccount:NS:NAME`, as Triggers
 * does, so that the API server's RBAC decides; with `checkServiceAccounts` (embedded mode) a missing account fails
 * the trigger first. `handOver`: the objects given to `create` are the caller's to give away (plain JSON data it does
 * not use again, as the sink's rendered templates are), so the in-process API server need not copy them.
 */
export function clientWriters(client: KubeClient, inProcess = true, checkServiceAccounts = false, handOver = false): Pick<SinkAppOptions, 'create' | 'remove'> {
  const local = inProcess ? localApiFor(client.server.href, client.connection.token) : undefined;
  const ns = client.defaultNamespace;
  const given = { handOver };
  const plain = local ? (obj: KubeObject) => local.create(obj, ns, given) : (obj: KubeObject) => client.create(obj);
  const asAccount = async (obj: KubeObject, as: CreateIdentity): Promise<KubeObject> => {
    if (checkServiceAccounts && !(await client.tryGet(SERVICE_ACCOUNT, as.namespace, as.serviceAccount))) {
      throw new Error(`serviceaccount ${as.namespace}/${as.serviceAccount} (the trigger's serviceAccountName) not found`);
    }
    return client.impersonating(`system:serviceaccount:${as.namespace}:${as.serviceAccount}`).create({ ...obj, metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? as.namespace } });
  };
  return {
    create: (obj: KubeObject, as?: CreateIdentity) => (as ? asAccount(obj, as) : plain(obj)),
    remove: local ? (obj: KubeObject) => local.remove(obj, ns) : (obj: KubeObject) => client.delete(obj, obj.metadata.namespace, obj.metadata.name ?? ''),
  };
}

/** Serves one EventListener's sink on host:port with the given lookup and recorder. */
export async function listenSink(opts: {
  client: KubeClient; name: string; namespace: string; port: number; host: string;
  lookup: TriggerLookup; recorder?: OutcomeRecorder; tuning?: SinkTuning;
  /** How objects are created and deleted (default: {@link clientWriters} of `client`). */
  writers?: Pick<SinkAppOptions, 'create' | 'remove'>;
}): Promise<RunningSink> {
  const t = opts.tuning ?? {};
  const cloudEvents = cloudEventSender({ onError: (err) => t.logger?.warn({ eventlistener: opts.name, namespace: opts.namespace, err: err instanceof Error ? err.message : String(err) }, 'CloudEvent not delivered') });
  const app = createSinkApp({
    name: opts.name, namespace: opts.namespace, lookup: opts.lookup, resolveUrl: t.resolveServices ? serviceResolver(opts.client) : undefined, ...(opts.writers ?? clientWriters(opts.client, t.inProcess, t.checkServiceAccounts, true)),
    maxBodyBytes: t.maxBodyBytes, maxInFlightBodyBytes: t.maxInFlightBodyBytes, githubApiUrl: t.githubApiUrl, httpTimeoutMs: t.httpTimeoutMs, celMaxSteps: t.celMaxSteps,
    allowNamespaces: t.allowNamespaces, recorder: t.events === false ? undefined : opts.recorder, logger: t.logger, cloudEvents,
    triggersEvents: t.triggersEvents ?? process.env.EL_EVENT === 'enable',
  });
  const server = http.createServer(app);
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await cloudEvents.pending();
    },
  };
}

/** Options of {@link startEventListenerSink}. */
export interface EventListenerSinkOptions extends SinkTuning {
  client: KubeClient;
  name: string;
  namespace: string;
  /** Port to listen on (0 = ephemeral). */
  port: number;
  /** Listen address (default 0.0.0.0, as a sink in a pod must be reachable through its Service). */
  host?: string;
  /** Port of `/metrics` (the pod's http-metrics port, 9000 in cluster mode); none when absent. */
  metricsPort?: number;
}

/**
 * Runs one EventListener's sink against the cluster of `client` (watch-backed caches of Triggers objects and
 * Secrets, Kubernetes Events for outcomes). Resolves once listening.
 */
export async function startEventListenerSink(opts: EventListenerSinkOptions): Promise<RunningSink> {
  const lookup = cachedLookup(opts.client);
  const recorder = outcomeRecorder(clientWriters(opts.client, opts.inProcess).create);
  const metrics = opts.metricsPort !== undefined ? sinkMetrics(opts.logger) : undefined;
  const tuning = metrics ? { ...opts, logger: metrics.logger } : opts;
  const sink = await listenSink({ ...opts, host: opts.host ?? '0.0.0.0', lookup, recorder, tuning });
  const metricsEndpoint = metrics && opts.metricsPort !== undefined ? await listenMetrics(opts.host ?? '0.0.0.0', opts.metricsPort, metrics.registry) : undefined;
  return {
    url: sink.url,
    ...(metricsEndpoint ? { metricsUrl: metricsEndpoint.url } : {}),
    async close() {
      await metricsEndpoint?.close();
      await sink.close();
      await recorder.flush();
      lookup.stop();
    },
  };
}
