import { describe, expect, it } from 'vitest';
import { WorkQueue } from './workqueue.js';

describe('WorkQueue', () => {
  it('deduplicates queued keys', async () => {
    const q = new WorkQueue();
    q.add('a'); q.add('a'); q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands out a key being processed; re-queues it after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const k = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    q.done(k!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('wakes a waiting worker and delays rate-limited keys', async () => {
    const q = new WorkQueue({ baseDelayMs: 1 });
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
    q.done('x');
    q.addRateLimited('y');
    expect(q.length).toBe(0);
    expect(await q.get()).toBe('y');
    q.shutDown();
    expect(await q.get()).toBeUndefined();
  });
});
