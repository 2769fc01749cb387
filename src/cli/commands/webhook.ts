/**
 * `tkt webhook`: Tekton's admission and conversion webhook for cluster mode (validation, defaults, v1beta1 ⇄ v1), the
 * same modules as the embedded API server's admission. Serves HTTPS on --port with the certificate in --cert-dir
 * (generated there when missing), so it runs with no cluster reachable. With a cluster reachable (kubeconfig or
 * in-cluster), the certificate lives in the Secret `webhook-certs` shared by the replicas, its CA is written into
 * the webhook configurations and conversion CRDs naming the Service, and it is renewed (checked hourly).
 * src/cluster is loaded on demand.
 */
import { Option, type Command } from 'commander';
import type { KubeClient } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { InfraError, UsageError } from '../errors.js';
import { importOptional } from '../optional.js';
import { waitForStop } from './wait.js';

interface WebhookModule {
  startWebhook?: (o: { port?: number; host?: string; certDir: string; service?: string; namespace?: string }) => Promise<{ url: string; caBundle: string; reload(cert: string, key: string): void; close(): Promise<void> }>;
  syncWebhookCerts?: (client: KubeClient, o: { namespace: string; service: string; certDir: string; hosts: string[] }) => Promise<{ cert: string; key: string }>;
  webhookHosts?: (service: string, namespace: string) => string[];
}

interface WebhookFlags {
  port: string;
  host: string;
  certDir: string;
  service: string;
  namespace?: string;
}

/** Registers `webhook`. */
export function registerWebhook(program: Command, io: CliIO): void {
  program.command('webhook').description('Serve Tekton\'s admission (/validate, /mutate) and conversion (/convert) webhook over HTTPS, for cluster mode')
    .addOption(new Option('--port <n>', 'HTTPS port').default('8443'))
    .addOption(new Option('--host <addr>', 'listen address').default('0.0.0.0'))
    .addOption(new Option('--cert-dir <dir>', 'directory of tls.crt and tls.key (a TLS Secret\'s mount); generated there when missing').default('/tmp/tektite-webhook-certs'))
    .addOption(new Option('--service <name>', 'the webhook Service, named by the certificate').default('tektite-webhook'))
    .action(async (flags: WebhookFlags, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port "${flags.port}": expected 0-65535`);
      const { mod, error } = await importOptional<WebhookModule>(() => import('../../cluster/index.js'));
      if (!mod?.startWebhook) throw new InfraError(`this build has no webhook (src/cluster/webhook): ${error ?? 'not exported'}`);
      const namespace = ctx.opts.namespace ?? process.env.SYSTEM_NAMESPACE ?? 'tektite-pipelines';
      // on a cluster: the certificate from (or into) the shared Secret, and the caBundles written, before serving
      const sync = await clusterSync(ctx, mod, { namespace, service: flags.service, certDir: flags.certDir });
      const running = await mod.startWebhook({ port, host: flags.host, certDir: flags.certDir, service: flags.service, namespace }).catch((err: unknown) => {
        throw new InfraError(`cannot start the webhook: ${err instanceof Error ? err.message : String(err)}`);
      });
      ctx.printErr(`tektite webhook serving /validate, /mutate and /convert on ${running.url.replace('127.0.0.1', flags.host)} (certificate in ${flags.certDir}${sync ? ', kept in Secret webhook-certs' : ''})\n`);
      const timer = sync ? setInterval(() => {
        void sync().then((c) => { if (c) running.reload(c.cert, c.key); }, (err: unknown) => ctx.printErr(`webhook certificate sync: ${err instanceof Error ? err.message : String(err)}\n`));
      }, 3600_000) : undefined;
      timer?.unref();
      await waitForStop(ctx);
      if (timer) clearInterval(timer);
      await running.close();
    });
}

/** With a reachable cluster: syncs the certificate once and answers a function that syncs it again; else undefined. */
async function clusterSync(ctx: CliContext, mod: WebhookModule, o: { namespace: string; service: string; certDir: string }): Promise<(() => Promise<{ cert: string; key: string } | undefined>) | undefined> {
  if (!mod.syncWebhookCerts || !mod.webhookHosts) return undefined;
  let client: KubeClient;
  try {
    client = ctx.client();
    await ctx.ping();
  } catch {
    ctx.printErr('no cluster reachable: serving the certificate in --cert-dir (write its tls.crt as the caBundle yourself)\n');
    return undefined;
  }
  const hosts = mod.webhookHosts(o.service, o.namespace);
  const sync = mod.syncWebhookCerts;
  let last: string;
  try {
    last = (await sync(client, { ...o, hosts })).cert;
  } catch (err) {
    ctx.printErr(`cannot keep the certificate in Secret ${o.namespace}/webhook-certs or write the caBundles (${err instanceof Error ? err.message : String(err)}): serving the certificate in --cert-dir; check the webhook's RBAC (config/500-webhook.yaml)\n`);
    return undefined;
  }
  return async () => {
    const c = await sync(client, { ...o, hosts });
    if (c.cert === last) return undefined;
    last = c.cert;
    return c;
  };
}
