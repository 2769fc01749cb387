/** `tkt task delete [names...]`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { KIND } from '../common.js';
import { deleteDefinitions } from '../definition-delete.js';

/** Registers `delete` under `task`. */
export function registerTaskDelete(parent: Command, io: CliIO): void {
  parent.command('delete').alias('rm').description('Delete Tasks (with --trs, their TaskRuns too)')
    .argument('[names...]', 'Task names')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', 'delete every Task in the namespace')
    .option('--trs', 'also delete the TaskRuns of these Tasks')
    .action(async (names: string[], flags: { force?: boolean; all?: boolean; trs?: boolean }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      await deleteDefinitions(ctx, KIND.Task, KIND.TaskRun, 'tekton.dev/task', names, { ...flags, runs: flags.trs });
    });
}
