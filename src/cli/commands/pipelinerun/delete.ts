/** `tkt pipelinerun delete [names...]`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { KIND } from '../common.js';
import { deleteObjects, type DeleteFlags } from '../runs-shared.js';

/** Registers `delete` under `pipelinerun`. */
export function registerPipelineRunDelete(parent: Command, io: CliIO): void {
  parent.command('delete').alias('rm').description('Delete PipelineRuns by name, or all of them / all but the newest N')
    .argument('[names...]', 'PipelineRun names')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', 'delete all (finished) PipelineRuns in the namespace')
    .option('--keep <n>', 'keep the newest N PipelineRuns')
    .option('--label <selector>', 'only PipelineRuns matching this label selector')
    .option('-p, --pipeline <name>', 'only runs of this Pipeline')
    .option('-i, --ignore-running', 'with --all/--keep, leave running PipelineRuns alone (the default, as tkn)')
    .option('--no-ignore-running', 'with --all/--keep, delete running PipelineRuns too (tkn: --ignore-running=false)')
    .action(async (names: string[], flags: DeleteFlags & { pipeline?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      await deleteObjects(ctx, KIND.PipelineRun, names, flags, flags.pipeline ? `tekton.dev/pipeline=${flags.pipeline}` : undefined);
    });
}
