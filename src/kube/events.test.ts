import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { eventObject, eventRecorder, flushWithin } from './events.js';

const pod = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns', uid: 'u', fieldPath: 'spec.containers{step-a}' };

describe('shared event recorder', () => {
  it('builds a client-go style core/v1 Event (name <object>.<hex>, source, counts, timestamps)', () => {
    const e = eventObject(pod, { type: 'Warning', reason: 'Failed', message: 'x'.repeat(2000) }, { component: 'kubelet', host: 'tektite' }, new Date('2026-01-02T03:04:05.678Z'));
    expect(e).toMatchObject({
      apiVersion: 'v1', kind: 'Event', metadata: { name: expect.stringMatching(/^p\.[0-9a-f]+$/), namespace: 'ns' },
      involvedObject: pod, reason: 'Failed', type: 'Warning', source: { component: 'kubelet', host: 'tektite' },
      reportingComponent: 'kubelet', reportingInstance: 'tektite', firstTimestamp: '2026-01-02T03:04:05Z', lastTimestamp: '2026-01-02T03:04:05Z', count: 1,
    });
    expect((e as unknown as { message: string }).message).toHaveLength(1024);
  });

  it('writes at most `burst` at once, then waits for tokens; flushWithin gives up after its time', async () => {
    const written: KubeObject[] = [];
    const rec = eventRecorder(async (o) => { written.push(o); }, { component: 'c' }, { qps: 0.001, burst: 3, maxInFlight: 10 });
    for (let i = 0; i < 8; i++) rec.event({ ...pod, name: `p${i}` }, 'Normal', 'Started', `m${i}`);
    await flushWithin(rec, 50);
    expect(written).toHaveLength(3);
  });

  it('writes every event, in order, when the rate allows', async () => {
    const written: KubeObject[] = [];
    const rec = eventRecorder(async (o) => { written.push(o); }, { component: 'c' }, { qps: 1000, burst: 2, maxInFlight: 1 });
    for (let i = 0; i < 8; i++) rec.event({ ...pod, name: `p${i}` }, 'Normal', 'Started', `m${i}`);
    await rec.flush();
    expect(written.map((e) => (e as unknown as { message?: string }).message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(rec.stats).toEqual({ written: 8, failed: 0, dropped: 0 });
  });
});
