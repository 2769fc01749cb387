/** `tkt taskrun cancel <name>`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { KIND } from '../common.js';
import { cancelRun } from '../runs-shared.js';

/** Registers `cancel` under `taskrun`. */
export function registerTaskRunCancel(parent: Command, io: CliIO): void {
  parent.command('cancel').description('Cancel a running TaskRun')
    .argument('<name>', 'TaskRun name')
    .action(async (name: string, _flags: unknown, command: Command) => {
      await cancelRun(CliContext.fromCommand(io, command), KIND.TaskRun, name, 'TaskRunCancelled');
    });
}
