/**
 * Container logs of the embedded cluster: the kubelet appends output, the API server serves `pods/log`.
 * `FileLogStore` keeps `<dir>/<ns>/<pod>/<container>.log`, one line per stored line, each prefixed with its
 * RFC 3339 (nanosecond) timestamp and a space. A finished container's log file is sealed read-only (mode 0400).
 * Logs outlive pods. The hot path stays cheap at high pod rates, where creating a file is the expensive part: a
 * container's file (and its pod's directory) is created only when it first writes output; one that wrote nothing
 * is recorded as finished in one journal for the store (logs-quiet.ts; older data dirs have a `<container>.done`
 * marker instead); directories are created once (remembered), a running container's log stays open so that an
 * append is one write(2), and finish() seals the open file (fchmod).
 */
import fs from 'node:fs';
import path from 'node:path';
import { deliverAppended, finishFollowers, modeOf, startFollower, storedLines, writeAll, type Follower, type LogFollow } from './logs-follow.js';
import { byteString, clip, formatLines, linesToStore, type LogReadOptions } from './logs-format.js';
import { QuietJournal } from './logs-quiet.js';

export { byteString, bytesOf, formatLines, nanoTimestamp, truncatedLine, type LogReadOptions } from './logs-format.js';
export type { LogFollow } from './logs-follow.js';

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
/** Log files kept open at most (least recently opened are closed first; a later append reopens). */
const MAX_OPEN_LOGS = 64;
/** The mode of a finished container's log file, and of one still written (owner-only: logs may hold secrets). */
const SEALED_MODE = 0o400;
const OPEN_MODE = 0o600;

interface Stream {
  key: string;
  dir: string;
  /** `<ns>/<pod>` and `<container>` as in the paths (URI-encoded): the quiet journal's keys. */
  pod: string;
  name: string;
  file: string;
  /** `<container>.done`: how older stores marked a finished container without a log file. */
  marker: string;
  /** The log file, open for appending while the container runs (see FileLogStore.openFds). */
  fd?: number;
  /** Known finished state (read from the file, the journal or a marker on first use). */
  finished?: boolean;
  partial: string;
  followers: Set<Follower>;
  /** Bytes in the log file (known once it was opened for appending). */
  size?: number;
  /** The cap was reached: the truncation line is written, later output dropped. */
  truncated?: boolean;
}

function safe(part: string): string {
  if (!part || part === '.' || part === '..') throw new Error(`invalid log path element "${part}"`);
  return encodeURIComponent(part);
}

/** The file-backed LogStore. */
export class FileLogStore implements LogStore {
  private readonly streams = new Map<string, Stream>();
  /** Directories known to exist. */
  private readonly dirs = new Set<string>();
  /** Pods (`<ns>/<pod>`, encoded) whose logs were removed: late output is dropped until open() (oldest first, bounded). */
  private readonly removed = new Set<string>();
  /** Streams with an open fd, oldest first. */
  private readonly openFds = new Set<Stream>();
  private readonly quiet: QuietJournal;
  private readonly maxBytes: number;

