/** `tkt taskrun logs [name] [-f] [--last] [-s step...]`. */
import type { Command } from 'commander';
import type { TaskRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { taskRunLogs } from '../../logs/taskrun.js';
import { addPickFlags, KIND, pickRun, type PickFlags } from '../common.js';
import { addPrefixFlags, checkRunOutcome, collect, followContext, type LogsFlags } from '../logs-shared.js';

/** Registers `logs` under `taskrun`. */
export function registerTaskRunLogs(parent: Command, io: CliIO): void {
  const cmd = parent.command('logs').description('Show the logs of a TaskRun (the latest one without a name); -f follows it to the end')
    .argument('[name]', 'TaskRun name')
    .option('-f, --follow', 'follow the run to its end; exit 1 if it fails')
    .option('-L, --last', 'the most recent TaskRun')
    .option('-s, --step <name>', 'only this step (repeatable)', collect, [])
    .option('-a, --all', 'include init containers')
    .option('--sidecars', 'include sidecar containers')
    .option('-t, --timestamps', 'show each line\'s timestamp (as tkn: -t is --timestamps here)')
    .option('-E, --exit-with-pipelinerun-error', 'exit 1 if the TaskRun failed, also without -f');
  addPickFlags(cmd, 'TaskRun');
  addPrefixFlags(cmd, '[step]')
    .action(async (name: string | undefined, flags: LogsFlags & PickFlags & { step: string[] }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const tr = await pickRun<TaskRun>(ctx, KIND.TaskRun, name, flags);
      const fc = followContext(ctx, flags, flags.step);
      const final = await taskRunLogs(fc, tr.metadata.name ?? '', flags.follow === true);
      checkRunOutcome(final, flags);
    });
}
