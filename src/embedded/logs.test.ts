import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogStore, formatLines, nanoTimestamp } from './logs.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function store(): { logs: FileLogStore; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-logs-'));
  dirs.push(dir);
  return { logs: new FileLogStore(dir), dir };
}

describe('FileLogStore', () => {
  it('a follower whose reader is full pauses, then reads the rest from the file; it ends only once it has it all', async () => {
    const { logs } = store();
    logs.append('ns', 'pod', 'c', 'a\n');
    const got: string[] = [];
    let full = true;
    const f = logs.follow('ns', 'pod', 'c', {}, (t) => { got.push(t); return !full; });
    expect(got).toEqual(['a\n']); // delivered, and the reader said it is full: paused
    logs.append('ns', 'pod', 'c', 'b\nc\n');
    logs.append('ns', 'pod', 'c', 'd\n');
    logs.finish('ns', 'pod', 'c');
    expect(got).toEqual(['a\n']);
    let ended = false;
    void f.done.then(() => { ended = true; });
    await Promise.resolve();
    expect(ended).toBe(false);
    full = false;
    f.resume();
    expect(got.join('')).toBe('a\nb\nc\nd\n');
    await f.done;
    const whole: string[] = [];
    await logs.readStream('ns', 'pod', 'c', {}, (t) => whole.push(t)).done;
    expect(whole.join('')).toBe('a\nb\nc\nd\n');
  });

  it('drops what a removed pod still writes (its containers being stopped) until a pod of that name opens again', () => {
    const { logs, dir } = store();
    logs.append('ns', 'pod', 'c', 'running\n');
    logs.remove('ns', 'pod');
    logs.append('ns', 'pod', 'c', 'late\n');
    logs.finish('ns', 'pod', 'c');
    expect(fs.existsSync(path.join(dir, 'ns', 'pod'))).toBe(false);
    logs.append('ns', 'other', 'c', 'another pod\n');
    expect(logs.read('ns', 'other', 'c')).toBe('another pod\n');
    logs.open('ns', 'pod');
    logs.append('ns', 'pod', 'c', 'new pod\n');
    logs.finish('ns', 'pod', 'c');
    expect(logs.read('ns', 'pod', 'c')).toBe('new pod\n');
    expect(logs.isFinished('ns', 'pod', 'c')).toBe(true);
  });

  it('keeps bytes that are not UTF-8 as they are (byte strings in, bytes out)', () => {
    const { logs } = store();
    logs.append('ns', 'pod', 'c', Buffer.from([0xff, 0xfe, 0x0a]));
    logs.append('ns', 'pod', 'c', 'café\n');
    expect([...Buffer.from(logs.read('ns', 'pod', 'c'), 'latin1')]).toEqual([0xff, 0xfe, 0x0a, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x0a]);
  });

  it('stores complete lines with RFC 3339 nanosecond timestamps; partial lines wait for their newline', () => {
    const { logs, dir } = store();
    logs.append('ns', 'pod', 'c', 'one\ntw');
    expect(logs.read('ns', 'pod', 'c')).toBe('one\n');
    logs.append('ns', 'pod', 'c', Buffer.from('o\n'));
    expect(logs.read('ns', 'pod', 'c')).toBe('one\ntwo\n');
    const stored = fs.readFileSync(path.join(dir, 'ns', 'pod', 'c.log'), 'utf8');
    expect(stored).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n/);
    expect(logs.read('ns', 'pod', 'c', { timestamps: true })).toMatch(/^\S+Z one\n\S+Z two\n$/);
    logs.append('ns', 'pod', 'c', 'tail without newline');
    logs.finish('ns', 'pod', 'c');
    expect(logs.read('ns', 'pod', 'c', { tailLines: 2 })).toBe('two\ntail without newline\n');
    expect(logs.read('ns', 'pod', 'c', { limitBytes: 5 })).toBe('one\nt');
    expect(logs.isFinished('ns', 'pod', 'c')).toBe(true);
    expect(new FileLogStore(dir).isFinished('ns', 'pod', 'c')).toBe(true);
    expect(logs.read('ns', 'pod', 'missing')).toBe('');
  });

  it('follows: existing lines, then new ones, until finish()', async () => {
    const { logs } = store();
    logs.append('ns', 'p', 'c', 'a\n');
    const chunks: string[] = [];
    const f = logs.follow('ns', 'p', 'c', {}, (t) => chunks.push(t));
    logs.append('ns', 'p', 'c', 'b\nc\n');
    logs.finish('ns', 'p', 'c');
    await f.done;
    expect(chunks.join('')).toBe('a\nb\nc\n');
    const late: string[] = [];
    await logs.follow('ns', 'p', 'c', { tailLines: 1 }, (t) => late.push(t)).done; // finished: ends at once
    expect(late.join('')).toBe('c\n');
  });

  it('stops following at limitBytes or stop()', async () => {
    const { logs } = store();
    const got: string[] = [];
    const f = logs.follow('ns', 'p', 'c', { limitBytes: 3 }, (t) => got.push(t));
    logs.append('ns', 'p', 'c', 'abcdef\n');
    await f.done;
    expect(got.join('')).toBe('abc');
    const g = logs.follow('ns', 'p', 'd', {}, () => undefined);
    g.stop();
    await g.done;
  });

  it('seals a finished log; a container without output gets no file, only a journal line; output after finish reopens it', () => {
    const { logs, dir } = store();
    logs.append('ns', 'p', 'c', 'a\n');
    logs.finish('ns', 'p', 'c');
    logs.finish('ns', 'p', 'quiet');
    logs.finish('ns', 'alone', 'quiet');
    expect(fs.statSync(path.join(dir, 'ns', 'p', 'c.log')).mode & 0o777).toBe(0o400);
    expect(fs.readdirSync(path.join(dir, 'ns', 'p'))).toEqual(['c.log']);
    expect(fs.existsSync(path.join(dir, 'ns', 'alone'))).toBe(false);
    expect(logs.containers('ns', 'p')).toEqual(['c']);
    expect(logs.read('ns', 'alone', 'quiet')).toBe('');
    const again = new FileLogStore(dir);
    expect([again.isFinished('ns', 'p', 'c'), again.isFinished('ns', 'p', 'quiet'), again.isFinished('ns', 'alone', 'quiet'), again.isFinished('ns', 'p', 'other')]).toEqual([true, true, true, false]);
    again.append('ns', 'p', 'c', 'b\n');
    again.append('ns', 'p', 'quiet', 'now\n');
    expect([again.isFinished('ns', 'p', 'c'), again.isFinished('ns', 'p', 'quiet')]).toEqual([false, false]);
    expect(again.read('ns', 'p', 'c')).toBe('a\nb\n');
    expect(new FileLogStore(dir).isFinished('ns', 'p', 'quiet')).toBe(false); // its (open) log file decides now
  });

  it('a follower of a container that finished without output gets an empty log and ends, also after a restart', async () => {
    const { logs, dir } = store();
    const got: string[] = [];
    const f = logs.follow('ns', 'p', 'quiet', {}, (t) => got.push(t));
    logs.finish('ns', 'p', 'quiet');
    await f.done;
    await logs.follow('ns', 'p', 'quiet', {}, (t) => got.push(t)).done;
    await new FileLogStore(dir).follow('ns', 'p', 'quiet', { tailLines: 5 }, (t) => got.push(t)).done;
    expect(got).toEqual([]);
  });

  it('forgets a removed pod\'s quiet containers (also after a restart); a new pod of that name starts afresh', () => {
    const { logs, dir } = store();
    logs.finish('ns', 'p', 'quiet');
    logs.remove('ns', 'p');
    expect(logs.isFinished('ns', 'p', 'quiet')).toBe(false);
    expect(new FileLogStore(dir).isFinished('ns', 'p', 'quiet')).toBe(false);
    logs.open('ns', 'p');
    logs.finish('ns', 'p', 'quiet');
    expect(new FileLogStore(dir).isFinished('ns', 'p', 'quiet')).toBe(true);
  });

  it('retention removes pods by the age of their newest log or quiet container, never one still running', () => {
    const { logs, dir } = store();
    logs.append('ns', 'old', 'c', 'x\n');
    logs.finish('ns', 'old', 'c');
    logs.finish('ns', 'old', 'quiet');
    logs.finish('ns', 'quiet-only', 'q');
    logs.append('ns', 'running', 'c', 'still\n');
    expect(logs.removeFinishedBefore(Date.now() - 60_000)).toBe(0);
    expect(logs.removeFinishedBefore(Date.now() + 1000)).toBe(2);
    expect(fs.existsSync(path.join(dir, 'ns', 'old'))).toBe(false);
    expect([logs.isFinished('ns', 'old', 'quiet'), logs.isFinished('ns', 'quiet-only', 'q')]).toEqual([false, false]);
    expect(logs.read('ns', 'running', 'c')).toBe('still\n');
  });

  it('rewrites the journal without the removed pods once most of its lines are dead, keeping the live ones', () => {
    const { logs, dir } = store();
    logs.finish('ns', 'kept', 'q');
    for (let i = 0; i < 3000; i++) {
      logs.finish('ns', `p${i}`, 'q');
      logs.remove('ns', `p${i}`);
    }
    const lines = fs.readFileSync(path.join(dir, 'quiet-finished.journal'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(4096);
    const again = new FileLogStore(dir);
    expect([again.isFinished('ns', 'kept', 'q'), again.isFinished('ns', 'p0', 'q'), again.isFinished('ns', 'p2999', 'q')]).toEqual([true, false, false]);
  });

  it('ignores a journal line cut short by a crash, and keeps what comes after it', () => {
    const { logs, dir } = store();
    logs.finish('ns', 'p', 'a');
    fs.appendFileSync(path.join(dir, 'quiet-finished.journal'), '+17333000');
    const again = new FileLogStore(dir);
    again.finish('ns', 'q', 'b');
    const third = new FileLogStore(dir);
    expect([third.isFinished('ns', 'p', 'a'), third.isFinished('ns', 'q', 'b')]).toEqual([true, true]);
  });

  it('reads the .done marker of older stores as finished; output after it removes the marker', () => {
    const { dir } = store();
    fs.mkdirSync(path.join(dir, 'ns', 'p'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ns', 'p', 'quiet.done'), '');
    const logs = new FileLogStore(dir);
    expect(logs.isFinished('ns', 'p', 'quiet')).toBe(true);
    logs.append('ns', 'p', 'quiet', 'now\n');
    expect(logs.isFinished('ns', 'p', 'quiet')).toBe(false);
    expect(fs.existsSync(path.join(dir, 'ns', 'p', 'quiet.done'))).toBe(false);
  });

  it('keeps every line when more containers run than log files are kept open', () => {
    const { logs } = store();
    for (let round = 0; round < 3; round++) for (let i = 0; i < 100; i++) logs.append('ns', `p${i}`, 'c', `line ${round}\n`);
    for (let i = 0; i < 100; i++) logs.finish('ns', `p${i}`, 'c');
    for (const i of [0, 63, 64, 99]) expect(logs.read('ns', `p${i}`, 'c')).toBe('line 0\nline 1\nline 2\n');
  });

  it('filters by sinceSeconds and formats timestamps', () => {
    const now = Date.parse('2025-01-01T00:01:00Z');
    const lines = ['2025-01-01T00:00:00.000000000Z old', '2025-01-01T00:00:50.000000000Z new'];
    expect(formatLines(lines, { sinceSeconds: 30 }, now)).toBe('new\n');
    expect(nanoTimestamp()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });
});
