/** `tkt taskrun delete [names...]`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { KIND } from '../common.js';
import { deleteObjects, type DeleteFlags } from '../runs-shared.js';

/** Registers `delete` under `taskrun`. */
export function registerTaskRunDelete(parent: Command, io: CliIO): void {
  parent.command('delete').alias('rm').description('Delete TaskRuns by name, or all of them / all but the newest N')
    .argument('[names...]', 'TaskRun names')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', 'delete all (finished) TaskRuns in the namespace')
    .option('--keep <n>', 'keep the newest N TaskRuns')
    .option('--label <selector>', 'only TaskRuns matching this label selector')
    .option('-t, --task <name>', 'only runs of this Task')
    .option('-i, --ignore-running', 'with --all/--keep, leave running TaskRuns alone (the default, as tkn)')
    .option('--no-ignore-running', 'with --all/--keep, delete running TaskRuns too (tkn: --ignore-running=false)')
    .action(async (names: string[], flags: DeleteFlags & { task?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      await deleteObjects(ctx, KIND.TaskRun, names, flags, flags.task ? `tekton.dev/task=${flags.task}` : undefined);
    });
}
