/** Flags and wiring shared by `pipelinerun logs` and `taskrun logs`. */
import type { CliContext } from '../context.js';
import { RunFailedError } from '../errors.js';
import type { FollowContext, StreamOptions } from '../logs/pod.js';
import { LogPrinter } from '../logs/printer.js';
import type { RunLike } from '../output/runs.js';
import { isDone, isSucceeded } from '../output/status.js';

/** Flags common to both `logs` commands. */
export interface LogsFlags {
  follow?: boolean;
  last?: boolean;
  all?: boolean;
  timestamps?: boolean;
  prefix?: boolean;
  sidecars?: boolean;
  exitWithPipelinerunError?: boolean;
}

/** Collects a repeatable option's values (`-t a -t b`, also `-t a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Builds the follow context of a logs command. */
export function followContext(ctx: CliContext, flags: LogsFlags, steps?: string[]): FollowContext {
  const options: StreamOptions = { timestamps: flags.timestamps, includeInit: flags.all, includeSidecars: flags.sidecars, steps };
  const printer = new LogPrinter({ out: ctx.io.stdout, err: ctx.io.stderr, theme: ctx.out, errTheme: ctx.err, prefix: flags.prefix !== false });
  return { client: ctx.client(), namespace: ctx.namespace(), printer, options };
}

/**
 * The exit status of a logs command: with `-f` (or `-E`) a finished run that did not succeed exits 1;
 * otherwise 0. A run deleted while following also exits 1.
 */
export function checkRunOutcome(run: RunLike | undefined, flags: LogsFlags): void {
  if (!flags.follow && !flags.exitWithPipelinerunError) return;
  if (!run) throw new RunFailedError('the run was deleted while its logs were followed');
  if (isDone(run.status?.conditions) && !isSucceeded(run.status?.conditions)) throw new RunFailedError();
}
