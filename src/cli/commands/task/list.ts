/** `tkt task list`. */
import type { Command } from 'commander';
import type { Task } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { formatTaskTable } from '../../output/definitions.js';
import { formatObjectList, outputFormat } from '../../output/objects.js';
import { addListFlags, KIND, type ListFlags } from '../common.js';

/** Registers `list` under `task`. */
export function registerTaskList(parent: Command, io: CliIO): void {
  const cmd = parent.command('list').alias('ls').description('List Tasks');
  addListFlags(cmd, { runs: false }).action(async (flags: ListFlags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    const format = outputFormat(flags);
    const tasks = await ctx.client().list<Task>(KIND.Task, flags.allNamespaces ? undefined : ctx.namespace());
    if (format) ctx.print(formatObjectList(tasks.items, KIND.Task, format));
    else ctx.print(formatTaskTable(tasks.items, { now: ctx.now(), theme: ctx.out, noHeaders: flags.headers === false, allNamespaces: flags.allNamespaces }));
  });
}
