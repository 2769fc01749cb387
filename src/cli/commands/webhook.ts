/**
 * `tkt webhook`: Tekton's admission and conversion webhook for cluster mode (validation, defaults, v1beta1 ⇄ v1), the
 * same modules as the embedded API server's admission. Serves HTTPS on --port with the certificate in --cert-dir
 * (generated there when missing), so it runs with no cluster reachable. src/cluster is loaded on demand.
 */
import { Option, type Command } from 'commander';
import { CliContext, type CliIO } from '../context.js';
import { InfraError, UsageError } from '../errors.js';
import { importOptional } from '../optional.js';
import { waitForStop } from './wait.js';

interface WebhookModule {
  startWebhook?: (o: { port?: number; host?: string; certDir: string; service?: string; namespace?: string }) => Promise<{ url: string; close(): Promise<void> }>;
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
      const { mod, error } = await importOptional<WebhookModule>('../cluster/index.js');
      if (!mod?.startWebhook) throw new InfraError(`this build has no webhook (src/cluster/webhook): ${error ?? 'not exported'}`);
      const namespace = ctx.opts.namespace ?? process.env.SYSTEM_NAMESPACE ?? 'tektite-pipelines';
      const running = await mod.startWebhook({ port, host: flags.host, certDir: flags.certDir, service: flags.service, namespace }).catch((err: unknown) => {
        throw new InfraError(`cannot start the webhook: ${err instanceof Error ? err.message : String(err)}`);
      });
      ctx.printErr(`tektite webhook serving /validate, /mutate and /convert on ${running.url.replace('127.0.0.1', flags.host)} (certificate in ${flags.certDir})\n`);
      await waitForStop(ctx);
      await running.close();
    });
}
