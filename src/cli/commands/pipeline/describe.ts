/** `tkt pipeline describe <name>`. */
import { Option, type Command } from 'commander';
import type { Pipeline, PipelineRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { describePipeline } from '../../output/definitions.js';
import { formatObject, outputFormat } from '../../output/objects.js';
import { getOrFail, KIND } from '../common.js';

/** Registers `describe` under `pipeline`. */
export function registerPipelineDescribe(parent: Command, io: CliIO): void {
  parent.command('describe').alias('desc').description('Describe a Pipeline: params, workspaces, tasks, latest runs')
    .argument('<name>', 'Pipeline name')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F'))
    .action(async (name: string, flags: { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const client = ctx.client();
      const ns = ctx.namespace();
      const p = await getOrFail<Pipeline>(client, KIND.Pipeline, ns, name);
      if (format) {
        ctx.print(formatObject(p, format));
        return;
      }
      const runs = await client.list<PipelineRun>(KIND.PipelineRun, ns, { labelSelector: `tekton.dev/pipeline=${name}` });
      ctx.print(describePipeline(p, runs.items, ctx.now(), ctx.out));
    });
}
