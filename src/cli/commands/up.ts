/**
 * `tkt up`: the embedded cluster in the foreground (API server, controllers, kubelet, EventListener sinks)
 * until SIGINT/SIGTERM. Prints `export KUBECONFIG=<dataDir>/kubeconfig` on stdout so that
 * `eval "$(tkt up &)"`-style scripts and humans can point kubectl and tkt at it.
 */
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { CliContext, type CliIO } from '../context.js';
import { UsageError } from '../errors.js';
import { parseFeatureFlagOptions, parseHostPorts, parseLogRetention, parseLogSize, parseWebhookServices, parseAuthorizationMode, parsePort, RUNTIMES, startEmbeddedMode, type RuntimeName } from '../embedded.js';
import { parseElPorts, parseInterceptorTimeout, parsePortRange } from '../el-addresses.js';
import { startDashboardServer } from './dashboard.js';
import { waitForStop } from './wait.js';

interface UpFlags {
  dataDir: string;
  port?: string;
  runtime: RuntimeName;
  controllers: boolean;
  controllerThread?: boolean;
  eventListeners: boolean;
  allowPrivileged?: boolean;
  hostPort?: string[];
  maxLogSize?: string;
  logRetention?: string;
  admission?: boolean;
  webhookService?: string[];
  authorizationMode?: string;
  elAddress?: string;
  elPort?: string[];
  elPortRange?: string;
  interceptorTimeout?: string;
  githubApiUrl?: string;
  dashboard: boolean;
  dashboardPort: string;
}

/** Registers `up`. */
export function registerUp(program: Command, io: CliIO): void {
  program.command('up').description('Run an embedded cluster in the foreground (Ctrl-C stops it; a restart with the same --data-dir finds everything again)')
    .option('--data-dir <dir>', 'where objects, logs and volumes are kept', './.tkt')
    .option('--port <n>', 'API server port on 127.0.0.1 (default: a free port)')
    .addOption(new Option('--runtime <name>', 'how pods run').choices(RUNTIMES).default('auto'))
    .option('--no-controllers', 'API server and kubelet only (run `tkt controller` separately)')
    .option('--no-event-listeners', 'do not serve EventListeners')
    .option('--el-address <addr>', 'listen address of EventListener sinks (default 127.0.0.1; 0.0.0.0 for every interface)')
    .option('--el-port <name=port>', 'fixed sink port of an EventListener, NAME=PORT or NAMESPACE/NAME=PORT (repeatable)', (v: string, prev: string[] = []) => [...prev, v], [])
    .option('--el-port-range <from-to>', 'sink ports handed out to EventListeners with no fixed port, e.g. 8080-8099')
    .option('--interceptor-timeout <duration>', 'timeout of each interceptor call of the sinks (default 5s)')
    .option('--github-api-url <url>', 'GitHub API base for the github interceptor (default https://api.github.com)')
    .option('--feature-flags <key=value>', 'Tekton feature flag, written into tekton-pipelines/feature-flags (repeatable)', (v: string, prev: string[] = []) => [...prev, v], [])
    .option('--host-port <port>', 'a TCP port on this machine\'s loopback that steps may reach (host runtime; podman as root), e.g. a local registry (repeatable)', (v: string, prev: string[] = []) => [...prev, v], [])
    .option('--max-log-size <size>', 'cap of each container\'s stored log, like the kubelet\'s (default 20Mi); output beyond it is dropped after a "log truncated" line')
    .option('--log-retention <duration>', 'remove the logs of finished pods older than this (7d, 168h, 30m); by default logs go with their TaskRun or pod')
    .option('--no-admission', 'no built-in Tekton validation and defaults: leave them to registered admission webhooks (tkt webhook), as on a cluster')
    .option('--authorization-mode <mode>', 'AlwaysAllow (default) or RBAC: requests impersonating a user (kubectl --as, a trigger\'s serviceAccountName) are authorized by the stored Roles and bindings, as kube-apiserver --authorization-mode=RBAC')
    .option('--webhook-service <ns/name=url>', 'where an admission webhook\'s Service is reached, e.g. tektite-pipelines/tektite-webhook=https://127.0.0.1:8443 (repeatable)', (v: string, prev: string[] = []) => [...prev, v], [])
    .option('--dashboard-port <n>', 'port of the web dashboard on 127.0.0.1 (0 = a free one)', '9097')
    .option('--no-dashboard', 'do not serve the web dashboard')
    .option('--controller-thread', 'run the controllers in a worker thread of their own (a second core for them; ~40 MiB more memory)')
    .option('--allow-privileged', 'grant pods privileged containers, host namespaces, hostPath volumes and extra capabilities (trusted workloads only)')
    .action(async (flags: UpFlags & { featureFlags?: string[] }, command: Command) => {
      // a long-running server: keep the V8 heap near its live size (node:v8 loaded here, not at every start of tkt)
      (await import('../../embedded/heap-tuning.js')).tuneHeapForServer();
      const ctx = CliContext.fromCommand(io, command);
      const featureFlags = parseFeatureFlagOptions(flags.featureFlags);
      const emb = await startEmbeddedMode({
        dataDir: resolve(io.cwd, flags.dataDir), port: parsePort(flags.port), runtime: flags.runtime,
        controllers: flags.controllers, controllerThread: flags.controllerThread === true, eventListeners: flags.eventListeners, featureFlags, allowPrivileged: flags.allowPrivileged === true, hostPorts: parseHostPorts(flags.hostPort), maxLogBytes: parseLogSize(flags.maxLogSize), logRetentionMs: parseLogRetention(flags.logRetention), admission: flags.admission !== false, webhookServices: parseWebhookServices(flags.webhookService), authorizationMode: parseAuthorizationMode(flags.authorizationMode),
        eventListenerAddresses: { ...(flags.elAddress ? { host: flags.elAddress } : {}), ports: parseElPorts(flags.elPort), portRange: parsePortRange(flags.elPortRange) },
        eventListenerTuning: { httpTimeoutMs: parseInterceptorTimeout(flags.interceptorTimeout), ...(flags.githubApiUrl ? { githubApiUrl: flags.githubApiUrl } : {}) }, warn: (m) => ctx.printErr(`warning: ${m}\n`),
      });
      // the default port taken (another `tkt up`): a free one instead; a port asked for must be had
      const dashPort = parsePort(flags.dashboardPort) ?? 9097;
      const startDash = (port: number) => startDashboardServer({ client: emb.client, port, flag: '--dashboard-port', warn: (m) => ctx.printErr(`warning: ${m}\n`) });
      const dash = flags.dashboard
        ? await startDash(dashPort)
          .catch((err: unknown) => (command.getOptionValueSource('dashboardPort') === 'default' && err instanceof UsageError ? startDash(0) : Promise.reject(err)))
          .catch(async (err: unknown) => {
            await emb.stop();
            throw err;
          })
        : undefined;
      ctx.print(`export KUBECONFIG=${emb.kubeconfigPath}\n`);
      ctx.printErr(`tektite is up at ${emb.url} (runtime ${emb.runtime ?? flags.runtime}, data in ${emb.dataDir}${flags.controllers ? '' : ', no controllers'}). Ctrl-C stops it.\n`);
      if (dash) ctx.printErr(`dashboard: ${dash.url}\n`);
      const sig = await waitForStop(ctx);
      ctx.printErr(`${sig}: stopping...\n`);
      await dash?.close();
      await emb.stop();
      ctx.printErr('stopped\n');
    });
}
