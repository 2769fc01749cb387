import { describe, expect, it } from 'vitest';
import { lineLogger, linesPerTurn } from './log-lines.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('sink log lines', () => {
  it('lines of one turn reach the log of their EventListener in one write, in order', async () => {
    const writes: Array<[string, string, string]> = [];
    const lines = linesPerTurn((ns, name, text) => writes.push([ns, name, text]));
    const log = lineLogger(lines.write);
    log.info({ eventlistener: 'a', namespace: 'ns', '/triggers-eventid': '1' }, 'first');
    log.warn({ eventlistener: 'b', namespace: 'ns' }, 'other');
    log.info({ eventlistener: 'a', namespace: 'ns', '/triggers-eventid': '2' }, 'second');
    expect(writes).toEqual([]);
    await turn();
    expect(writes.map(([ns, name]) => `${ns}/${name}`)).toEqual(['ns/a', 'ns/b']);
    const a = (writes[0]?.[2] ?? '').split('\n');
    expect(a).toHaveLength(3); // two lines and the empty rest after the last newline
    expect(a.slice(0, 2).map((l) => (JSON.parse(l) as { msg: string; level: string }).msg)).toEqual(['first', 'second']);
    expect(JSON.parse(writes[1]?.[2] ?? '')).toMatchObject({ level: 'warn', msg: 'other', eventlistener: 'b' });
    log.info({ eventlistener: 'a', namespace: 'ns' }, 'third');
    lines.flush(); // at shutdown: what waits is written now
    expect(writes).toHaveLength(3);
    await turn();
    expect(writes).toHaveLength(3);
  });

  it('a write that throws (a full disk) drops its lines and not the others', async () => {
    const written: string[] = [];
    const lines = linesPerTurn((_ns, name, text) => {
      if (name === 'broken') throw new Error('ENOSPC');
      written.push(`${name}:${text}`);
    });
    lines.write('ns', 'broken', 'x\n');
    lines.write('ns', 'fine', 'y\n');
    await turn(); // a throw here would be an uncaught exception: the test run would fail
    expect(written).toEqual(['fine:y\n']);
    lines.write('ns', 'broken', 'z\n');
    expect(() => lines.flush()).not.toThrow();
  });
});
