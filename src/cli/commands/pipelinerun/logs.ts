/** `tkt pipelinerun logs [name] [-f] [--last] [-t task...]`. */
import type { Command } from 'commander';
import type { PipelineRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { pipelineRunLogs } from '../../logs/pipelinerun.js';
import { addPickFlags, KIND, pickRun, type PickFlags } from '../common.js';
import { addPrefixFlags, checkRunOutcome, collect, followContext, type LogsFlags } from '../logs-shared.js';

/** Registers `logs` under `pipelinerun`. */
export function registerPipelineRunLogs(parent: Command, io: CliIO): void {
  const cmd = parent.command('logs').description('Show the logs of a PipelineRun (the latest one without a name); -f follows it to the end')
    .argument('[name]', 'PipelineRun name')
    .option('-f, --follow', 'follow the run as its tasks start; exit 1 if it fails')
    .option('-L, --last', 'the most recent PipelineRun')
    .option('-t, --task <name>', 'only this pipeline task (repeatable)', collect, [])
    .option('-a, --all', 'include init containers')
    .option('--sidecars', 'include sidecar containers')
    .option('--timestamps', 'show each line\'s timestamp')
    .option('--log-failed', 'only the TaskRuns that failed (the logs so far; does not follow)')
    .option('--long', 'prefix lines with the pipeline task\'s display name (when it has one) instead of its name')
    .option('-E, --exit-with-pipelinerun-error', 'exit 1 if the PipelineRun failed, also without -f');
  addPickFlags(cmd, 'PipelineRun');
  addPrefixFlags(cmd, '[task : step]')
    .action(async (name: string | undefined, flags: LogsFlags & PickFlags & { task: string[]; logFailed?: boolean; long?: boolean }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const pr = await pickRun<PipelineRun>(ctx, KIND.PipelineRun, name, flags);
      const fc = followContext(ctx, flags);
      const follow = flags.follow === true && !flags.logFailed;
      const final = await pipelineRunLogs(fc, pr.metadata.name ?? '', { follow, tasks: flags.task, failedOnly: flags.logFailed, long: flags.long });
      checkRunOutcome(final, flags);
    });
}
