/** `tkt pipeline list`. */
import type { Command } from 'commander';
import type { Pipeline, PipelineRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { formatPipelineTable } from '../../output/definitions.js';
import { formatObjectList, outputFormat } from '../../output/objects.js';
import { addListFlags, KIND, type ListFlags } from '../common.js';

/** Registers `list` under `pipeline`. */
export function registerPipelineList(parent: Command, io: CliIO): void {
  const cmd = parent.command('list').alias('ls').description('List Pipelines with their latest run');
  addListFlags(cmd, { runs: false }).action(async (flags: ListFlags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    const format = outputFormat(flags);
    const client = ctx.client();
    const ns = flags.allNamespaces ? undefined : ctx.namespace();
    const pipelines = await client.list<Pipeline>(KIND.Pipeline, ns);
    if (format) {
      ctx.print(formatObjectList(pipelines.items, KIND.Pipeline, format));
      return;
    }
    const runs = await client.list<PipelineRun>(KIND.PipelineRun, ns, { labelSelector: 'tekton.dev/pipeline' });
    ctx.print(formatPipelineTable(pipelines.items, runs.items, { now: ctx.now(), theme: ctx.out, noHeaders: flags.headers === false, allNamespaces: flags.allNamespaces }));
  });
}
