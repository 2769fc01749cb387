/**
 * `tkt controller`: the controllers only, against the cluster of the current kubeconfig or the in-cluster
 * config (the container image's entry point). src/controller is loaded on demand.
 */
import type { Command } from 'commander';
import type { KubeClient } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { InfraError } from '../errors.js';
import { importOptional } from '../optional.js';
import { waitForStop } from './wait.js';

interface ControllerModule {
  runControllers?: (o: { client: KubeClient }) => Promise<{ stop(): Promise<void> } | void>;
}

/** Registers `controller`. */
export function registerController(program: Command, io: CliIO): void {
  program.command('controller').description('Run the tektite controllers against the current cluster (kubeconfig or in-cluster)')
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const { mod, error } = await importOptional<ControllerModule>('../controller/index.js');
      if (!mod?.runControllers) throw new InfraError(`this build has no controllers (src/controller/index.ts runControllers): ${error ?? 'not exported'}`);
      const client = ctx.client();
      await ctx.ping();
      const running = await mod.runControllers({ client });
      ctx.printErr(`tektite controllers running against ${client.server.href}\n`);
      await waitForStop(ctx);
      ctx.printErr('stopping controllers...\n');
      await running?.stop();
    });
}
