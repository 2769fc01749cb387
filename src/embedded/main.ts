/**
 * Embedded mode: one process holding a Kubernetes-compatible API server, the same controllers that run on a
 * cluster, a local kubelet that runs the Pods on this machine, and the EventListener sinks. `tkt up` and
 * `tkt run` both start it through {@link startEmbedded}.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../paths.js';
import { lockDataDir, prepareDataDir } from './data-dir.js';
import { defaulting } from '../api/defaults.js';
import type { KubeObject } from '../api/types.js';
import { validateObject } from '../api/validate/index.js';
import { validateRunUpdate, validateRunControl } from '../api/validate/update.validate.js';
import { runControllers, type RunningControllers } from '../controller/index.js';
import { writeFeatureFlags } from '../cluster/config-maps.js';
import { LiveConfig, watchConfigMaps } from '../cluster/live-config.js';
import type { ControllerConfig } from '../controller/config.js';
import type { Logger } from '../controller/runtime/controller.js';
import { KubeClient } from '../kube/client.js';
import type { InProcessHttp } from '../kube/in-process.js';
import { ControllerThreadStartError, startControllerThread } from './controller-thread.js';
import { lineLogger, linesPerTurn, SINK_CONTAINER } from '../triggers/log-lines.js';
import { startApiServer } from './apiserver/index.js';
import type { AuthorizationMode } from './apiserver/context.js';
import { withHelperImage } from './kubelet/helper-image.js';
import { startKubelet } from './kubelet/index.js';
import { FileLogStore } from './logs.js';

export type RuntimeName = 'host' | 'podman' | 'docker' | 'noop' | 'auto';

export interface EmbeddedOptions {
  /** Where objects (SQLite), logs and volumes live; absent = a temp dir removed on stop. */
  dataDir?: string;
  port?: number;
  runtime?: RuntimeName;
  controllers?: boolean;
  eventListeners?: boolean;
  /** Keep objects in memory instead of SQLite (throwaway runs). */
  memory?: boolean;
  log?: Logger;
  controllerConfig?: Partial<ControllerConfig>;
  /** Written into tekton-pipelines/feature-flags before the controllers start (`--feature-flags`). */
  featureFlags?: Record<string, string>;
  /** Where lines about configuration that is not honoured go (stderr in the CLI). */
  warn?: (message: string) => void;
  /** Grant pods privileged containers, host namespaces, hostPath volumes and extra capabilities. */
  allowPrivileged?: boolean;
  /** Host loopback TCP ports that host-runtime pods may reach (`--host-port`). */
  hostPorts?: number[];
  /** Cap of one container's stored log in bytes (`--max-log-size`). */
  maxLogBytes?: number;
  /** Logs of finished pods older than this are removed (`--log-retention`); by default they go with their runs. */
  logRetentionMs?: number;
  /** false: no built-in Tekton validation and defaults (`--no-admission`); registered webhooks still run. */
  admission?: boolean;
  /** Admission webhooks' Services (`--webhook-service NS/NAME=URL`). */
  webhookServices?: Record<string, string>;
  /** `tkt up --authorization-mode RBAC`: impersonated requests (`kubectl --as`, a trigger's service account) are authorized by RBAC. */
  authorizationMode?: AuthorizationMode;
  /** EventListener sinks: bind address, fixed ports, port range (`tkt up --el-address/--el-port/--el-port-range`). */
  eventListenerAddresses?: { host?: string; ports?: Record<string, number>; portRange?: { from: number; to: number } };
  /** EventListener sinks: `--interceptor-timeout` and `--github-api-url`. */
  eventListenerTuning?: { httpTimeoutMs?: number; githubApiUrl?: string };
  /** Run the controllers in a worker thread (`tkt up --controller-thread`; see startControllers). */
  controllerThread?: boolean;
}

export interface Embedded {
  url: string;
  kubeconfigPath: string;
  client: KubeClient;
  dataDir: string;
  runtime: string;
  stop(): Promise<void>;
}

/** The built static step helper (`npm run build` / `prepare`). */
export function helperPath(): string {
  return process.env.TKT_ENTRYPOINT ?? join(packageRoot(), 'dist', 'entrypoint', 'entrypoint');
}

