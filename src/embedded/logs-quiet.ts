/**
 * Which containers finished without writing anything: one append-only journal for the whole store instead of a
 * marker file per container. Creating a file (and its pod's directory) is the expensive part of a container's
 * life at high pod rates (~0.3–0.5 ms of kernel CPU each on ext4); an append to an open file is one write(2).
 *
 * Lines: `+<epoch ms> <ns>/<pod>/<container>` (finished with no output) and `-<ns>/<pod>` (the pod's logs were
 * removed), names URI-encoded as in the store's paths. The journal is read once when the store starts and
 * rewritten from memory when its dead lines outnumber the live entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeAll } from './logs-follow.js';

/** The journal's file name in the store's directory (a namespace is a directory, and has no dot in its name). */
export const QUIET_JOURNAL = 'quiet-finished.journal';
/** Below this many lines the journal is never rewritten. */
const COMPACT_MIN_LINES = 4096;

/** The containers that finished without output, by pod (`<ns>/<pod>`, the pod's directory under the store). */
export class QuietJournal {
  /**
   * Pod → `<epoch ms of its last quiet finish>/<container>/<container>/…/` (one string per pod: ~120 bytes of heap
   * per pod instead of ~400 with a record and a Set, for the 100,000s of pods a long-lived store may remember).
   */
  private readonly pods = new Map<string, string>();
  private readonly file: string;
  private fd?: number;
  /** Lines in the file, and live entries in memory (to decide when to rewrite). */
  private lines = 0;
  private entries = 0;
  /** The file ends in a line cut short (a crash): the next line must not be glued to it. */
  private cut = false;

  constructor(dir: string) {
    this.file = path.join(dir, QUIET_JOURNAL);
    this.load();
  }

  has(pod: string, container: string): boolean {
    return this.pods.get(pod)?.includes(`/${container}/`) === true;
  }

  /** When the last quiet container of `pod` finished (epoch ms), if one did. */
  finishedAt(pod: string): number | undefined {
    const v = this.pods.get(pod);
    return v === undefined ? undefined : Number(v.slice(0, v.indexOf('/')));
  }

  /** The pods with an entry. */
  podKeys(): string[] {
    return [...this.pods.keys()];
  }

  /** `container` of `pod` finished without output (recorded on disk before this returns). */
  add(pod: string, container: string, at = Date.now()): void {
    if (this.has(pod, container)) return;
    this.note(pod, container, at);
    this.write(`+${at} ${pod}/${container}\n`);
  }

  /** The container wrote output after all: its log file decides from now on (nothing to record). */
  forget(pod: string, container: string): void {
    const v = this.pods.get(pod);
    if (v === undefined || !v.includes(`/${container}/`)) return;
    this.entries--;
    const rest = v.replace(`/${container}/`, '/');
    if (rest.indexOf('/') === rest.length - 1) this.pods.delete(pod);
    else this.pods.set(pod, rest);
  }

  /** The pod's logs were removed. */
  removePod(pod: string): void {
    const v = this.pods.get(pod);
    if (v === undefined) return;
    this.pods.delete(pod);
    this.entries -= count(v);
    this.write(`-${pod}\n`);
  }

  private note(pod: string, container: string, at: number): void {
    const v = this.pods.get(pod);
    if (v === undefined) {
      this.pods.set(pod, `${at}/${container}/`);
      this.entries++;
      return;
    }
    if (v.includes(`/${container}/`)) return;
    const names = v.slice(v.indexOf('/'));
    this.pods.set(pod, `${Math.max(at, Number(v.slice(0, v.indexOf('/'))))}${names}${container}/`);
    this.entries++;
  }

  private load(): void {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    // each part decoded on its own (not a slice of the whole text, which the map's strings would keep alive)
    for (let start = 0, end = buf.indexOf(0x0a); end >= 0; start = end + 1, end = buf.indexOf(0x0a, start)) {
      if (end === start) continue;
      this.lines++;
      if (buf[start] === 0x2d /* - */) {
        const pod = buf.toString('latin1', start + 1, end);
        const v = this.pods.get(pod);
        if (v !== undefined) this.entries -= count(v);
        this.pods.delete(pod);
        continue;
      }
      const space = buf.indexOf(0x20, start);
      const slash = buf.lastIndexOf(0x2f, end);
      const at = Number(buf.toString('latin1', start + 1, space));
      const pod = buf.toString('latin1', space + 1, slash);
      // a line that does not parse is one cut short by a crash: ignored
      if (buf[start] === 0x2b /* + */ && Number.isInteger(at) && space < end && slash > space && /^[^/ ]+\/[^/ ]+$/.test(pod)) {
        this.note(pod, buf.toString('latin1', slash + 1, end), at);
      }
    }
    this.cut = buf.length > 0 && buf[buf.length - 1] !== 0x0a;
    this.compactIfSparse();
  }

  private write(line: string): void {
    this.fd ??= fs.openSync(this.file, 'a', 0o600);
    writeAll(this.fd, Buffer.from(this.cut ? `\n${line}` : line, 'utf8'));
    this.cut = false;
    this.lines++;
    this.compactIfSparse();
  }

  /** Rewrites the journal with only the live entries once most of its lines are dead. */
  private compactIfSparse(): void {
    if (this.lines < COMPACT_MIN_LINES || this.lines <= 2 * this.entries) return;
    const out: string[] = [];
    for (const [pod, v] of this.pods) {
      const [at, ...names] = v.slice(0, -1).split('/');
      for (const c of names) out.push(`+${at} ${pod}/${c}\n`);
    }
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, out.join(''), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.cut = false;
    this.lines = out.length;
  }
}

/** How many containers a pod's entry names. */
function count(v: string): number {
  let n = -1;
  for (let i = v.indexOf('/'); i >= 0; i = v.indexOf('/', i + 1)) n++;
  return n;
}
