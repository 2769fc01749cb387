/** `tkt pipeline` (alias `p`): list, describe, start, delete, logs, export. */
import type { Command } from 'commander';
import type { CliIO } from '../../context.js';
import { registerPipelineLogs } from '../definition-logs.js';
import { registerPipelineExport } from '../export.js';
import { registerPipelineDelete } from './delete.js';
import { registerPipelineDescribe } from './describe.js';
import { registerPipelineList } from './list.js';
import { registerPipelineStart } from './start.js';

/** Registers `pipeline` and its subcommands. */
export function registerPipeline(program: Command, io: CliIO): void {
  const cmd = program.command('pipeline').aliases(['p', 'pipelines']).description('Manage Pipelines');
  registerPipelineList(cmd, io);
  registerPipelineDescribe(cmd, io);
  registerPipelineStart(cmd, io);
  registerPipelineDelete(cmd, io);
  registerPipelineLogs(cmd, io);
  registerPipelineExport(cmd, io);
}
