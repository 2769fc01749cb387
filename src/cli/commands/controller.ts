/**
 * `tkt controller`: the controllers only, against the cluster of the current kubeconfig or the in-cluster
 * config (the container image's entry point). It runs the cluster controller process: leader election on a
 * Lease (only the leader reconciles), /healthz and /readyz, Prometheus /metrics, JSON logs. src/cluster is
 * loaded on demand.
 */
import { Option, type Command } from 'commander';
import { CliContext, type CliIO } from '../context.js';
import { InfraError } from '../errors.js';
import { importOptional } from '../optional.js';
import { waitForStop } from './wait.js';

interface ClusterModule {
  runClusterController?: (o: {
    kubeconfig?: string; context?: string; watchNamespace?: string; healthPort?: number; metricsPort?: number;
    host?: string; eventListeners?: boolean;
  }) => Promise<{ stop(): Promise<void>; healthUrl: string; metricsUrl: string }>;
}

interface ControllerFlags {
  healthPort: string;
  metricsPort: string;
  host: string;
  watchNamespace?: string;
  eventListeners: boolean;
}

/** Registers `controller`. */
export function registerController(program: Command, io: CliIO): void {
  program.command('controller').description('Run the tektite controllers against the current cluster (kubeconfig or in-cluster), with leader election')
    .addOption(new Option('--health-port <n>', 'port of /healthz and /readyz').default('8080'))
    .addOption(new Option('--metrics-port <n>', 'port of /metrics').default('9090'))
    .addOption(new Option('--host <addr>', 'listen address of the health and metrics endpoints').default('0.0.0.0'))
    .option('--watch-namespace <ns>', 'reconcile only this namespace (default: all)')
    .option('--no-event-listeners', 'do not manage EventListener Deployments and Services')
    .action(async (flags: ControllerFlags, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const { mod, error } = await importOptional<ClusterModule>(() => import('../../cluster/index.js'));
      if (!mod?.runClusterController) throw new InfraError(`this build has no cluster controller (src/cluster/index.ts): ${error ?? 'not exported'}`);
      ctx.client();
      await ctx.ping();
      const running = await mod.runClusterController({
        kubeconfig: ctx.opts.kubeconfig, context: ctx.opts.context, watchNamespace: flags.watchNamespace,
        healthPort: Number(flags.healthPort), metricsPort: Number(flags.metricsPort), host: flags.host, eventListeners: flags.eventListeners,
      });
      ctx.printErr(`tektite controller running (health ${running.healthUrl}, metrics ${running.metricsUrl}); only the Lease holder reconciles\n`);
      await waitForStop(ctx);
      ctx.printErr('stopping controller...\n');
      await running.stop();
    });
}
