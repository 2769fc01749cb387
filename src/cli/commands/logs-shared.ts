/** Flags and wiring shared by `pipelinerun logs` and `taskrun logs`. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { RunFailedError, UsageError } from '../errors.js';
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

/** Parses tkn's boolean flag values (`--prefix=false`, `--prefix false`, bare `--prefix`). */
export function parseBoolFlag(value: string | undefined): boolean {
  if (value === undefined || value === '' || /^(true|t|1|yes)$/i.test(value)) return true;
  if (/^(false|f|0|no)$/i.test(value)) return false;
  throw new UsageError(`invalid boolean value "${value}": use true or false`);
}

/** Adds tkn's `--prefix[=bool]` (default true) and tkt's `--no-prefix` to a logs command. */
export function addPrefixFlags(cmd: Command, what: string): Command {
  return cmd
    .option('--prefix', `prefix each line with ${what} (default; tkn's --prefix=false drops it)`)
    .option('--no-prefix', `do not prefix lines with ${what}`);
}

/**
 * Rewrites cobra-style boolean flags with a value (`--prefix=false`) into commander's forms (`--no-prefix`), so
 * `--prefix NAME` still leaves NAME as the run name, as in tkn (also `--allow-missing-template-keys=false`).
 */
export function normalizeBoolFlags(argv: string[], flags: readonly string[] = ['prefix', 'allow-missing-template-keys', 'show-managed-fields', 'ignore-running', 'ignore-running-pipelinerun']): string[] {
  return argv.map((arg) => {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!m || !flags.includes(m[1] ?? '')) return arg;
    return parseBoolFlag(m[2]) ? `--${m[1]}` : `--no-${m[1]}`;
  });
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
