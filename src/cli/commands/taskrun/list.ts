/** `tkt taskrun list [task]`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { addListFlags, KIND, type ListFlags } from '../common.js';
import { listRuns } from '../runs-shared.js';

/** Registers `list` under `taskrun`. */
export function registerTaskRunList(parent: Command, io: CliIO): void {
  const cmd = parent.command('list').alias('ls').description('List TaskRuns in a namespace (newest first)')
    .argument('[task]', 'only runs of this Task (label tekton.dev/task)');
  addListFlags(cmd, { runs: true }).action(async (task: string | undefined, flags: ListFlags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    await listRuns(ctx, KIND.TaskRun, flags, task ? `tekton.dev/task=${task}` : undefined);
  });
}
