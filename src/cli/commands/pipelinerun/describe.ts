/** `tkt pipelinerun describe [name]`. */
import { Option, type Command } from 'commander';
import type { CustomRun, PipelineRun, TaskRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { formatObject, outputFormat } from '../../output/objects.js';
import { describePipelineRun } from '../../output/pipelinerun.js';
import { isNotFound } from '../../../kube/errors.js';
import { addPickFlags, KIND, pickRun, type PickFlags } from '../common.js';

/** Registers `describe` under `pipelinerun`. */
export function registerPipelineRunDescribe(parent: Command, io: CliIO): void {
  addPickFlags(parent.command('describe').alias('desc').description('Describe a PipelineRun (the latest one without a name)')
    .argument('[name]', 'PipelineRun name')
    .option('-L, --last', 'describe the most recent PipelineRun'), 'PipelineRun')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F'))
    .action(async (name: string | undefined, flags: PickFlags & { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const client = ctx.client();
      const ns = ctx.namespace();
      const pr = await pickRun<PipelineRun>(ctx, KIND.PipelineRun, name, flags);
      if (format) {
        ctx.print(formatObject(pr, format));
        return;
      }
      const labelSelector = `tekton.dev/pipelineRun=${pr.metadata.name ?? ''}`;
      const [children, customRuns, pipelineRuns] = await Promise.all([
        client.list<TaskRun>(KIND.TaskRun, ns, { labelSelector }),
        client.list<CustomRun>(KIND.CustomRun, ns, { labelSelector }).catch((err: unknown) => (isNotFound(err) ? { items: [] as CustomRun[] } : Promise.reject(err))),
        client.list<PipelineRun>(KIND.PipelineRun, ns, { labelSelector }),
      ]);
      ctx.print(describePipelineRun({ pipelineRun: pr, taskRuns: children.items, customRuns: customRuns.items, pipelineRuns: pipelineRuns.items, now: ctx.now(), theme: ctx.out }));
    });
}
