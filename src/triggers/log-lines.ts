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

/** Where lines go: `write(namespace, eventlistener, text)`. */
export type LineWriter = (namespace: string, name: string, text: string) => void;

/**
 * Lines of one event-loop turn written together, one `write` per EventListener and turn instead of one per line: a
 * webhook logs a line per trigger, and at a few thousand webhooks a second the write calls (a write(2) each in
 * embedded mode's log store) were ~2 % of the sink's busy time. `flush()` writes what waits now. A write that
 * throws drops its lines (it runs outside any request, where a throw would end the process).
 */
export function linesPerTurn(write: LineWriter): { write: LineWriter; flush(): void } {
  const waiting = new Map<string, { namespace: string; name: string; text: string }>();
  let queued = false;
  const flush = (): void => {
    queued = false;
    const all = [...waiting.values()];
    waiting.clear();
    for (const w of all) {
      try {
        write(w.namespace, w.name, w.text);
      } catch {
        // a log that cannot be written (a full disk, a closed store) loses these lines, not the process
      }
    }
  };
  return {
    write(namespace, name, text) {
      const key = `${namespace}/${name}`;
      const w = waiting.get(key);
      if (w) w.text += text;
      else waiting.set(key, { namespace, name, text });
      if (!queued) {
        queued = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** A logger writing lines to `write(namespace, eventlistener, line)`. */
export function lineLogger(write: (namespace: string, name: string, line: string) => void): SinkLogger {
  const emit = (level: 'info' | 'warn') => (obj: object, msg?: string): void => {
    const o = obj as { eventlistener?: string; namespace?: string };
    write(o.namespace ?? 'default', o.eventlistener ?? 'unknown', logLine(level, obj, msg));
  };
  return { info: emit('info'), warn: emit('warn') };
}
