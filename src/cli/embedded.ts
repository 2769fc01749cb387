/**
 * Loads embedded mode (src/embedded/main.ts) on demand, so the resource commands work even in a build or
 * checkout where embedded mode is broken or absent.
 */
import { parseGoDuration } from '../api/validate/duration.js';
import type { KubeClient } from '../kube/client.js';
import { featureFlagArgs } from '../cluster/feature-flags.js';
import { InfraError, UsageError } from './errors.js';
import { importOptional } from './optional.js';

/** The runtimes of the local kubelet. */
export const RUNTIMES = ['host', 'podman', 'docker', 'noop', 'auto'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** Options of startEmbedded (the part the CLI uses). */
export interface EmbeddedStartOptions {
  dataDir?: string;
  port?: number;
  runtime?: RuntimeName;
  controllers?: boolean;
  /** Controllers in a worker thread of their own (`tkt up --controller-thread`). */
  controllerThread?: boolean;
  eventListeners?: boolean;
  quiet?: boolean;
  /** `--feature-flags`: written into tekton-pipelines/feature-flags before the controllers start. */
  featureFlags?: Record<string, string>;
  /** Lines about configuration that is not honoured. */
  warn?: (message: string) => void;
  /** Grant privileged containers, host namespaces, hostPath volumes and extra capabilities. */
  allowPrivileged?: boolean;
  /** Host loopback TCP ports that host-runtime pods may reach. */
  hostPorts?: number[];
  /** Cap of one container's stored log in bytes. */
  maxLogBytes?: number;
  logRetentionMs?: number;
  admission?: boolean;
  webhookServices?: Record<string, string>;
  authorizationMode?: 'AlwaysAllow' | 'RBAC';
  /** `tkt up --el-address/--el-port/--el-port-range`. */
  eventListenerAddresses?: { host?: string; ports?: Record<string, number>; portRange?: { from: number; to: number } };
  /** EventListener sinks: `--interceptor-timeout` and `--github-api-url`. */
  eventListenerTuning?: { httpTimeoutMs?: number; githubApiUrl?: string };
}

/** Parses `--max-log-size` (`20Mi`, `512Ki`, `1G`, bytes); undefined when not given. */
export function parseLogSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\s*(Ki|Mi|Gi|K|M|G|KB|MB|GB)?$/i.exec(text.trim());
  const unit: Record<string, number> = { ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, k: 1000, m: 1000 ** 2, g: 1000 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };
  const n = m ? Number(m[1]) * (m[2] ? unit[m[2].toLowerCase()] ?? NaN : 1) : NaN;
  if (!Number.isFinite(n) || n < 1024) throw new UsageError(`invalid --max-log-size "${text}": expected a size of at least 1Ki, like 20Mi or 512Ki`);
  return n;
}

/** Parses `--log-retention` (a Go duration such as 168h or 30m, or days: 7d). */
export function parseLogRetention(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const days = /^(\d+)d$/.exec(text.trim());
  const ms = days ? Number(days[1]) * 86_400_000 : parseGoDuration(text.trim());
  if (ms === undefined || !Number.isFinite(ms) || ms < 1000) throw new UsageError(`invalid --log-retention "${text}": expected a duration of at least 1s, like 7d, 168h or 30m`);
  return ms;
}

/** Checks `--authorization-mode` (kube-apiserver's names; the two this server knows). */
export function parseAuthorizationMode(v: unknown): 'AlwaysAllow' | 'RBAC' | undefined {
  if (v === undefined) return undefined;
  if (v === 'AlwaysAllow' || v === 'RBAC') return v;
  throw new UsageError(`invalid --authorization-mode "${String(v)}": expected AlwaysAllow or RBAC`);
}

/** Parses `--webhook-service NAMESPACE/NAME=URL` (repeatable). */
export function parseWebhookServices(args: string[] | undefined): Record<string, string> | undefined {
  if (!args || args.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const a of args) {
    const m = /^([a-z0-9-]+)\/([a-z0-9-]+)=(https:\/\/\S+)$/.exec(a);
    if (!m) throw new UsageError(`invalid --webhook-service "${a}": expected NAMESPACE/NAME=https://HOST:PORT, e.g. tektite-pipelines/tektite-webhook=https://127.0.0.1:8443`);
    out[`${m[1]}/${m[2]}`] = m[3] as string;
  }
  return out;
}

/** Parses `--host-port PORT` (repeatable). */
export function parseHostPorts(args: string[] | undefined): number[] {
  return (args ?? []).map((a) => {
    const n = Number(a);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`invalid --host-port "${a}": expected a TCP port 1-65535 on this machine's loopback`);
    return n;
  });
}

/** Parses `--feature-flags KEY=VALUE` (repeatable); anything tektite does not honour is a usage error. */
export function parseFeatureFlagOptions(args: string[] | undefined): Record<string, string> {
  const { data, problems } = featureFlagArgs(args ?? []);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return data;
}

/** A running embedded cluster. */
export interface EmbeddedHandle {
  url: string;
  kubeconfigPath: string;
  client: KubeClient;
  dataDir: string;
  runtime?: string;
  stop(): Promise<void>;
}

interface EmbeddedModule {
  startEmbedded?: (opts: EmbeddedStartOptions) => Promise<EmbeddedHandle>;
}

/** Starts embedded mode; a missing module or a failure to start is an infrastructure error (exit 3). */
export async function startEmbeddedMode(opts: EmbeddedStartOptions): Promise<EmbeddedHandle> {
  const { mod, error } = await importOptional<EmbeddedModule>(() => import('../embedded/main.js'));
  if (!mod?.startEmbedded) throw new InfraError(`embedded mode is not available in this build: ${error ?? 'src/embedded/main.ts has no startEmbedded'}`);
  try {
    return await mod.startEmbedded(opts);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new InfraError(`cannot start embedded mode: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Parses `--port`. */
export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`invalid --port "${text}": expected 0-65535`);
  return n;
}
