/**
 * The controller process for a real cluster (`tkt controller`, the image's default entry point): kubeconfig or
 * in-cluster config, leader election on a Lease (only the holder reconciles), health and metrics endpoints,
 * JSON logs. The leader runs the TaskRun/PipelineRun controllers, the EventListener controller and the run
 * metrics' informers; losing the Lease stops them and the replica campaigns again.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { KubeObject } from '../api/types.js';
import type { ControllerConfig } from '../controller/config.js';
import { runEventListenerController } from '../controller/eventlistener/index.js';
import { runControllers } from '../controller/index.js';
import { LeaderElector, type LeaderWork } from '../controller/leader/index.js';
import { RunMetrics } from '../controller/metrics/index.js';
import type { Logger } from '../controller/runtime/controller.js';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { parseConfigMapKeys } from './config-keys.js';
import { LiveConfig, watchConfigMaps } from './live-config.js';
import { listenHealth, listenMetrics, type Endpoint, type HealthState } from './http.js';
import { createLogger } from './logger.js';

/** The image tektite runs from when nothing else is said (controller, step helper, EventListener sinks). */
export const DEFAULT_IMAGE = 'ghcr.io/tektite/tektite:latest';

/** Options of {@link runClusterController}; every one has a default fit for the Deployment in config/. */
export interface ClusterControllerOptions {
  /** Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else in-cluster). */
  kubeconfig?: string;
  context?: string;
  /** System namespace holding the Lease and the config maps (default $SYSTEM_NAMESPACE or tektite-pipelines). */
  namespace?: string;
  /** Reconcile only this namespace (default: all). */
  watchNamespace?: string;
  /** Port of /healthz and /readyz (default 8080; 0 = ephemeral). */
  healthPort?: number;
  /** Port of /metrics (default 9090; 0 = ephemeral). */
  metricsPort?: number;
  /** Listen address of both endpoints (default 0.0.0.0). */
  host?: string;
  /** Leader-election identity (default $POD_NAME, else host name + random suffix). */
  identity?: string;
  /** The tektite image: step helper for `prepare`, nop image, EventListener sinks (default $TEKTITE_IMAGE). */
  image?: string;
  /** Run the EventListener controller (default true). */
  eventListeners?: boolean;
  /** Lease timing; defaults 15 s lease, 10 s renew deadline, 2 s retry period. */
  leaderElection?: { leaseName?: string; leaseDurationSeconds?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /** Extra controller settings (override the config maps). */
  config?: Partial<ControllerConfig>;
  log?: Logger;
}

/** A running controller process. */
export interface ClusterController {
  identity: string;
  healthUrl: string;
  metricsUrl: string;
  isLeader(): boolean;
  /** Graceful shutdown: stops reconciling, releases the Lease, closes the endpoints. */
  stop(): Promise<void>;
}

/** Name of the Lease the replicas compete for. */
export const LEASE_NAME = 'tektite-pipelines-controller';

/** Starts the controller process; resolves once its endpoints listen and the election loop runs. */
export async function runClusterController(opts: ClusterControllerOptions = {}): Promise<ClusterController> {
  const identity = opts.identity ?? process.env.POD_NAME ?? `${hostname()}_${randomUUID().slice(0, 8)}`;
  const log = opts.log ?? createLogger({ base: { component: 'controller', identity } });
  const client = new KubeClient(loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));
  const systemNamespace = opts.namespace ?? process.env.SYSTEM_NAMESPACE ?? 'tektite-pipelines';
  const image = opts.image ?? process.env.TEKTITE_IMAGE ?? DEFAULT_IMAGE;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const runMetrics = new RunMetrics(registry);
  const le = { ...(await leaderElectionConfig(client, systemNamespace, log)), ...opts.leaderElection };
  const lease = le.leaseName ?? LEASE_NAME;
  const elector = new LeaderElector({
    client, namespace: systemNamespace, name: lease, identity, log,
    leaseDurationSeconds: le.leaseDurationSeconds, renewDeadlineMs: le.renewDeadlineMs, retryPeriodMs: le.retryPeriodMs,
    startLeading: () => startLeaderWork({ client, opts, systemNamespace, image, log, runMetrics }),
  });
  const state = { stopping: false };
  const [health, metrics] = await startEndpoints(opts, registry, {
    alive: () => true, ready: () => !state.stopping, details: () => ({ identity, leader: elector.isLeader }),
  });
  elector.start();
  log.info({ server: client.server.href, lease: `${systemNamespace}/${lease}`, health: health.url, metrics: metrics.url }, 'controller started; campaigning for leadership');
  return {
    identity, healthUrl: health.url, metricsUrl: metrics.url,
    isLeader: () => elector.isLeader,
    async stop() {
      if (state.stopping) return;
      state.stopping = true;
      log.info({}, 'shutting down');
      await elector.stop({ release: true });
      await Promise.all([health.close(), metrics.close()]);
      log.info({}, 'stopped');
    },
  };
}

