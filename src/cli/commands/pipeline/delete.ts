/** `tkt pipeline delete [names...]`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { KIND } from '../common.js';
import { deleteDefinitions } from '../definition-delete.js';

/** Registers `delete` under `pipeline`. */
export function registerPipelineDelete(parent: Command, io: CliIO): void {
  parent.command('delete').alias('rm').description('Delete Pipelines (with --prs, their PipelineRuns too)')
    .argument('[names...]', 'Pipeline names')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', 'delete every Pipeline in the namespace')
    .option('--prs', 'also delete the PipelineRuns of these Pipelines')
    .action(async (names: string[], flags: { force?: boolean; all?: boolean; prs?: boolean }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      await deleteDefinitions(ctx, KIND.Pipeline, KIND.PipelineRun, 'tekton.dev/pipeline', names, { ...flags, runs: flags.prs });
    });
}