/** Tekton's webhook: validation with the live feature flags (alpha/beta gating), then update rules. */
export const admission = (config: ControllerConfig) => (obj: KubeObject, ctx: { unknownFields: 'Strict' | 'Warn' | 'Ignore'; original?: KubeObject; oldObject?: KubeObject; controlOnly?: boolean; schemaChecked?: boolean }) => {
  // a cancel or stop of a run: the rest of it was admitted when written (docs/differences.md)
  const r = ctx.controlOnly ? { errors: validateRunControl(obj), warnings: [] } : validateObject(obj, {
    unknownFields: ctx.unknownFields, features: config.features, ...(ctx.original ? { original: ctx.original } : {}), ...(ctx.schemaChecked ? { schemaChecked: true } : {}),
  });
  const errors = ctx.oldObject ? [...r.errors, ...validateRunUpdate(obj, ctx.oldObject, ctx.controlOnly === true)] : r.errors;
  return { ok: errors.length === 0, errors, warnings: r.warnings };
};

/**
 * The API server's bearer token, kept in the data dir so that kubeconfigs and clients stay valid across a
 * restart of `tkt up` on the same dir (only the owner can read it).
 */
function persistentToken(dataDir: string): string {
  const file = join(dataDir, 'token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Tekton's system namespace, where its ConfigMaps live. */
const SYSTEM_NAMESPACE = 'tekton-pipelines';

/** Starts embedded mode; resolves when the API server answers and the controllers' caches are synced. */
export async function startEmbedded(opts: EmbeddedOptions = {}): Promise<Embedded> {
  const temp = opts.dataDir === undefined;
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(join(tmpdir(), 'tektite-'));
  prepareDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  const cleanups: Array<() => Promise<void> | void> = [() => unlock(), () => { if (temp) rmSync(dataDir, { recursive: true, force: true }); }];
  const stop = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    return await startIn(dataDir, opts, cleanups, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startIn(dataDir: string, opts: EmbeddedOptions, cleanups: Array<() => Promise<void> | void>, stop: () => Promise<void>): Promise<Embedded> {
  const logs = new FileLogStore(join(dataDir, 'logs'), opts.maxLogBytes ? { maxBytes: opts.maxLogBytes } : {});
  if (opts.logRetentionMs) {
    const retention = opts.logRetentionMs;
    const sweep = setInterval(() => {
      try {
        logs.removeFinishedBefore(Date.now() - retention);
      } catch (err) {
        opts.warn?.(`log retention: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, Math.min(Math.max(retention / 4, 1000), 10 * 60_000));
    sweep.unref();
    cleanups.push(async () => clearInterval(sweep));
  }
  // one configuration object, updated in place from Tekton's ConfigMaps; admission and controllers read it
  const live = new LiveConfig({}, opts.controllerConfig ?? {});
  const config = live.config;
  const api = await startApiServer({
    // a temporary data dir (`tkt run` without --keep/--data-dir) is removed at the end: its objects stay in memory
    ...(opts.memory ? {} : { dataDir }), ...(opts.dataDir === undefined ? { memoryStore: true } : {}), port: opts.port ?? 0, logs, token: persistentToken(dataDir),
    // Pod Security admission: baseline by default (namespace labels can change it); --allow-privileged lifts it
    podSecurity: opts.allowPrivileged ? 'privileged' : 'baseline',
    // --no-admission: Tekton's validation and defaults are left to registered webhooks (`tkt webhook`), as on a cluster
    ...(opts.admission === false ? {} : {
      admission: admission(config),
      // read at each write: config-defaults changes apply to the next run
      defaults: defaulting(() => ({ timeoutMinutes: config.defaultTimeoutMinutes, serviceAccount: config.defaultServiceAccount })),
    }),
    ...(opts.webhookServices ? { webhookServices: opts.webhookServices } : {}),
    ...(opts.authorizationMode ? { authorizationMode: opts.authorizationMode } : {}),
  });
  cleanups.push(() => api.close());
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  api.writeKubeconfig(kubeconfigPath);
  const client = KubeClient.forServer({ server: api.url, token: api.token, ca: api.ca, socketPath: api.socketPath, inProcess: api.inProcess });
  const kubelet = await startKubelet({ client, logs, dataDir, runtime: opts.runtime ?? 'auto', helperPath: helperPath(), allowPrivileged: opts.allowPrivileged === true, hostPorts: [...(opts.hostPorts ?? []), apiPort(api.url)] });
  // a temporary data dir is removed at the end: Events still queued then (50/s) are not worth waiting for
  const flushMs = opts.dataDir === undefined ? 0 : 2000;
  cleanups.push(() => kubelet.stop(flushMs));
  api.setPodConnector(kubelet);
  await writeFeatureFlags(client, SYSTEM_NAMESPACE, opts.featureFlags ?? {});
  const configMaps = await watchConfigMaps(client, SYSTEM_NAMESPACE, live, {
    events: opts.controllers !== false,
    log: (level, message) => {
      if (level === 'warn' && opts.warn) opts.warn(message);
      else opts.log?.[level]({}, message);
    },
  });
  cleanups.push(() => configMaps.stop());
  if (opts.controllers !== false) {
    // podman/docker: the `prepare` init container's image must exist locally (a helper-only image made here)
    const images = await withHelperImage(kubelet.runtime, helperPath(), opts.controllerConfig ?? {});
    if (images.entrypointImage && images.nopImage) live.override({ entrypointImage: images.entrypointImage, nopImage: images.nopImage });
    const controllers = await startControllers(opts, api, live, client);
    cleanups.push(() => controllers.stop(flushMs));
  }
  // the sinks' log lines: the logs of pod el-<name>, written once per EventListener and event-loop turn
  const sinkLines = linesPerTurn((ns, name, text) => logs.append(ns, `el-${name}`, SINK_CONTAINER, text));
  const els = opts.eventListeners === false ? undefined
    : await startEventListeners(client, { ...opts.eventListenerTuning, ...opts.eventListenerAddresses, logger: lineLogger(sinkLines.write), ...(opts.dataDir === undefined ? {} : { stateFile: join(dataDir, 'eventlisteners.json') }), onError: (err: unknown) => opts.warn?.(err instanceof Error ? err.message : String(err)) });
  if (els) cleanups.push(async () => { await els.close(); sinkLines.flush(); });
  return { url: api.url, kubeconfigPath, client, dataDir, runtime: kubelet.runtime, stop };
}

/**
 * The controllers: on this thread, or in a worker thread (`controllerThread`: `tkt up --controller-thread`) so that
 * they use another core while this thread serves the API. A worker that cannot start leaves them on this thread,
 * with a warning.
 */
async function startControllers(opts: EmbeddedOptions, api: { url: string; token: string; ca: string; socketPath?: string; inProcess: InProcessHttp }, live: LiveConfig, client: KubeClient): Promise<RunningControllers> {
  if (opts.controllerThread) {
    try {
      return await startControllerThread({
        connection: { server: api.url, token: api.token, ca: api.ca, ...(api.socketPath ? { socketPath: api.socketPath } : {}) },
        inProcess: api.inProcess, live, configNamespace: SYSTEM_NAMESPACE, ...(opts.log ? { log: opts.log } : {}), ...(opts.warn ? { warn: opts.warn } : {}),
      });
    } catch (err) {
      if (!(err instanceof ControllerThreadStartError)) throw err;
      opts.warn?.(`${err.message}; the controllers run on the main thread`);
    }
  }
  return runControllers({ client, log: opts.log, liveConfig: live.config });
}

/** The API server's port: pods reach the cluster's API, as pods in Kubernetes do (still with a token). */
function apiPort(url: string): number {
  return Number(new URL(url).port);
}

/** Serves every EventListener in-process when the Triggers module is present. */
async function startEventListeners(client: KubeClient, more: Record<string, unknown>): Promise<{ close(): Promise<void> } | undefined> {
  const mod = (await import('../triggers/index.js').catch(() => undefined)) as
    | { startEventListenerManager?: (o: { client: KubeClient }) => Promise<{ close(): Promise<void> }> }
    | undefined;
  return mod?.startEventListenerManager?.({ client, ...more });
}
