/** `tkt customrun` (aliases `cr`, `customruns`): list, describe, delete, as tkn. */
import { Option, type Command } from 'commander';
import type { CustomRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { describeCustomRun } from '../../output/customrun.js';
import { formatObject, outputFormat } from '../../output/objects.js';
import { addListFlags, addPickFlags, KIND, pickRun, type ListFlags, type PickFlags } from '../common.js';
import { deleteObjects, listRuns, type DeleteFlags } from '../runs-shared.js';

/** Registers `customrun` and its subcommands. */
export function registerCustomRun(program: Command, io: CliIO): void {
  const cmd = program.command('customrun').aliases(['cr', 'customruns']).description('Manage CustomRuns');
  const list = cmd.command('list').alias('ls').description('Lists CustomRuns in a namespace (newest first)');
  addListFlags(list, { runs: true }).action(async (flags: ListFlags, command: Command) => {
    await listRuns(CliContext.fromCommand(io, command), KIND.CustomRun, flags);
  });
  addPickFlags(cmd.command('describe').alias('desc').description('Describe a CustomRun in a namespace (the latest one without a name)')
    .argument('[name]', 'CustomRun name')
    .option('-L, --last', 'show description for last CustomRun'), 'CustomRun')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=TEMPLATE, go-template=TEMPLATE'))
    .action(async (name: string | undefined, flags: PickFlags & { output?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const format = outputFormat(flags);
      const cr = await pickRun<CustomRun>(ctx, KIND.CustomRun, name, flags);
      ctx.print(format ? formatObject(cr, format) : describeCustomRun({ customRun: cr, now: ctx.now(), theme: ctx.out }));
    });
  cmd.command('delete').alias('rm').description('Delete CustomRuns by name, or all of them / all but the newest N')
    .argument('[names...]', 'CustomRun names')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--all', 'delete all (finished) CustomRuns in the namespace')
    .option('--keep <n>', 'keep the newest N CustomRuns')
    .option('--label <selector>', 'only CustomRuns matching this label selector')
    .option('-i, --ignore-running', 'with --all/--keep, leave running CustomRuns (default)')
    .option('--no-ignore-running', 'delete running CustomRuns too')
    .action(async (names: string[], flags: DeleteFlags, command: Command) => {
      await deleteObjects(CliContext.fromCommand(io, command), KIND.CustomRun, names, flags);
    });
}
