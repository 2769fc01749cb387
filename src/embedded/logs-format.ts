/**
 * How stored log lines look and are formatted for readers (no I/O): byte strings, the kubelet's RFC 3339
 * nanosecond timestamps, the `pods/log` read options, the truncation line.
 */

/** Options of a log read (the `pods/log` query parameters). */
export interface LogReadOptions {
  /** Only the last N lines. */
  tailLines?: number;
  /** Keep each line's timestamp prefix. */
  timestamps?: boolean;
  /** Only lines newer than this many seconds. */
  sinceSeconds?: number;
  /** Only lines at or after this RFC 3339 time. */
  sinceTime?: string;
  /** Stop after this many bytes. */
  limitBytes?: number;
}

/** The line stored once a container's log reached its cap; later output is dropped. */
export function truncatedLine(maxBytes: number): string {
  return `... log truncated: this container wrote more than ${formatSize(maxBytes)}, the log limit (tkt up/run --max-log-size) ...`;
}

function formatSize(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/**
 * A chunk of output as a byte string: one character per byte (latin1), so that output that is not UTF-8 is kept
 * byte for byte, as the kubelet keeps it. Text given as a JS string is stored as its UTF-8 bytes.
 */
export function byteString(chunk: string | Uint8Array): string {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8').toString('latin1') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
}

/** The bytes of a byte string (see byteString); decode them with `.toString('utf8')` for text. */
export function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** RFC 3339 with nanoseconds (microsecond resolution), like the kubelet's log timestamps. */
export function nanoTimestamp(): string {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString().slice(0, 19);
  const nanos = Math.min(999_999_999, (whole % 1000) * 1e6 + Math.round((ms - whole) * 1e6));
  const frac = String(nanos).padStart(9, '0');
  return `${iso}.${frac}Z`;
}

/** Formats stored lines (`<ts> <text>`) per the read options; `now` is for sinceSeconds. */
export function formatLines(lines: string[], opts: LogReadOptions, now = Date.now()): string {
  let selected = lines;
  const since = opts.sinceTime ? Date.parse(opts.sinceTime) : opts.sinceSeconds !== undefined ? now - opts.sinceSeconds * 1000 : undefined;
  if (since !== undefined && !Number.isNaN(since)) selected = selected.filter((l) => Date.parse(l.slice(0, l.indexOf(' '))) >= since);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) selected = opts.tailLines === 0 ? [] : selected.slice(-opts.tailLines);
  return selected.map((l) => (opts.timestamps ? l : l.slice(l.indexOf(' ') + 1)) + '\n').join('');
}

/** What is left of `text` under the read's byte limit, `sent` bytes having been given already. */
export function clip(text: string, opts: LogReadOptions, sent: number): string {
  if (opts.limitBytes === undefined) return text;
  const room = opts.limitBytes - sent;
  if (room <= 0) return '';
  return text.length <= room ? text : text.slice(0, room);
}

/** The read options of what a follower gets after its start (the window options applied once, at the start). */
export function freshOptions(opts: LogReadOptions): LogReadOptions {
  return { ...opts, tailLines: undefined, sinceSeconds: undefined, sinceTime: undefined };
}

/**
 * The lines of output to store, each with its timestamp (a trailing CR dropped), and their bytes. When they do not
 * all fit under `maxBytes` (`size` bytes being stored already), the whole lines that fit and the truncation line.
 */
export function linesToStore(lines: string[], size: number, maxBytes: number): { stored: string[]; buf: Buffer; truncated: boolean } {
  const stored = lines.map((l) => `${nanoTimestamp()} ${l.endsWith('\r') ? l.slice(0, -1) : l}`);
  const buf = Buffer.from(stored.map((l) => `${l}\n`).join(''), 'latin1');
  if (size + buf.length <= maxBytes) return { stored, buf, truncated: false };
  // keep the whole lines that fit, then say that the rest is dropped (as the kubelet's rotation would lose it)
  const kept: string[] = [];
  let room = maxBytes - size;
  for (const l of stored) {
    const n = l.length + 1;
    if (n > room) break;
    kept.push(l);
    room -= n;
  }
  kept.push(`${nanoTimestamp()} ${truncatedLine(maxBytes)}`);
  return { stored: kept, buf: Buffer.from(kept.map((l) => `${l}\n`).join(''), 'latin1'), truncated: true };
}
