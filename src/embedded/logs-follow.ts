/**
 * Readers of one container's log file: followers (`pods/log?follow=true`) and whole-log streams. A follower that
 * is current gets new lines from memory as they are written; one that is behind (its reader's buffer was full)
 * reads the file from its offset, a chunk at a time, so memory stays bounded however fast a container writes.
 * Also the store's small file helpers.
 */
import fs from 'node:fs';
import { clip, formatLines, freshOptions, type LogReadOptions } from './logs-format.js';

/** A running follow: `done` resolves when the container finished, the byte limit was hit, or `stop()` was called. */
export interface LogFollow {
  done: Promise<void>;
  stop(): void;
  /** Delivers again after onData answered false (the reader's buffer is full): call it on the reader's 'drain'. */
  resume(): void;
}

/** One reader of a log. */
export interface Follower {
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

/** A log file and its readers. */
export interface Followed {
  file: string;
  followers: Set<Follower>;
}

/** How much of a log file a lagging follower reads at a time. */
const PUMP_BYTES = 1 << 20;

/** The mode of an existing file, undefined when there is none. */
export function modeOf(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.mode;
}

/** Writes the whole buffer (a short write to a regular file is rare, but possible). */
export function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off);
}

/** Bytes in a file (0 when it does not exist). */
export function fileSize(file: string): number {
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

/** Every stored line of a log file (none when it does not exist). */
export function storedLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

/** Registers a reader of `s`; `finished`: the container is done (the reader ends once it has everything). */
export function startFollower(s: Followed, opts: LogReadOptions, onData: (text: string) => unknown, finished: () => boolean): LogFollow {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const f: Follower = { opts, sent: 0, onData, offset: 0, paused: false, finishing: false, end: () => { s.followers.delete(f); resolve(); } };
  s.followers.add(f);
  if (opts.tailLines !== undefined || opts.sinceSeconds !== undefined || opts.sinceTime) {
    // a window of what is stored: chosen from the whole file, then the follower goes on from its end
    f.offset = fileSize(s.file);
    if (opts.tailLines !== 0) deliver(f, formatLines(storedLines(s.file), opts));
  }
  f.finishing = finished();
  pump(s, f);
  return { done, stop: f.end, resume: () => { f.paused = false; pump(s, f); } };
}

/** Delivers the follower what the file holds beyond its offset, a chunk at a time, until it pauses or is current. */
export function pump(s: Followed, f: Follower): void {
  const fresh = freshOptions(f.opts);
  while (!f.paused && s.followers.has(f)) {
    const size = fileSize(s.file);
    if (f.offset >= size) break;
    const buf = readRange(s.file, f.offset, Math.min(size - f.offset, PUMP_BYTES));
    let end = buf.lastIndexOf(0x0a) + 1;
    if (end === 0) end = buf.length; // a line longer than a chunk: delivered in pieces
    f.offset += end;
    const lines = buf.subarray(0, end).toString('latin1').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    deliver(f, formatLines(lines, fresh));
  }
  if (f.finishing && !f.paused && f.offset >= fileSize(s.file)) f.end();
}

/** The container finished: every follower ends once it has read the rest. */
export function finishFollowers(s: Followed): void {
  for (const f of [...s.followers]) {
    f.finishing = true;
    pump(s, f);
  }
}

/** `stored` lines were appended to the file (which held `before` bytes, now `size`): current followers get them. */
export function deliverAppended(s: Followed, stored: string[], before: number, size: number): void {
  for (const f of [...s.followers]) {
    if (f.paused) continue;
    if (f.offset !== before) {
      pump(s, f);
      continue;
    }
    // a current follower gets the new lines from memory
    f.offset = size;
    deliver(f, formatLines(stored, freshOptions(f.opts)));
  }
}

function deliver(f: Follower, text: string): void {
  const out = clip(text, f.opts, f.sent);
  if (out) {
    f.sent += out.length;
    if (f.onData(out) === false) f.paused = true;
  }
  if (f.opts.limitBytes !== undefined && f.sent >= f.opts.limitBytes) f.end();
}