/** Opens the health and metrics endpoints (both or neither). */
async function startEndpoints(opts: ClusterControllerOptions, registry: Registry, state: HealthState): Promise<[Endpoint, Endpoint]> {
  const host = opts.host ?? '0.0.0.0';
  const health = await listenHealth(host, opts.healthPort ?? 8080, state);
  try {
    return [health, await listenMetrics(host, opts.metricsPort ?? 9090, registry)];
  } catch (err) {
    await health.close();
    throw err;
  }
}

interface LeaderDeps {
  client: KubeClient;
  opts: ClusterControllerOptions;
  systemNamespace: string;
  image: string;
  log: Logger;
  runMetrics: RunMetrics;
}

/**
 * config-leader-election (or Knative's newer name config-leader-election-controller), read once at start as
 * Knative does: a later change is logged as taking effect at the next start. Bad timings fall back to defaults.
 */
async function leaderElectionConfig(client: KubeClient, namespace: string, log: Logger): Promise<ControllerConfig['leaderElection']> {
  const out: NonNullable<ControllerConfig['leaderElection']> = {};
  for (const name of ['config-leader-election', 'config-leader-election-controller']) {
    const cm = await client.tryGet<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap' }, namespace, name).catch(() => undefined);
    for (const { key, outcome } of parseConfigMapKeys(name, cm?.data)) {
      if ('set' in outcome) Object.assign(out, outcome.set.leaderElection);
      else log.warn({ configMap: name }, `ConfigMap ${namespace}/${name}: ${key}: ${outcome.problem}; not applied`);
    }
  }
  const lease = (out.leaseDurationSeconds ?? 15) * 1000;
  const renew = out.renewDeadlineMs ?? 10_000;
  if (renew >= lease || (out.retryPeriodMs ?? 2_000) >= renew) {
    log.warn({ configMap: 'config-leader-election' }, 'config-leader-election: need retry-period < renew-deadline < lease-duration; the defaults (2s, 10s, 15s) apply');
    return {};
  }
  return out;
}

/** What the leader runs: config maps (watched) → controllers, EventListener controller, metrics informers. */
async function startLeaderWork(d: LeaderDeps): Promise<LeaderWork> {
  const live = new LiveConfig({ entrypointImage: d.image, nopImage: d.image }, d.opts.config ?? {});
  const config = live.config;
  const stops: Array<() => Promise<void> | void> = [];
  try {
    const configMaps = await watchConfigMaps(d.client, d.systemNamespace, live, {
      log: (level, message) => d.log[level]({ configMaps: d.systemNamespace }, message),
      onChange: (name) => {
        if (name.startsWith('config-leader-election')) d.log.warn({ configMap: name }, `${name} changed: leader election timings take effect when the controller restarts`);
      },
    }).catch((err: unknown) => {
      d.log.warn({ err: err instanceof Error ? err.message : String(err) }, `could not watch the ConfigMaps of ${d.systemNamespace}; Tekton's defaults apply`);
      return undefined;
    });
    if (configMaps) stops.push(() => configMaps.stop());
    const metrics = await d.runMetrics.watch({ client: d.client, namespace: d.opts.watchNamespace });
    stops.push(() => metrics.stop());
    const controllers = await runControllers({ client: d.client, liveConfig: config, log: d.log, namespace: d.opts.watchNamespace });
    stops.push(() => controllers.stop());
    if (d.opts.eventListeners !== false) {
      const els = await runEventListenerController({ client: d.client, image: d.image, log: d.log, namespace: d.opts.watchNamespace });
      stops.push(() => els.stop());
    }
  } catch (err) {
    for (const s of stops.reverse()) await s();
    throw err;
  }
  d.log.info({ defaultTimeoutMinutes: config.defaultTimeoutMinutes, image: d.image }, 'controllers running');
  return {
    async stop() {
      for (const s of [...stops].reverse()) await s();
      d.log.info({}, 'controllers stopped');
    },
  };
}

/** Stops `running` on SIGTERM or SIGINT, then exits (for scripts; the CLI handles signals itself). */
export function stopOnSignals(running: { stop(): Promise<void> }, exit: (code: number) => void = (c) => process.exit(c)): void {
  const handler = (): void => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
    running.stop().then(() => exit(0), () => exit(1));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
