import { describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../api/types.js';
import { eventObject, outcomeRecorder } from './k8s-events.js';

const el = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'el', namespace: 'ns', uid: 'u1' }, spec: {} } as EventListener;

describe('outcome recorder', () => {
  it('builds a core/v1 Event about the EventListener', () => {
    const e = eventObject(el, { reason: 'Created', message: 'm', warning: false }, new Date('2026-01-02T03:04:05.678Z'));
    expect(e).toMatchObject({
      apiVersion: 'v1', kind: 'Event', metadata: { name: expect.stringMatching(/^el\.[0-9a-f]+$/), namespace: 'ns' },
      involvedObject: { kind: 'EventListener', name: 'el', namespace: 'ns', uid: 'u1' }, reason: 'Created', type: 'Normal', firstTimestamp: '2026-01-02T03:04:05Z', count: 1,
    });
  });

  it('writes a few at a time, drops beyond the queue bound, and flush waits for the rest', async () => {
    const started: KubeObject[] = [];
    const release: Array<() => void> = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const rec = outcomeRecorder(async (obj) => {
      started.push(obj);
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise<void>((r) => release.push(r));
      concurrent -= 1;
    }, { maxInFlight: 2, maxQueued: 3 });
    for (let i = 0; i < 7; i++) rec.record(el, `e${i}`, { trigger: 't', namespace: 'ns', status: 'created', reason: 'Created', created: [] });
    expect(started).toHaveLength(2);
    expect(rec.stats.dropped).toBe(2);
    let flushed = false;
    const f = rec.flush().then(() => { flushed = true; });
    while (release.length > 0 || started.length < 5) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await f;
    expect(flushed).toBe(true);
    expect(maxConcurrent).toBe(2);
    expect(rec.stats).toEqual({ written: 5, failed: 0, dropped: 2 });
  });

  it('combines similar outcomes past the first 10 into one Event a second, with their count', async () => {
    const written: Array<KubeObject & { reason?: string; message?: string; count?: number; firstTimestamp?: string; lastTimestamp?: string }> = [];
    let clock = Date.parse('2026-01-02T03:04:05Z');
    const rec = outcomeRecorder(async (obj) => { written.push(obj); }, { now: () => new Date(clock), combineEveryMs: 60_000 });
    for (let i = 0; i < 25; i++) {
      rec.record(el, `e${i}`, { trigger: 't', namespace: 'ns', status: 'created', reason: 'Created', created: [] });
      clock += 1000;
    }
    rec.record(el, 'x', { trigger: 't', namespace: 'ns', status: 'skipped', reason: 'InterceptorRejected', message: 'no' });
    await new Promise((r) => setTimeout(r, 10));
    expect(written.map((e) => e.reason)).toEqual([...Array(10).fill('Created'), 'InterceptorRejected']);
    await rec.flush();
    const combined = written[11];
    expect(combined).toMatchObject({ reason: 'Created', count: 15, firstTimestamp: '2026-01-02T03:04:15Z', lastTimestamp: '2026-01-02T03:04:29Z' });
    expect(combined?.message).toMatch(/^\(combined from similar events\): trigger t created {2}\(event e24\)$/);
    clock += 11 * 60_000; // a new window: one by one again
    rec.record(el, 'later', { trigger: 't', namespace: 'ns', status: 'created', reason: 'Created', created: [] });
    await rec.flush();
    expect(written).toHaveLength(13);
    expect(written[12]?.count).toBe(1);
    expect(rec.stats).toEqual({ written: 13, failed: 0, dropped: 0 });
  });
});
