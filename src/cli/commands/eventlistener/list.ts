/** `tkt eventlistener list`. */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { formatEventListenerTable, type EventListenerLike } from '../../output/eventlistener.js';
import { formatObjectList, outputFormat } from '../../output/objects.js';
import { addListFlags, KIND, type ListFlags } from '../common.js';

/** Registers `list` under `eventlistener`. */
export function registerEventListenerList(parent: Command, io: CliIO): void {
  const cmd = parent.command('list').alias('ls').description('List EventListeners');
  addListFlags(cmd, { runs: false }).action(async (flags: ListFlags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    const format = outputFormat(flags);
    const els = await ctx.client().list<EventListenerLike>(KIND.EventListener, flags.allNamespaces ? undefined : ctx.namespace());
    if (format) ctx.print(formatObjectList(els.items, KIND.EventListener, format));
    else ctx.print(formatEventListenerTable(els.items, { now: ctx.now(), noHeaders: flags.headers === false, allNamespaces: flags.allNamespaces }));
  });
}
