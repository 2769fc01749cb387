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

interface QuietPod {
  /** When its last quiet container finished (epoch ms). */
  at: number;
  containers: Set<string>;
}

/** The containers that finished without output, by pod (`<ns>/<pod>`, the pod's directory under the store). */
export class QuietJournal {
  private readonly pods = new Map<string, QuietPod>();
  private readonly file: string;
  private fd?: number;
  /** Lines in the file, and live entries in memory (to decide when to rewrite). */
  private lines = 0;
  private entries = 0;

  constructor(dir: string) {
    this.file = path.join(dir, QUIET_JOURNAL);
    this.load();
  }

  has(pod: string, container: string): boolean {
    return this.pods.get(pod)?.containers.has(container) === true;
  }

  /** When the last quiet container of `pod` finished (epoch ms), if one did. */
  finishedAt(pod: string): number | undefined {
    return this.pods.get(pod)?.at;
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
    const p = this.pods.get(pod);
    if (!p?.containers.delete(container)) return;
    this.entries--;
    if (p.containers.size === 0) this.pods.delete(pod);
  }

  /** The pod's logs were removed. */
  removePod(pod: string): void {
    const p = this.pods.get(pod);
    if (!p) return;
    this.pods.delete(pod);
    this.entries -= p.containers.size;
    this.write(`-${pod}\n`);
  }

  private note(pod: string, container: string, at: number): void {
    let p = this.pods.get(pod);
    if (!p) this.pods.set(pod, (p = { at, containers: new Set() }));
    if (at > p.at) p.at = at;
    if (!p.containers.has(container)) {
      p.containers.add(container);
      this.entries++;
    }
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.lines++;
      if (line.startsWith('-')) {
        const p = this.pods.get(line.slice(1));
        if (p) this.entries -= p.containers.size;
        this.pods.delete(line.slice(1));
        continue;
      }
      const m = /^\+(\d+) ([^/\s]+\/[^/\s]+)\/([^/\s]+)$/.exec(line);
      if (m) this.note(m[2] as string, m[3] as string, Number(m[1])); // else a line cut short by a crash: ignored
    }
    this.compactIfSparse();
  }

  private write(line: string): void {
    this.fd ??= fs.openSync(this.file, 'a', 0o600);
    writeAll(this.fd, Buffer.from(line, 'utf8'));
    this.lines++;
    this.compactIfSparse();
  }

  /** Rewrites the journal with only the live entries once most of its lines are dead. */
  private compactIfSparse(): void {
    if (this.lines < COMPACT_MIN_LINES || this.lines <= 2 * this.entries) return;
    const out: string[] = [];
    for (const [pod, p] of this.pods) for (const c of p.containers) out.push(`+${p.at} ${pod}/${c}\n`);
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, out.join(''), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.lines = out.length;
  }
}
