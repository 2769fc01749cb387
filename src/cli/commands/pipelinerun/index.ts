/** `tkt pipelinerun` (alias `pr`): list, describe, logs, cancel, delete. */
import type { Command } from 'commander';
import type { CliIO } from '../../context.js';
import { registerPipelineRunExport } from '../export.js';
import { registerPipelineRunRerun } from '../rerun.js';
import { registerPipelineRunCancel } from './cancel.js';
import { registerPipelineRunDelete } from './delete.js';
import { registerPipelineRunDescribe } from './describe.js';
import { registerPipelineRunList } from './list.js';
import { registerPipelineRunLogs } from './logs.js';

/** Registers `pipelinerun` and its subcommands. */
export function registerPipelineRun(program: Command, io: CliIO): void {
  const cmd = program.command('pipelinerun').aliases(['pr', 'pipelineruns']).description('Manage PipelineRuns');
  registerPipelineRunList(cmd, io);
  registerPipelineRunDescribe(cmd, io);
  registerPipelineRunLogs(cmd, io);
  registerPipelineRunCancel(cmd, io);
  registerPipelineRunDelete(cmd, io);
  registerPipelineRunRerun(cmd, io);
  registerPipelineRunExport(cmd, io);
}
