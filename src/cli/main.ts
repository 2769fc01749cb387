/**
 * Entry point of `tkt`: builds the commander program, runs it, and maps every error to an exit code and a
 * one-line message — the only place that does so. Exit codes: 0 success, 1 a run failed or was cancelled,
 * 2 usage or input error, 3 infrastructure error (API server unreachable, runtime missing).
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../paths.js';
import { CommanderError } from 'commander';
import { ApiError } from '../kube/errors.js';
import { processIO, type CliIO } from './context.js';
import { CliError, CommandExitError, EXIT, type ExitCode } from './errors.js';
import { completeWords } from './commands/complete-words.js';
import { normalizeBoolFlags } from './commands/logs-shared.js';
import { buildProgram } from './program.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

/** The outcome of an error: exit code and the message to print (empty when already reported). */
export interface ErrorOutcome {
  /** An ExitCode, or the exit code of a command tkt ran for the user (`taskrun exec`). */
  code: ExitCode | number;
  message: string;
}

function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function apiOutcome(err: ApiError): ErrorOutcome {
  if (err.code === 0) return { code: EXIT.infra, message: err.message };
  if (err.code === 401 || err.code === 403) return { code: EXIT.infra, message: err.message };
  if (err.code >= 500) return { code: EXIT.infra, message: err.message };
  return { code: EXIT.usage, message: err.message };
}

/** Maps any thrown value to an exit code and a message. */
export function exitCodeFor(err: unknown): ErrorOutcome {
  if (err instanceof CommanderError) {
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0;
    return { code: ok ? EXIT.ok : EXIT.usage, message: '' };
  }
  if (err instanceof CommandExitError) return { code: err.commandCode, message: '' };
  if (err instanceof CliError) return { code: err.exitCode, message: err.message };
  if (err instanceof ApiError) return apiOutcome(err);
  const net = networkCode(err);
  if (net) return { code: EXIT.infra, message: `cannot reach the API server: ${err instanceof Error ? err.message : net}` };
  const message = err instanceof Error ? err.message : String(err);
  return { code: EXIT.infra, message: `internal error: ${message} (run with --debug for details)` };
}

/** Runs `tkt` with the given arguments (without `node` and the script) and answers the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io);
  if (argv[0] === '__complete') {
    const words = await completeWords(io, program, argv.slice(1)).catch(() => []);
    if (words.length > 0) io.stdout.write(`${words.join('\n')}\n`);
    return EXIT.ok;
  }
  try {
    await program.parseAsync(normalizeBoolFlags(argv, ['prefix', 'ignore-running']), { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    const { code, message } = exitCodeFor(err);
    if (message) io.stderr.write(`Error: ${message}\n`);
    if (argv.includes('--debug') && err instanceof Error && !(err instanceof CommanderError)) io.stderr.write(`${err.stack ?? ''}\n`);
    return code;
  }
}

function isEntryModule(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  const self = fileURLToPath(import.meta.url);
  const bin = join(packageRoot(), 'bin', 'tkt.js');
  try {
    const real = realpathSync(arg);
    return real === self || real === realpathSync(bin);
  } catch {
    return false;
  }
}

/** A reader that went away (`tkt pr logs X | head`) ends the command quietly, as a shell pipeline expects. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT.ok);
    throw err;
  });
}

if (isEntryModule()) {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`Error: ${exitCodeFor(err).message}\n`);
    process.exit(EXIT.infra);
  });
  // no top-level await: the bundle is a CommonJS script (scripts/build-cli.mjs), which V8 can cache compiled
  void main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
}
