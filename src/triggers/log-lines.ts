/**
 * The sink's log lines: one JSON object per line (`level`, `ts`, `msg` and the fields), as Triggers' EventListener
 * pods print them. Embedded mode keeps them as the logs of pod `el-<name>` (container `event-listener`, the
 * Deployment's names in cluster mode), so `tkt el logs` and `kubectl logs el-<name>` show them; the sink mode of
 * cluster pods prints them on stdout.
 */
import type { SinkLogger } from './sink.js';

/** The container name of an EventListener's sink. */
export const SINK_CONTAINER = 'event-listener';

/** One log line. */
export function logLine(level: 'info' | 'warn', obj: object, msg: string | undefined, now = new Date()): string {
  return `${JSON.stringify({ level, ts: now.toISOString(), ...obj, ...(msg ? { msg } : {}) })}\n`;
}

/** A logger writing lines to `write(namespace, eventlistener, line)`. */
export function lineLogger(write: (namespace: string, name: string, line: string) => void): SinkLogger {
  const emit = (level: 'info' | 'warn') => (obj: object, msg?: string): void => {
    const o = obj as { eventlistener?: string; namespace?: string };
    write(o.namespace ?? 'default', o.eventlistener ?? 'unknown', logLine(level, obj, msg));
  };
  return { info: emit('info'), warn: emit('warn') };
}
