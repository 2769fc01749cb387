/** `tkt customrun` (aliases `cr`, `customruns`): list, describe, delete, as tkn. */
import { Option, type Command } from 'commander';
import type { CustomRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { describeCustomRun } from '../../output/customrun.js';
import { formatObject, parseObjectFormat } from '../../output/objects.js';
import { addListFlags, KIND, resolveRun, type ListFlags } from '../common.js';
import { deleteObjects, listRuns, type DeleteFlags } from '../runs-shared.js';

/** Registers `customrun` and its subcommands. */
export function registerCustomRun(program: Command, io: CliIO): void {
  const cmd = program.command('customrun').aliases(['cr', 'customruns']).description('Manage CustomRuns');
  const list = cmd.command('list').alias('ls').description('Lists CustomRuns in a namespace (newest first)');
  addListFlags(list, { runs: true }).action(async (flags: ListFlags, command: Command) => {
    await listRuns(CliContext.fromCommand(io, command), KIND.CustomRun, flags);
  });
  cmd.command('describe').alias('desc').description('Describe a CustomRun in a namespace (the latest one without a name)')
    .argument('[name]', 'CustomRun name')
    .option('-L, --last', 'show description for last CustomRun')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml', 'name']))
    .action(async (name: string | undefined, flags: { last?: boolean; output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = parseObjectFormat(flags.output);
      const cr = await resolveRun<CustomRun>(ctx.client(), KIND.CustomRun, ctx.namespace(), flags.last ? undefined : name);
      ctx.print(format ? formatObject(cr, format) : describeCustomRun({ customRun: cr, now: ctx.now(), theme: ctx.out }));
    });
  cmd.command('delete').alias('rm').description('Delete CustomRuns by name, or all of them / all but the newest N')
    .argument('[names...]', 'CustomRun names')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', 'delete all (finished) CustomRuns in the namespace')
    .option('--keep <n>', 'keep the newest N CustomRuns')
    .option('--label <selector>', 'only CustomRuns matching this label selector')
    .option('-i, --ignore-running', 'with --all/--keep, leave running CustomRuns alone (the default, as tkn)')
    .option('--no-ignore-running', 'with --all/--keep, delete running CustomRuns too (tkn: --ignore-running=false)')
    .action(async (names: string[], flags: DeleteFlags, command: Command) => {
      await deleteObjects(CliContext.fromCommand(io, command), KIND.CustomRun, names, flags);
    });
}
