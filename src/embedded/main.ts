/**
 * Embedded mode: one process holding a Kubernetes-compatible API server, the same controllers that run on a
 * cluster, a local kubelet that runs the Pods on this machine, and the EventListener sinks. `tkt up` and
 * `tkt run` both start it through {@link startEmbedded}.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyDefaults } from '../api/defaults.js';
import type { KubeObject } from '../api/types.js';
import { validateObject } from '../api/validate/index.js';
import { validateRunUpdate } from '../api/validate/update.validate.js';
import { runControllers, type RunningControllers } from '../controller/index.js';
import { readConfigMaps, writeFeatureFlags } from '../cluster/config-maps.js';
import type { ControllerConfig } from '../controller/config.js';
import type { Logger } from '../controller/runtime/controller.js';
import { KubeClient } from '../kube/client.js';
import { startApiServer } from './apiserver/index.js';
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
  /** EventListener sinks: bind address, fixed ports, port range (`tkt up --el-address/--el-port/--el-port-range`). */
  eventListenerAddresses?: { host?: string; ports?: Record<string, number>; portRange?: { from: number; to: number } };
  /** EventListener sinks: `--interceptor-timeout` and `--github-api-url`. */
  eventListenerTuning?: { httpTimeoutMs?: number; githubApiUrl?: string };
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
  const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
  return process.env.TKT_ENTRYPOINT ?? join(root, 'dist', 'entrypoint', 'entrypoint');
}

function admission(obj: KubeObject, ctx: { unknownFields: 'Strict' | 'Warn' | 'Ignore'; original?: KubeObject; oldObject?: KubeObject }) {
  const r = validateObject(obj, { unknownFields: ctx.unknownFields, ...(ctx.original ? { original: ctx.original } : {}) });
  const errors = ctx.oldObject ? [...r.errors, ...validateRunUpdate(obj, ctx.oldObject)] : r.errors;
  return { ok: errors.length === 0, errors, warnings: r.warnings };
}

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
  mkdirSync(dataDir, { recursive: true });
  const logs = new FileLogStore(join(dataDir, 'logs'));
  const api = await startApiServer({
    ...(opts.memory ? {} : { dataDir }), port: opts.port ?? 0, logs, token: persistentToken(dataDir),
    admission, defaults: (o: KubeObject) => applyDefaults(o),
  });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  api.writeKubeconfig(kubeconfigPath);
  const client = KubeClient.forServer({ server: api.url, token: api.token, ca: api.ca });
  const kubelet = await startKubelet({ client, logs, dataDir, runtime: opts.runtime ?? 'auto', helperPath: helperPath() });
  let controllers: RunningControllers | undefined;
  if (opts.controllers !== false) {
    // podman/docker: the `prepare` init container's image must exist locally (a helper-only image made here)
    await writeFeatureFlags(client, SYSTEM_NAMESPACE, opts.featureFlags ?? {});
    const fromMaps = await readConfigMaps(client, SYSTEM_NAMESPACE, opts.warn);
    const overrides = { ...fromMaps, ...opts.controllerConfig, features: { ...fromMaps.features, ...opts.controllerConfig?.features } as ControllerConfig['features'] };
    const config = await withHelperImage(kubelet.runtime, helperPath(), overrides).catch(async (err: unknown) => {
      await kubelet.stop();
      await api.close();
      if (temp) rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
    controllers = await runControllers({ client, log: opts.log, config });
  }
  const els = opts.eventListeners === false ? undefined
    : await startEventListeners(client, { ...opts.eventListenerTuning, ...opts.eventListenerAddresses, ...(temp ? {} : { stateFile: join(dataDir, 'eventlisteners.json') }), onError: (err: unknown) => opts.warn?.(err instanceof Error ? err.message : String(err)) });
  return {
    url: api.url, kubeconfigPath, client, dataDir, runtime: kubelet.runtime,
    async stop() {
      await els?.close();
      await controllers?.stop();
      await kubelet.stop();
      await api.close();
      if (temp) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Serves every EventListener in-process when the Triggers module is present. */
async function startEventListeners(client: KubeClient, more: Record<string, unknown>): Promise<{ close(): Promise<void> } | undefined> {
  const mod = (await import('../triggers/index.js').catch(() => undefined)) as
    | { startEventListenerManager?: (o: { client: KubeClient }) => Promise<{ close(): Promise<void> }> }
    | undefined;
  return mod?.startEventListenerManager?.({ client, ...more });
}
