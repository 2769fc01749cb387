import { describe, expect, it } from 'vitest';
import type { EventListener } from '../api/types.js';
import { cloudEventMessage, cloudEventSender } from './cloudevents.js';

const el = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'l', namespace: 'n' }, spec: { cloudEventURI: 'http://ce.local/x' } } as EventListener;

describe('CloudEvents', () => {
  it('builds Triggers\' binary-mode message', () => {
    expect(cloudEventMessage(el, 'e1', 'dev.tekton.event.triggers.done.v1', null, new Date('2026-01-01T00:00:00Z'))).toEqual({
      headers: {
        'Content-Type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'e1', 'ce-source': '/apis/triggers.tekton.dev/v1beta1/namespaces/n/EventListener/l',
        'ce-type': 'dev.tekton.event.triggers.done.v1', 'ce-subject': 'l processing e1', 'ce-time': '2026-01-01T00:00:00.000Z',
      },
      body: 'null',
    });
  });

  it.each([[[503, 503, 200], 3, undefined], [[400], 1, /answered 400/], [[500, 500, 500], 3, /answered 500/]])('answers %j: %i tries', async (statuses, tries, error) => {
    const seen: number[] = [];
    const errors: string[] = [];
    const sender = cloudEventSender({ retries: 2, onError: (e) => errors.push(String(e)), post: async () => { const s = statuses[seen.length] ?? 200; seen.push(s); return { status: s, headers: {}, body: Buffer.alloc(0) }; } });
    sender.emit(el, 'e1', 't', {});
    await sender.pending();
    expect(seen).toHaveLength(tries);
    if (error) expect(errors.join()).toMatch(error);
    else expect(errors).toEqual([]);
  });

  it('sends nothing without a cloudEventURI', async () => {
    let calls = 0;
    const sender = cloudEventSender({ post: async () => { calls++; return { status: 200, headers: {}, body: Buffer.alloc(0) }; } });
    sender.emit({ ...el, spec: {} } as EventListener, 'e1', 't', {});
    await sender.pending();
    expect(calls).toBe(0);
  });
});
