/**
 * An event waiting for its creates to be committed no longer holds its body: V8 keeps every parameter and local of
 * a suspended async function alive, so the sink leaves the frames that saw the body before it waits (process.ts).
 * Ten 2 MB events are held at their create; after a full GC the heap must not hold their parsed bodies.
 */
import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { serveDuringFile, VALUE_EL } from './fixtures.js';
import { memoryLookup } from './lookup.js';
import { createSinkApp } from './sink.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const EVENTS = 10;
let release: () => void = () => {};
const gate = new Promise<void>((resolve) => { release = resolve; });
let waiting = 0;
const app = createSinkApp({
  name: 'el', namespace: 'default', lookup: memoryLookup([VALUE_EL]),
  create: async (o) => { waiting += 1; await gate; return { ...o, metadata: { ...o.metadata, name: `cm-${waiting}` } }; },
  remove: async () => undefined,
});
const server = serveDuringFile(app, () => release());

function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('EventListener sink memory', () => {
  it('does not keep the bodies of events whose creates wait for their commit', async () => {
    // ~2 MB of JSON per event, parsed into ~50,000 small objects
    const bodies = Array.from({ length: EVENTS }, (_, i) => JSON.stringify({ v: `x${i}`, items: Array.from({ length: 50_000 }, (_v, j) => ({ n: j, s: `item-${i}-${j}` })) }));
    gc();
    const before = process.memoryUsage().heapUsed;
    const answers = bodies.map(post);
    for (let i = 0; i < 200 && waiting < EVENTS; i++) await new Promise((r) => setTimeout(r, 25));
    expect(waiting).toBe(EVENTS);
    gc();
    const held = process.memoryUsage().heapUsed - before;
    release();
    expect(await Promise.all(answers)).toEqual(Array(EVENTS).fill(202));
    // the parsed bodies alone are well over 40 MB; what an event needs for its answer is a few KB
    expect(held).toBeLessThan(15 * 1024 * 1024);
  });
});
