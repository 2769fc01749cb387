/**
 * `tkt eventlistener --name N --namespace NS [--port 8080]`: one EventListener sink against the cluster (the
 * entry point of the `el-<name>` Deployment's image). The sink lives in src/triggers and is loaded on demand.
 */
import type { KubeClient } from '../../../kube/client.js';
import type { CliContext } from '../../context.js';
import { InfraError, UsageError } from '../../errors.js';
import { parseInterceptorTimeout } from '../../el-addresses.js';
import { importOptional } from '../../optional.js';
import { waitForStop } from '../wait.js';

interface SinkModule {
  startEventListenerSink?: (o: { client: KubeClient; name: string; namespace: string; port: number; metricsPort?: number; httpTimeoutMs?: number; githubApiUrl?: string; logger?: unknown }) => Promise<{ close(): Promise<void> } | void>;
  lineLogger?: (write: (namespace: string, name: string, line: string) => void) => unknown;
}

/** Runs the sink until SIGINT/SIGTERM. */
export async function serveEventListener(ctx: CliContext, name: string, portText: string, more: { interceptorTimeout?: string; githubApiUrl?: string; metricsPort?: string } = {}): Promise<void> {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port "${portText}"`);
  const metricsPort = Number(more.metricsPort ?? '9000');
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new UsageError(`invalid --metrics-port "${more.metricsPort ?? ''}" (0 turns metrics off)`);
  const httpTimeoutMs = parseInterceptorTimeout(more.interceptorTimeout);
  await ctx.ping();
  const { mod, error } = await importOptional<SinkModule>(() => import('../../../triggers/index.js'));
  if (!mod?.startEventListenerSink) throw new InfraError(`this build has no EventListener sink (src/triggers/index.ts startEventListenerSink): ${error ?? 'not exported'}`);
  const sink = await mod.startEventListenerSink({
    client: ctx.client(), name, namespace: ctx.namespace(), port, ...(metricsPort > 0 ? { metricsPort } : {}),
    // one JSON line per event on stdout: the pod's log (`tkt el logs`, `kubectl logs`)
    ...(mod.lineLogger ? { logger: mod.lineLogger((_ns, _name, line) => process.stdout.write(line)) } : {}),
    ...(httpTimeoutMs ? { httpTimeoutMs } : {}), ...(more.githubApiUrl ? { githubApiUrl: more.githubApiUrl } : {}),
  });
  ctx.printErr(`EventListener ${ctx.namespace()}/${name} listening on port ${port}\n`);
  await waitForStop(ctx);
  await sink?.close();
}
