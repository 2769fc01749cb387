/**
 * `tkt triggertemplate|tt`, `tkt triggerbinding|tb`, `tkt clustertriggerbinding|ctb` with `list`, `describe` and
 * `delete` (tkn's names, flags and outputs), and `tkt eventlistener delete`.
 */
import type { Command } from 'commander';
import type { KubeObject } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { UsageError } from '../errors.js';
import { formatObject, formatObjectList, outputFormat } from '../output/objects.js';
import { describeTriggerBinding, describeTriggerTemplate, formatTriggerResourceTable, type TriggerResourceLike } from '../output/triggers.js';
import { KIND, addListFlags, getOrFail, type ListFlags } from './common.js';
import { confirm } from './prompt.js';

interface Resource {
  ref: KindRef;
  command: string;
  aliases: string[];
  namespaced: boolean;
  describe?: (o: TriggerResourceLike, ctx: CliContext) => string;
}

const quoted = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

async function deleteObjects(ctx: CliContext, r: Resource, names: string[], flags: { force?: boolean; all?: boolean }): Promise<void> {
  if (names.length > 0 && flags.all) throw new UsageError('give either names or --all, not both');
  if (names.length === 0 && !flags.all) throw new UsageError(`give the ${r.ref.kind} names to delete, or --all`);
  const ns = r.namespaced ? ctx.namespace() : undefined;
  const client = ctx.client();
  const targets = flags.all ? (await client.list<KubeObject>(r.ref, ns)).items.map((o) => o.metadata.name ?? '') : names;
  for (const n of flags.all ? [] : targets) await getOrFail(client, r.ref, ns ?? '', n);
  if (targets.length === 0) return void ctx.print(`No ${r.ref.kind}s to delete\n`);
  if (!flags.force && !(await confirm(ctx, `Are you sure you want to delete ${r.ref.kind}(s) ${quoted(targets)} (y/n): `))) {
    throw new UsageError(`canceled deleting ${r.ref.kind.toLowerCase()}(s) ${quoted(targets)}`);
  }
  for (const n of targets) await client.delete(r.ref, ns, n);
  ctx.print(`${r.ref.kind}s deleted: ${quoted(targets)}\n`);
}

function registerDelete(cmd: Command, io: CliIO, r: Resource): void {
  cmd.command('delete').alias('rm').description(`Delete ${r.ref.kind}s`)
    .argument('[names...]', `${r.ref.kind} names`)
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', `delete every ${r.ref.kind}${r.namespaced ? ' of the namespace' : ''}`)
    .action(async (names: string[], flags: { force?: boolean; all?: boolean }, command: Command) => {
      await deleteObjects(CliContext.fromCommand(io, command), r, names, flags);
    });
}

function register(program: Command, io: CliIO, r: Resource): void {
  const cmd = program.command(r.command).aliases(r.aliases).description(`Manage ${r.ref.kind}s`);
  const list = cmd.command('list').alias('ls').description(`List ${r.ref.kind}s`);
  addListFlags(list, { runs: false }).action(async (flags: ListFlags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    const format = outputFormat(flags);
    const all = flags.allNamespaces || !r.namespaced;
    const items = (await ctx.client().list<TriggerResourceLike>(r.ref, all ? undefined : ctx.namespace())).items;
    if (format) ctx.print(formatObjectList(items, r.ref, format));
    else ctx.print(formatTriggerResourceTable(r.ref.kind, items, { now: ctx.now(), noHeaders: flags.headers === false, allNamespaces: r.namespaced && flags.allNamespaces }));
  });
  cmd.command('describe').alias('desc').description(`Describe a ${r.ref.kind}`)
    .argument('<name>', `${r.ref.kind} name`)
    .option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F')
    .action(async (name: string, flags: { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const obj = await getOrFail<TriggerResourceLike>(ctx.client(), r.ref, r.namespaced ? ctx.namespace() : '', name);
      ctx.print(format ? formatObject(obj, format) : (r.describe ?? ((o, c) => describeTriggerBinding(o, c.out)))(obj, ctx));
    });
  registerDelete(cmd, io, r);
}

/** Registers `triggertemplate`, `triggerbinding` and `clustertriggerbinding`. */
export function registerTriggerResources(program: Command, io: CliIO): void {
  register(program, io, { ref: KIND.TriggerTemplate, command: 'triggertemplate', aliases: ['tt', 'triggertemplates'], namespaced: true, describe: (o, c) => describeTriggerTemplate(o, c.out) });
  register(program, io, { ref: KIND.TriggerBinding, command: 'triggerbinding', aliases: ['tb', 'triggerbindings'], namespaced: true });
  register(program, io, { ref: KIND.ClusterTriggerBinding, command: 'clustertriggerbinding', aliases: ['ctb', 'clustertriggerbindings'], namespaced: false });
}

/** Registers `delete` under `eventlistener`. */
export function registerEventListenerDelete(parent: Command, io: CliIO): void {
  registerDelete(parent, io, { ref: KIND.EventListener, command: 'eventlistener', aliases: [], namespaced: true });
}
