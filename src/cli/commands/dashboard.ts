/**
 * `tkt dashboard`: the web dashboard against the cluster of the current kubeconfig (or in-cluster config: the
 * Deployment in config/dashboard/), and the part of `tkt up` that starts it next to embedded mode. The server
 * (src/dashboard/server) is loaded on demand.
 */
import { Option, type Command } from 'commander';
import type { KubeClient } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { parsePort } from '../embedded.js';
import { InfraError, UsageError } from '../errors.js';
import { importOptional } from '../optional.js';
import { TKT_VERSION } from '../version.js';
import { waitForStop } from './wait.js';

interface DashboardModule {
  startDashboard?: (o: { client: KubeClient; port: number; host?: string; readOnly?: boolean; namespace?: string; version?: string; onError?: (err: unknown) => void }) => Promise<{ url: string; close(): Promise<void> }>;
}

/** Starts the dashboard server; a port in use is a usage error naming the flag. */
export async function startDashboardServer(o: { client: KubeClient; port: number; host?: string; readOnly?: boolean; namespace?: string; flag: string; warn: (m: string) => void }): Promise<{ url: string; close(): Promise<void> }> {
  const { mod, error } = await importOptional<DashboardModule>(() => import('../../dashboard/server/index.js'));
  if (!mod?.startDashboard) throw new InfraError(`this build has no dashboard (src/dashboard/server): ${error ?? 'not exported'}`);
  let last = '';
  try {
    return await mod.startDashboard({
      client: o.client, port: o.port, version: TKT_VERSION,
      ...(o.host ? { host: o.host } : {}), ...(o.readOnly ? { readOnly: true } : {}), ...(o.namespace ? { namespace: o.namespace } : {}),
      // the same failure repeated (API server down) is said once
      onError: (err) => {
        const m = err instanceof Error ? err.message : String(err);
        if (m !== last) o.warn(`dashboard: ${(last = m)}`);
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'EADDRINUSE') throw new UsageError(`the dashboard cannot listen on port ${o.port}: it is in use (choose another with ${o.flag}, or 0 for a free one)`);
    throw err;
  }
}

interface DashboardFlags {
  port: string;
  address: string;
  readOnly?: boolean;
  watchNamespace?: string;
}

/** Registers `dashboard`. */
export function registerDashboard(program: Command, io: CliIO): void {
  program.command('dashboard').description('Serve the web dashboard (runs, live DAG and logs, rerun/cancel) for the current cluster')
    .addOption(new Option('--port <n>', 'port to listen on (0 = a free one)').default('9097'))
    .addOption(new Option('--address <addr>', 'listen address (0.0.0.0 to serve other machines: there is no login, put it behind one)').default('127.0.0.1'))
    .option('--read-only', 'show only: no rerun, cancel or delete')
    .option('--watch-namespace <ns>', 'serve this namespace only (for accounts that may not list runs cluster-wide)')
    .action(async (flags: DashboardFlags, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const port = parsePort(flags.port);
      if (port === undefined) throw new UsageError('--port needs a value');
      await ctx.ping();
      const dash = await startDashboardServer({
        client: ctx.client(), port, host: flags.address, readOnly: flags.readOnly === true, flag: '--port',
        ...(flags.watchNamespace ? { namespace: flags.watchNamespace } : {}), warn: (m) => ctx.printErr(`warning: ${m}\n`),
      });
      ctx.printErr(`tektite dashboard at ${dash.url}${flags.readOnly ? ' (read-only)' : ''}. Ctrl-C stops it.\n`);
      await waitForStop(ctx);
      await dash.close();
    });
}
