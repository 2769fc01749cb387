import { describe, expect, it } from 'vitest';
import { Controller } from './controller.js';

/** A reconcile that records keys and lets the test wait for the n-th call. */
function recorder(result: { coalesceMs?: number } = {}) {
  const seen: string[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const reconcile = async (key: string) => {
    seen.push(key);
    for (const w of waiters.filter((x) => seen.length >= x.n)) w.resolve();
    return result;
  };
  const reached = (n: number) => new Promise<void>((resolve) => (seen.length >= n ? resolve() : waiters.push({ n, resolve })));
  return { seen, reconcile, reached };
}

describe('Controller: coalescing asked for by a reconcile', () => {
  it('holds back events for a key for the time its last reconcile asked; enqueueNow does not wait', async () => {
    const r = recorder({ coalesceMs: 60_000 });
    const c = new Controller({ name: 't', workers: 1, reconcile: r.reconcile });
    c.start();
    c.enqueue('a');
    await r.reached(1);
    c.enqueue('a');
    c.enqueue('b');
    await r.reached(2);
    // b (never reconciled) went through; a waits for the minute its reconcile asked for
    await new Promise((res) => setTimeout(res, 30));
    expect(r.seen).toEqual(['a', 'b']);
    c.enqueueNow('a');
    await r.reached(3);
    expect(r.seen).toEqual(['a', 'b', 'a']);
    await c.stop();
  });

  it('without coalescing, every event after a reconcile is handled at once', async () => {
    const r = recorder();
    const c = new Controller({ name: 't', workers: 1, reconcile: r.reconcile });
    c.start();
    c.enqueue('a');
    await r.reached(1);
    c.enqueue('a');
    await r.reached(2);
    expect(r.seen).toEqual(['a', 'a']);
    await c.stop();
  });
});
