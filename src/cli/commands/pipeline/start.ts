/** `tkt pipeline start <name>`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { startRun, type StartFlags } from '../start-shared.js';
import { addStartFlags } from '../start-flags.js';

/** Registers `start` under `pipeline`. */
export function registerPipelineStart(parent: Command, io: CliIO): void {
  const cmd = parent.command('start').description('Start a Pipeline: create a PipelineRun with the given params and workspaces')
    .argument('[name]', 'Pipeline name (optional with -f FILE)');
  addStartFlags(cmd, 'PipelineRun').action(async (name: string | undefined, flags: StartFlags, command: Command) => {
    await startRun(CliContext.fromCommand(io, command), 'Pipeline', name, flags);
  });
}
