/**
 * The CLI's error classes. Each carries the exit code it maps to; `src/cli/main.ts` turns every thrown value
 * into an exit code and a one-line message in one place (`exitCodeFor`).
 */

/** Exit codes of the `tkt` contract (DESIGN.md). */
export const EXIT = { ok: 0, runFailed: 1, usage: 2, infra: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is meant for the user as is, with the exit code it maps to. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Bad flags, bad input files, unknown names: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** The API server or a runtime is missing or broken: exit 3. */
export class InfraError extends CliError {
  constructor(message: string) {
    super(message, EXIT.infra);
    this.name = 'InfraError';
  }
}

/** A command run for the user (`tkt taskrun exec`) ended with `code`: tkt exits with it, as kubectl exec does. */
export class CommandExitError extends CliError {
  constructor(readonly commandCode: number) {
    super('', EXIT.runFailed);
    this.name = 'CommandExitError';
  }
}

/**
 * A run failed or was cancelled: exit 1. The message may be empty when the failure was already reported
 * (for example in the log stream), in which case nothing more is printed.
 */
export class RunFailedError extends CliError {
  constructor(message = '') {
    super(message, EXIT.runFailed);
    this.name = 'RunFailedError';
  }
}
