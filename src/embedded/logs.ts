/**
 * Container logs of the embedded cluster: the kubelet appends output, the API server serves `pods/log`.
 * `FileLogStore` keeps `<dir>/<ns>/<pod>/<container>.log`, one line per stored line, each prefixed with its
 * RFC 3339 (nanosecond) timestamp and a space. A finished container's log file is sealed read-only (mode 0400);
 * one that wrote nothing gets an empty `<container>.done` marker instead (as every finished container did before).
 * Logs outlive pods. The hot path stays cheap at high pod rates, where creating a file is the expensive part:
 * directories are created once (remembered), a running container's log stays open so that an append is one
 * write(2), and finish() seals the open file (fchmod) instead of creating a marker.
 */
import fs from 'node:fs';
import path from 'node:path';

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

/** A running follow: `done` resolves when the container finished, the byte limit was hit, or `stop()` was called. */
export interface LogFollow {
  done: Promise<void>;
  stop(): void;
  /** Delivers again after onData answered false (the reader's buffer is full): call it on the reader's 'drain'. */
  resume(): void;
}

/** The log store contract between the kubelet and the API server. */
export interface LogStore {
  /**
   * Appends output (bytes, or text stored as UTF-8); complete lines are stored at once, a trailing partial line when
   * its newline comes. What read() and follow() give back are byte strings (byteString): bytesOf() has the bytes.
   */
  append(ns: string, pod: string, container: string, chunk: string | Uint8Array): void;
  /** No more output for this container (flushes a trailing partial line, ends followers). */
  finish(ns: string, pod: string, container: string): void;
  /** Everything stored so far, formatted per `opts`. */
  read(ns: string, pod: string, container: string, opts?: LogReadOptions): string;
  /** Streams what is stored, then new lines as they come, until finish(). */
  follow(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown): LogFollow;
  /** What is stored now, streamed a chunk at a time like follow() (with pause and resume), then done. */
  readStream?(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown): LogFollow;
  /** True once finish() was called (and no output came after it). */
  isFinished(ns: string, pod: string, container: string): boolean;
  /** Containers of a pod that have stored logs (also after the pod is deleted: logs outlive pods). */
  containers(ns: string, pod: string): string[];
  /**
   * Removes every log of a pod (its TaskRun, or the pod itself when it has no owner, was deleted); output or a
   * finish() that still comes for that pod (its containers being stopped) is dropped until open() of the same name.
   */
  remove?(ns: string, pod: string): void;
  /** A pod of this name starts: its output is stored again after a remove() (a new pod reusing the name). */
  open?(ns: string, pod: string): void;
}

/** Default cap of one container's stored log, like the kubelet's containerLogMaxSize × files (`--max-log-size`). */
export const DEFAULT_MAX_LOG_BYTES = 20 * 1024 * 1024;
/** How many removed pods' names are remembered to drop their late output (far more than pods stop at once). */
const MAX_REMOVED = 10_000;

/** The line stored once a container's log reached its cap; later output is dropped. */
export function truncatedLine(maxBytes: number): string {
  return `... log truncated: this container wrote more than ${formatSize(maxBytes)}, the log limit (tkt up/run --max-log-size) ...`;
}

