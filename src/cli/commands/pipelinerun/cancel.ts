/** `tkt pipelinerun cancel <name>`. */
import { Option, type Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { KIND } from '../common.js';
import { cancelRun } from '../runs-shared.js';

/** Registers `cancel` under `pipelinerun`. */
export function registerPipelineRunCancel(parent: Command, io: CliIO): void {
  parent.command('cancel').description('Cancel a running PipelineRun')
    .argument('<name>', 'PipelineRun name')
    .addOption(new Option('--grace <mode>', 'graceful cancellation: run finally tasks (CancelledRunFinally) or let running tasks end (StoppedRunFinally)').choices(['CancelledRunFinally', 'StoppedRunFinally']))
    .action(async (name: string, flags: { grace?: string }, command: Command) => {
      await cancelRun(CliContext.fromCommand(io, command), KIND.PipelineRun, name, flags.grace ?? 'Cancelled');
    });
}
