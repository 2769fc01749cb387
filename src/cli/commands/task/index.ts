/** `tkt task` (alias `t`): list, describe, start, delete, logs, export. */
import type { Command } from 'commander';
import type { CliIO } from '../../context.js';
import { registerTaskLogs } from '../definition-logs.js';
import { registerTaskExport } from '../export.js';
import { registerTaskDelete } from './delete.js';
import { registerTaskDescribe } from './describe.js';
import { registerTaskList } from './list.js';
import { registerTaskStart } from './start.js';

/** Registers `task` and its subcommands. */
export function registerTask(program: Command, io: CliIO): void {
  const cmd = program.command('task').aliases(['t', 'tasks']).description('Manage Tasks');
  registerTaskList(cmd, io);
  registerTaskDescribe(cmd, io);
  registerTaskStart(cmd, io);
  registerTaskDelete(cmd, io);
  registerTaskLogs(cmd, io);
  registerTaskExport(cmd, io);
}