function formatSize(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

interface Follower {
  opts: LogReadOptions;
  sent: number;
  onData: (text: string) => unknown;
  end: () => void;
  /** Bytes of the log file delivered so far (the follower reads the file from here when it is behind). */
  offset: number;
  /** onData answered false: nothing is pushed until resume(). */
  paused: boolean;
  /** The container finished: end once everything up to the end of the file is delivered. */
  finishing: boolean;
}

/** How much of a log file a lagging follower reads at a time. */
const PUMP_BYTES = 1 << 20;

interface Stream {
  key: string;
  dir: string;
  file: string;
  /** `<container>.done`: the finished mark of a container without a log file. */
  marker: string;
  /** The log file, open for appending while the container runs (see FileLogStore.openFds). */
  fd?: number;
  /** Known finished state (read from the marker on first use). */
  finished?: boolean;
  partial: string;
  followers: Set<Follower>;
  /** Bytes in the log file (known once it was opened for appending). */
  size?: number;
  /** The cap was reached: the truncation line is written, later output dropped. */
  truncated?: boolean;
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

function safe(part: string): string {
  if (!part || part === '.' || part === '..') throw new Error(`invalid log path element "${part}"`);
  return encodeURIComponent(part);
}

/** Formats stored lines (`<ts> <text>`) per the read options; `now` is for sinceSeconds. */
export function formatLines(lines: string[], opts: LogReadOptions, now = Date.now()): string {
  let selected = lines;
  const since = opts.sinceTime ? Date.parse(opts.sinceTime) : opts.sinceSeconds !== undefined ? now - opts.sinceSeconds * 1000 : undefined;
  if (since !== undefined && !Number.isNaN(since)) selected = selected.filter((l) => Date.parse(l.slice(0, l.indexOf(' '))) >= since);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) selected = opts.tailLines === 0 ? [] : selected.slice(-opts.tailLines);
  return selected.map((l) => (opts.timestamps ? l : l.slice(l.indexOf(' ') + 1)) + '\n').join('');
}

function clip(text: string, opts: LogReadOptions, sent: number): string {
  if (opts.limitBytes === undefined) return text;
  const room = opts.limitBytes - sent;
  if (room <= 0) return '';
  return text.length <= room ? text : text.slice(0, room);
}

/** The mode of a finished container's log file, and of one still written (owner-only: logs may hold secrets). */
const SEALED_MODE = 0o400;
const OPEN_MODE = 0o600;

/** True when the file exists and nobody may write it (a sealed log). */
function isSealed(file: string): boolean {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st !== undefined && (st.mode & 0o200) === 0;
}

function fileSize(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

function readRange(file: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the whole buffer (a short write to a regular file is rare, but possible). */
function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off);
}

/** Log files kept open at most (least recently opened are closed first; a later append reopens). */
const MAX_OPEN_LOGS = 64;

/** The file-backed LogStore. */
export class FileLogStore implements LogStore {
  private readonly streams = new Map<string, Stream>();
  /** Directories known to exist. */
  private readonly dirs = new Set<string>();
  /** Pod directories removed, whose late output is dropped until open() (oldest first, bounded). */
  private readonly removed = new Set<string>();
  /** Streams with an open fd, oldest first. */
  private readonly openFds = new Set<Stream>();

  private readonly maxBytes: number;

  /** `maxBytes`: cap of one container's stored log (default DEFAULT_MAX_LOG_BYTES). */
  constructor(private readonly dir: string, opts: { maxBytes?: number } = {}) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
  }

  remove(ns: string, pod: string): void {
    const dir = path.join(this.dir, safe(ns), safe(pod));
    for (const [key, s] of this.streams) {
      if (s.dir !== dir) continue;
      this.closeFd(s);
      for (const f of [...s.followers]) f.end();
      this.streams.delete(key);
    }
    this.dirs.delete(dir);
    this.removed.add(dir);
    if (this.removed.size > MAX_REMOVED) this.removed.delete(this.removed.values().next().value as string);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  open(ns: string, pod: string): void {
    this.removed.delete(path.join(this.dir, safe(ns), safe(pod)));
  }

  /** True when the pod of `s` was removed (and not opened again): its output goes nowhere. */
  private gone(ns: string, pod: string): boolean {
    return this.removed.size > 0 && this.removed.has(path.join(this.dir, safe(ns), safe(pod)));
  }

  /**
   * Retention by age (`--log-retention`): removes the logs of every pod whose containers have all finished and whose
   * newest log was written before `cutoffMs` (epoch ms). Answers how many pods' logs went.
   */
  removeFinishedBefore(cutoffMs: number): number {
    let removed = 0;
    if (!fs.existsSync(this.dir)) return 0;
    for (const ns of fs.readdirSync(this.dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const nsDir = path.join(this.dir, ns.name);
      for (const pod of fs.readdirSync(nsDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        const dir = path.join(nsDir, pod.name);
        const files = fs.readdirSync(dir).map((f) => ({ f, st: fs.statSync(path.join(dir, f), { throwIfNoEntry: false }) }));
        const running = files.some(({ f, st }) => f.endsWith('.log') && st !== undefined && (st.mode & 0o200) !== 0);
        const newest = Math.max(0, ...files.map(({ st }) => st?.mtimeMs ?? 0));
        if (running || newest >= cutoffMs) continue;
        this.remove(decodeURIComponent(ns.name), decodeURIComponent(pod.name));
        removed++;
      }
    }
    return removed;
  }

  private stream(ns: string, pod: string, container: string): Stream {
    const key = `${ns}/${pod}/${container}`;
    let s = this.streams.get(key);
    if (!s) {
      const dir = path.join(this.dir, safe(ns), safe(pod));
      const base = path.join(dir, safe(container));
      s = { key, dir, file: `${base}.log`, marker: `${base}.done`, partial: '', followers: new Set() };
      this.streams.set(key, s);
    }
    return s;
  }

  /** Runs `fn` (which creates or opens a file in `s.dir`); creates the directory first time, or when it went away. */
  private inDir<T>(s: Stream, fn: () => T): T {
    if (!this.dirs.has(s.dir)) {
      fs.mkdirSync(s.dir, { recursive: true, mode: 0o700 });
      if (this.dirs.size >= 4096) this.dirs.clear(); // a cache: a directory not in it is only made again (a no-op)
      this.dirs.add(s.dir);
    }
    try {
      return fn();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.dirs.delete(s.dir);
      fs.mkdirSync(s.dir, { recursive: true, mode: 0o700 });
      this.dirs.add(s.dir);
      return fn();
    }
  }

  private fdOf(s: Stream): number {
    if (s.fd !== undefined) return s.fd;
    const fd = this.inDir(s, () => fs.openSync(s.file, 'a', OPEN_MODE));
    s.fd = fd;
    s.size ??= fs.fstatSync(fd).size;
    this.openFds.add(s);
    if (this.openFds.size > MAX_OPEN_LOGS) {
      const oldest = this.openFds.values().next().value as Stream;
      this.closeFd(oldest);
    }
    return fd;
  }

  private closeFd(s: Stream): void {
    if (s.fd === undefined) return;
    this.openFds.delete(s);
    const fd = s.fd;
    s.fd = undefined;
    fs.closeSync(fd);
  }

  append(ns: string, pod: string, container: string, chunk: string | Uint8Array): void {
    if (this.gone(ns, pod)) return;
    const s = this.stream(ns, pod, container);
    const text = s.partial + byteString(chunk);
    const parts = text.split('\n');
    s.partial = parts.pop() ?? '';
    if (this.finishedStream(s)) {
      // output after finish(): the container is running again
      if (isSealed(s.file)) fs.chmodSync(s.file, OPEN_MODE);
      fs.rmSync(s.marker, { force: true });
      s.finished = false;
    }
    this.writeLines(s, parts);
  }

  finish(ns: string, pod: string, container: string): void {
    if (this.gone(ns, pod)) return;
    const s = this.stream(ns, pod, container);
    if (s.partial !== '') {
      const last = s.partial;
      s.partial = '';
      this.writeLines(s, [last]);
    }
    this.seal(s);
    s.finished = true;
    for (const f of [...s.followers]) {
      f.finishing = true;
      this.pump(s, f);
    }
    this.streams.delete(s.key); // all it holds now is on disk
  }

  /** Marks a stream finished on disk: seals its log file, or creates the marker when it has none. */
  private seal(s: Stream): void {
    if (s.fd !== undefined) {
      fs.fchmodSync(s.fd, SEALED_MODE);
      this.closeFd(s);
      return;
    }
    try {
      fs.chmodSync(s.file, SEALED_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.inDir(s, () => fs.closeSync(fs.openSync(s.marker, 'w', OPEN_MODE)));
    }
  }

  isFinished(ns: string, pod: string, container: string): boolean {
    return this.finishedStream(this.stream(ns, pod, container));
  }

  containers(ns: string, pod: string): string[] {
    const dir = path.join(this.dir, safe(ns), safe(pod));
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4));
  }

  private finishedStream(s: Stream): boolean {
    s.finished ??= isSealed(s.file) || fs.existsSync(s.marker);
    return s.finished;
  }

  read(ns: string, pod: string, container: string, opts: LogReadOptions = {}): string {
    return clip(formatLines(this.storedLines(this.stream(ns, pod, container)), opts), opts, 0);
  }

  follow(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown): LogFollow {
    return this.startFollower(ns, pod, container, opts, onData, false);
  }

  readStream(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown): LogFollow {
    return this.startFollower(ns, pod, container, opts, onData, true);
  }

  private startFollower(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown, untilNow: boolean): LogFollow {
    const s = this.stream(ns, pod, container);
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const f: Follower = { opts, sent: 0, onData, offset: 0, paused: false, finishing: false, end: () => { s.followers.delete(f); resolve(); } };
    s.followers.add(f);
    if (opts.tailLines !== undefined || opts.sinceSeconds !== undefined || opts.sinceTime) {
      // a window of what is stored: chosen from the whole file, then the follower goes on from its end
      f.offset = fileSize(s.file);
      if (opts.tailLines !== 0) this.deliver(f, formatLines(this.storedLines(s), opts));
    }
    f.finishing = untilNow || this.isFinished(ns, pod, container);
    this.pump(s, f);
    return { done, stop: f.end, resume: () => { f.paused = false; this.pump(s, f); } };
  }

  /** Delivers the follower what the file holds beyond its offset, a chunk at a time, until it pauses or is current. */
  private pump(s: Stream, f: Follower): void {
    const fresh = { ...f.opts, tailLines: undefined, sinceSeconds: undefined, sinceTime: undefined };
    while (!f.paused && s.followers.has(f)) {
      const size = fileSize(s.file);
      if (f.offset >= size) break;
      const buf = readRange(s.file, f.offset, Math.min(size - f.offset, PUMP_BYTES));
      let end = buf.lastIndexOf(0x0a) + 1;
      if (end === 0) end = buf.length; // a line longer than a chunk: delivered in pieces
      f.offset += end;
      const lines = buf.subarray(0, end).toString('latin1').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      this.deliver(f, formatLines(lines, fresh));
    }
    if (f.finishing && !f.paused && f.offset >= fileSize(s.file)) f.end();
  }

  private storedLines(s: Stream): string[] {
    let text: string;
    try {
      text = fs.readFileSync(s.file, 'latin1');
    } catch {
      return [];
    }
    const lines = text.split('\n');
    lines.pop();
    return lines;
  }

  private writeLines(s: Stream, lines: string[]): void {
    if (lines.length === 0 || s.truncated) return;
    const fd = this.fdOf(s);
    if ((s.size ?? 0) >= this.maxBytes) {
      s.truncated = true;
      return;
    }
    let stored = lines.map((l) => `${nanoTimestamp()} ${l.endsWith('\r') ? l.slice(0, -1) : l}`);
    let buf = Buffer.from(stored.map((l) => `${l}\n`).join(''), 'latin1');
    if ((s.size ?? 0) + buf.length > this.maxBytes) {
      // keep the whole lines that fit, then say that the rest is dropped (as the kubelet's rotation would lose it)
      const kept: string[] = [];
      let room = this.maxBytes - (s.size ?? 0);
      for (const l of stored) {
        const n = l.length + 1;
        if (n > room) break;
        kept.push(l);
        room -= n;
      }
      stored = [...kept, `${nanoTimestamp()} ${truncatedLine(this.maxBytes)}`];
      buf = Buffer.from(stored.map((l) => `${l}\n`).join(''), 'latin1');
      s.truncated = true;
    }
    const before = s.size ?? 0;
    writeAll(fd, buf);
    s.size = before + buf.length;
    for (const f of [...s.followers]) {
      if (f.paused) continue;
      if (f.offset !== before) {
        this.pump(s, f);
        continue;
      }
      // a current follower gets the new lines from memory
      f.offset = s.size;
      const fresh = { ...f.opts, tailLines: undefined, sinceSeconds: undefined, sinceTime: undefined };
      this.deliver(f, formatLines(stored, fresh));
    }
  }

  private deliver(f: Follower, text: string): void {
    const out = clip(text, f.opts, f.sent);
    if (out) {
      f.sent += out.length;
      if (f.onData(out) === false) f.paused = true;
    }
    if (f.opts.limitBytes !== undefined && f.sent >= f.opts.limitBytes) f.end();
  }
}
