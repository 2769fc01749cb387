/** `tkt eventlistener describe <name>`. */
import { Option, type Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { describeEventListener, type EventListenerLike } from '../../output/eventlistener.js';
import { formatObject, outputFormat } from '../../output/objects.js';
import { getOrFail, KIND } from '../common.js';

/** Registers `describe` under `eventlistener`. */
export function registerEventListenerDescribe(parent: Command, io: CliIO): void {
  parent.command('describe').alias('desc').description('Describe an EventListener and its triggers')
    .argument('<name>', 'EventListener name')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F'))
    .action(async (name: string, flags: { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const el = await getOrFail<EventListenerLike>(ctx.client(), KIND.EventListener, ctx.namespace(), name);
      ctx.print(format ? formatObject(el, format) : describeEventListener(el, ctx.out));
    });
}
