/**
 * `spec.cloudEventURI`: the manager's real sink sends Triggers' CloudEvents (binary mode) to a local receiver —
 * started, one successful per trigger that created its resources, done — and retries a receiver that is briefly
 * unavailable. With Triggers' Events turned on (EL_EVENT=enable in Triggers), the same types are Kubernetes Events.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, startTestCluster, waitFor, type TestCluster } from './harness.js';

interface Received { headers: Record<string, string>; body: string }
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let failFirst = 0;

let cluster: TestCluster;
let manager: EventListenerManager;
let url = '';

const trig = (name: string, filter?: string) => ({
  name, bindings: [{ name: 'v', value: '$(body.v)' }],
  ...(filter ? { interceptors: [{ ref: { name: 'cel' }, params: [{ name: 'filter', value: filter }] }] } : {}),
  template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { v: '$(tt.params.v)' } }] } },
});

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failFirst > 0) { failFirst--; res.writeHead(503).end(); return; }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ce`;
  cluster = await startTestCluster();
  await cluster.client.create({
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'ce', namespace: 'default' },
    spec: { cloudEventURI: receiverUrl, triggers: [trig('one'), trig('two'), trig('filtered', 'false')] },
  } as KubeObject);
  manager = await startEventListenerManager({ client: cluster.client, triggersEvents: true });
  url = await waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', 'ce')).status?.address?.url, 'EL ce');
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('cloudEventURI', () => {
  it('sends started, successful per created trigger and done, in binary mode, as Triggers does', async () => {
    received.length = 0;
    const res = await postEvent(url, '{"v":"x"}', { 'X-Test': 'yes' });
    expect(res.status).toBe(202);
    const id = String(res.json.eventID);
    const mine = await waitFor(async () => {
      const r = received.filter((x) => x.headers['ce-id'] === id);
      return r.some((x) => x.headers['ce-type'] === 'dev.tekton.event.triggers.done.v1') && r.length >= 4 ? r : undefined;
    }, 'the CloudEvents of the event');
    expect(mine.map((x) => x.headers['ce-type']).sort()).toEqual([
      'dev.tekton.event.triggers.done.v1', 'dev.tekton.event.triggers.started.v1',
      'dev.tekton.event.triggers.successful.v1', 'dev.tekton.event.triggers.successful.v1',
    ]);
    const started = mine.find((x) => x.headers['ce-type']?.endsWith('started.v1')) as Received;
    expect(started.headers).toMatchObject({
      'ce-specversion': '1.0', 'ce-source': '/apis/triggers.tekton.dev/v1beta1/namespaces/default/EventListener/ce',
      'ce-subject': `ce processing ${id}`, 'content-type': 'application/json',
    });
    expect(Date.parse(started.headers['ce-time'] ?? '')).not.toBeNaN();
    expect((JSON.parse(started.body) as Record<string, string[]>)['X-Test']).toEqual(['yes']);
    const done = mine.find((x) => x.headers['ce-type']?.endsWith('done.v1')) as Received;
    expect(done.body).toBe('null');
  });

  it('retries a receiver that answers 503 a few times', async () => {
    received.length = 0;
    failFirst = 3;
    const res = await postEvent(url, '{"v":"y"}', {});
    expect(res.status).toBe(202);
    const id = String(res.json.eventID);
    await waitFor(async () => (received.filter((x) => x.headers['ce-id'] === id).length >= 4 ? true : undefined), 'all four CloudEvents despite the 503s');
  });

  it('writes Triggers\' dev.tekton.event.triggers.* Events on the listener when asked to', async () => {
    const reasons = await waitFor(async () => {
      const l = await cluster.client.list<KubeObject & { reason?: string; involvedObject?: { name?: string } }>({ apiVersion: 'v1', kind: 'Event' }, 'default');
      const r = new Set(l.items.filter((e) => e.involvedObject?.name === 'ce').map((e) => e.reason ?? ''));
      return ['started', 'successful', 'done'].every((t) => r.has(`dev.tekton.event.triggers.${t}.v1`)) ? r : undefined;
    }, 'Triggers\' Events');
    expect(reasons.has('Created')).toBe(true);
  });
});
