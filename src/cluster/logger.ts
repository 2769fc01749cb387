/**
 * Structured JSON logs for the cluster processes (pino, one object per line on stdout), with the fields that
 * could carry credentials redacted. The returned logger satisfies the controllers' Logger interface.
 */
import { pino, type Logger as PinoLogger } from 'pino';

/** Paths pino censors wherever they occur in a log object. */
export const REDACT_PATHS = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'token', '*.token', 'password', '*.password', 'auth', '*.auth', 'data', '*.data', 'stringData', '*.stringData',
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Log level (default $LOG_LEVEL or info). */
  level?: string;
  /** Bound fields on every line (e.g. component, identity). */
  base?: Record<string, unknown>;
  /** Destination stream (default stdout). */
  destination?: NodeJS.WritableStream;
}

/** A pino logger writing JSON lines with Kubernetes-friendly fields (`level` as text, ISO `time`). */
export function createLogger(opts: LoggerOptions = {}): PinoLogger {
  return pino({
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid, ...(opts.base ?? {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    messageKey: 'msg',
  }, (opts.destination ?? process.stdout) as Parameters<typeof pino>[1]);
}