  /** `maxBytes`: cap of one container's stored log (default DEFAULT_MAX_LOG_BYTES). */
  constructor(private readonly dir: string, opts: { maxBytes?: number } = {}) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
    this.quiet = new QuietJournal(dir);
  }

  remove(ns: string, pod: string): void {
    const rel = `${safe(ns)}/${safe(pod)}`;
    const dir = path.join(this.dir, rel);
    for (const [key, s] of this.streams) {
      if (s.dir !== dir) continue;
      this.closeFd(s);
      for (const f of [...s.followers]) f.end();
      this.streams.delete(key);
    }
    this.dirs.delete(dir);
    this.removed.add(rel);
    if (this.removed.size > MAX_REMOVED) this.removed.delete(this.removed.values().next().value as string);
    this.quiet.removePod(rel);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  open(ns: string, pod: string): void {
    if (this.removed.size > 0) this.removed.delete(`${safe(ns)}/${safe(pod)}`);
  }

  /** True when the pod of `s` was removed (and not opened again): its output goes nowhere. */
  private gone(ns: string, pod: string): boolean {
    return this.removed.size > 0 && this.removed.has(`${safe(ns)}/${safe(pod)}`);
  }

  /**
   * Retention by age (`--log-retention`): removes the logs of every pod whose containers have all finished and whose
   * newest log was written (or quiet container finished) before `cutoffMs` (epoch ms). Answers how many pods' logs went.
   */
  removeFinishedBefore(cutoffMs: number): number {
    let removed = 0;
    if (!fs.existsSync(this.dir)) return 0;
    const withDir = new Set<string>();
    const drop = (rel: string): void => {
      const [ns = '', pod = ''] = rel.split('/');
      this.remove(decodeURIComponent(ns), decodeURIComponent(pod));
      removed++;
    };
    for (const ns of fs.readdirSync(this.dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const nsDir = path.join(this.dir, ns.name);
      for (const pod of fs.readdirSync(nsDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        const rel = `${ns.name}/${pod.name}`;
        withDir.add(rel);
        const dir = path.join(nsDir, pod.name);
        const files = fs.readdirSync(dir).map((f) => ({ f, st: fs.statSync(path.join(dir, f), { throwIfNoEntry: false }) }));
        const running = files.some(({ f, st }) => f.endsWith('.log') && st !== undefined && (st.mode & 0o200) !== 0);
        const newest = Math.max(this.quiet.finishedAt(rel) ?? 0, ...files.map(({ st }) => st?.mtimeMs ?? 0));
        if (!running && newest < cutoffMs) drop(rel);
      }
    }
    for (const rel of this.quiet.podKeys()) {
      if (!withDir.has(rel) && (this.quiet.finishedAt(rel) ?? 0) < cutoffMs) drop(rel);
    }
    return removed;
  }

  private stream(ns: string, pod: string, container: string): Stream {
    const key = `${ns}/${pod}/${container}`;
    let s = this.streams.get(key);
    if (!s) {
      const rel = `${safe(ns)}/${safe(pod)}`;
      const name = safe(container);
      const dir = path.join(this.dir, rel);
      const base = path.join(dir, name);
      s = { key, dir, pod: rel, name, file: `${base}.log`, marker: `${base}.done`, partial: '', followers: new Set() };
      this.streams.set(key, s);
    }
    return s;
  }

  /** Opens (creating it and its directory when needed) the log file of `s` for appending. */
  private fdOf(s: Stream): number {
    if (s.fd !== undefined) return s.fd;
    const create = (): number => fs.openSync(s.file, 'a', OPEN_MODE);
    if (!this.dirs.has(s.dir)) {
      fs.mkdirSync(s.dir, { recursive: true, mode: 0o700 });
      if (this.dirs.size >= 4096) this.dirs.clear(); // a cache: a directory not in it is only made again (a no-op)
      this.dirs.add(s.dir);
    }
    let fd: number;
    try {
      fd = create();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      fs.mkdirSync(s.dir, { recursive: true, mode: 0o700 }); // the directory went away meanwhile
      fd = create();
    }
    s.fd = fd;
    s.size ??= fs.fstatSync(fd).size;
    this.openFds.add(s);
    if (this.openFds.size > MAX_OPEN_LOGS) this.closeFd(this.openFds.values().next().value as Stream);
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
      const mode = modeOf(s.file);
      if (mode !== undefined && (mode & 0o200) === 0) fs.chmodSync(s.file, OPEN_MODE);
      this.quiet.forget(s.pod, s.name);
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
    finishFollowers(s);
    this.streams.delete(s.key); // all it holds now is on disk
  }

  /** Marks a stream finished on disk: seals its log file, or records it in the quiet journal when it has none. */
  private seal(s: Stream): void {
    if (s.fd !== undefined) {
      fs.fchmodSync(s.fd, SEALED_MODE);
      this.closeFd(s);
      return;
    }
    // s.size is known once this store opened the file; else it may exist from before (a restart), or not at all
    if (s.size !== undefined || modeOf(s.file) !== undefined) fs.chmodSync(s.file, SEALED_MODE);
    else this.quiet.add(s.pod, s.name);
  }

  isFinished(ns: string, pod: string, container: string): boolean {
    return this.finishedStream(this.stream(ns, pod, container));
  }

  containers(ns: string, pod: string): string[] {
    const dir = path.join(this.dir, safe(ns), safe(pod));
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => decodeURIComponent(f.slice(0, -4)));
  }

  /** A log file decides by its mode (sealed: finished); without one, the quiet journal or an older marker does. */
  private finishedStream(s: Stream): boolean {
    if (s.finished === undefined) {
      const mode = modeOf(s.file);
      s.finished = mode !== undefined ? (mode & 0o200) === 0 : this.quiet.has(s.pod, s.name) || fs.existsSync(s.marker);
    }
    return s.finished;
  }

  read(ns: string, pod: string, container: string, opts: LogReadOptions = {}): string {
    return clip(formatLines(storedLines(this.stream(ns, pod, container).file), opts), opts, 0);
  }

  follow(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown): LogFollow {
    const s = this.stream(ns, pod, container);
    return startFollower(s, opts, onData, () => this.finishedStream(s));
  }

  readStream(ns: string, pod: string, container: string, opts: LogReadOptions, onData: (text: string) => unknown): LogFollow {
    return startFollower(this.stream(ns, pod, container), opts, onData, () => true);
  }

  private writeLines(s: Stream, lines: string[]): void {
    if (lines.length === 0 || s.truncated) return;
    const fd = this.fdOf(s);
    if ((s.size ?? 0) >= this.maxBytes) {
      s.truncated = true;
      return;
    }
    const { stored, buf, truncated } = linesToStore(lines, s.size ?? 0, this.maxBytes);
    if (truncated) s.truncated = true;
    const before = s.size ?? 0;
    writeAll(fd, buf);
    s.size = before + buf.length;
    deliverAppended(s, stored, before, s.size);
  }
}
