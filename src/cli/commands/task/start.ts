/** `tkt task start <name>`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { startRun, type StartFlags } from '../start-shared.js';
import { addStartFlags } from '../start-flags.js';

/** Registers `start` under `task`. */
export function registerTaskStart(parent: Command, io: CliIO): void {
  const cmd = parent.command('start').description('Start a Task: create a TaskRun with the given params and workspaces')
    .argument('[name]', 'Task name (optional with -f FILE)');
  addStartFlags(cmd, 'TaskRun').action(async (name: string | undefined, flags: StartFlags, command: Command) => {
    await startRun(CliContext.fromCommand(io, command), 'Task', name, flags);
  });
}
