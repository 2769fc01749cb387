/** `tkt taskrun describe [name]`. */
import { Option, type Command } from 'commander';
import type { TaskRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { formatObject, outputFormat } from '../../output/objects.js';
import { describeTaskRun } from '../../output/taskrun.js';
import { addPickFlags, KIND, pickRun, type PickFlags } from '../common.js';

/** Registers `describe` under `taskrun`. */
export function registerTaskRunDescribe(parent: Command, io: CliIO): void {
  addPickFlags(parent.command('describe').alias('desc').description('Describe a TaskRun (the latest one without a name)')
    .argument('[name]', 'TaskRun name')
    .option('-L, --last', 'describe the most recent TaskRun'), 'TaskRun')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F'))
    .action(async (name: string | undefined, flags: PickFlags & { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const tr = await pickRun<TaskRun>(ctx, KIND.TaskRun, name, flags);
      ctx.print(format ? formatObject(tr, format) : describeTaskRun({ taskRun: tr, now: ctx.now(), theme: ctx.out }));
    });
}
