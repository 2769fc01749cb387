/** `tkt pipelinerun list [pipeline]`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { addListFlags, KIND, type ListFlags } from '../common.js';
import { listRuns } from '../runs-shared.js';

/** Registers `list` under `pipelinerun`. */
export function registerPipelineRunList(parent: Command, io: CliIO): void {
  const cmd = parent.command('list').alias('ls').description('List PipelineRuns in a namespace (newest first)')
    .argument('[pipeline]', 'only runs of this Pipeline (label tekton.dev/pipeline)');
  addListFlags(cmd, { runs: true }).action(async (pipeline: string | undefined, flags: ListFlags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    await listRuns(ctx, KIND.PipelineRun, flags, pipeline ? `tekton.dev/pipeline=${pipeline}` : undefined);
  });
}
