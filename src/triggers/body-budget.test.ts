/**
 * The sink's body limits under concurrency, over a real HTTP server: bodies in flight reserve their length in a
 * global budget; a body over the per-body cap gets 413 before it is read, one that does not fit the remaining
 * budget 429 with Retry-After; the budget comes back when an answer is finished.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { BodyBudget } from './body-budget.js';
import { serveDuringFile } from './fixtures.js';
import { memoryLookup } from './lookup.js';
import { createSinkApp } from './sink.js';

const EL: KubeObject = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'el', namespace: 'default', uid: 'u' }, spec: { triggers: [] } };
const KIB = 1024;
const server = serveDuringFile(createSinkApp({
  name: 'el', namespace: 'default', lookup: memoryLookup([EL]), create: async (o) => o, remove: async () => undefined,
  maxBodyBytes: 300 * KIB, maxInFlightBodyBytes: 500 * KIB,
}));

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

/** Starts a POST declaring `length` bytes and sends `first` of them; `finish` sends the rest. */
function post(length: number, first: number): { answer: Promise<Answer>; finish: () => void } {
  const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { 'Content-Type': 'application/json', 'Content-Length': length } });
  const body = Buffer.from(`{"a":"${'x'.repeat(length - 8)}"}`);
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
  });
  req.write(body.subarray(0, first));
  return { answer, finish: () => req.end(body.subarray(first)) };
}

describe('EventListener body limits under concurrency', () => {
  it('413 for a body over the cap, 429 + Retry-After when the budget is taken, accepted again once answers finish', async () => {
    const tooBig = post(301 * KIB, 0);
    const big = await tooBig.answer;
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).errorMessage).toContain('larger than 307200 bytes');

    const a = post(200 * KIB, KIB);
    const b = post(200 * KIB, KIB);
    await new Promise((r) => setTimeout(r, 100)); // both are being read: 400 KiB of 500 reserved
    const c = await post(200 * KIB, 0).answer;
    expect(c.status).toBe(429);
    expect(c.headers['retry-after']).toBe('1');
    expect(JSON.parse(c.body).errorMessage).toMatch(/too many event bodies in flight/);

    a.finish();
    b.finish();
    expect((await a.answer).status).toBe(202);
    expect((await b.answer).status).toBe(202);
    const d = post(200 * KIB, 0);
    d.finish();
    expect((await d.answer).status).toBe(202);
  });

  it('counts reservations: a lone body always fits, releases give the budget back', () => {
    const budget = new BodyBudget(10);
    expect(budget.take(20)).toBe(true);
    expect(budget.take(1)).toBe(false);
    budget.release(20);
    expect(budget.take(6)).toBe(true);
    expect(budget.take(5)).toBe(false);
    expect(budget.inFlight).toBe(6);
  });
});
