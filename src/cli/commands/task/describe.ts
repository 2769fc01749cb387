/** `tkt task describe <name>`. */
import { Option, type Command } from 'commander';
import type { Task, TaskRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { describeTask } from '../../output/definitions.js';
import { formatObject, outputFormat } from '../../output/objects.js';
import { getOrFail, KIND } from '../common.js';

/** Registers `describe` under `task`. */
export function registerTaskDescribe(parent: Command, io: CliIO): void {
  parent.command('describe').alias('desc').description('Describe a Task: params, results, workspaces, steps, latest runs')
    .argument('<name>', 'Task name')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F'))
    .action(async (name: string, flags: { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const client = ctx.client();
      const ns = ctx.namespace();
      const t = await getOrFail<Task>(client, KIND.Task, ns, name);
      if (format) {
        ctx.print(formatObject(t, format));
        return;
      }
      const runs = await client.list<TaskRun>(KIND.TaskRun, ns, { labelSelector: `tekton.dev/task=${name}` });
      ctx.print(describeTask(t, runs.items, ctx.now(), ctx.out));
    });
}
