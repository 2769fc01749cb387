/** `tkt taskrun` (alias `tr`): list, describe, logs, cancel, delete, rerun, export, exec. */
import type { Command } from 'commander';
import type { CliIO } from '../../context.js';
import { registerTaskRunExport } from '../export.js';
import { registerTaskRunRerun } from '../rerun.js';
import { registerTaskRunCancel } from './cancel.js';
import { registerTaskRunDelete } from './delete.js';
import { registerTaskRunDescribe } from './describe.js';
import { registerTaskRunExec } from './exec.js';
import { registerTaskRunList } from './list.js';
import { registerTaskRunLogs } from './logs.js';

/** Registers `taskrun` and its subcommands. */
export function registerTaskRun(program: Command, io: CliIO): void {
  const cmd = program.command('taskrun').aliases(['tr', 'taskruns']).description('Manage TaskRuns');
  registerTaskRunList(cmd, io);
  registerTaskRunDescribe(cmd, io);
  registerTaskRunLogs(cmd, io);
  registerTaskRunCancel(cmd, io);
  registerTaskRunDelete(cmd, io);
  registerTaskRunRerun(cmd, io);
  registerTaskRunExport(cmd, io);
  registerTaskRunExec(cmd, io);
}
