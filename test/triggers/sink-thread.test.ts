/**
 * Embedded mode's sinks in a worker thread (src/triggers/sink-thread.ts) against a real API server over real
 * HTTP: webhooks are answered 202 only once their objects are stored, failures of the create come back as the
 * API server's errors, Kubernetes Events are written, and a worker that dies is replaced with every listener
 * served again at the same address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, sign256, startTestCluster, waitFor, type TestCluster } from './harness.js';

const EL_REF = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };
const CM_REF = { apiVersion: 'v1', kind: 'ConfigMap' };
const EVENT_REF = { apiVersion: 'v1', kind: 'Event' };
const SECRET = 'worker-secret';

const setup = `
apiVersion: v1
kind: Secret
metadata: {name: gh}
stringData: {token: ${SECRET}}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: threaded}
spec:
  triggers:
  - name: cm
    interceptors:
    - ref: {name: github}
      params:
      - {name: secretRef, value: {secretName: gh, secretKey: token}}
      - {name: eventTypes, value: [push]}
    - ref: {name: cel}
      params: [{name: overlays, value: [{key: short, expression: "body.after.truncate(7)"}]}]
    bindings: [{name: v, value: $(extensions.short)}, {name: name, value: $(body.name)}]
    template:
      spec:
        params: [{name: v}, {name: name}]
        resourcetemplates:
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: $(tt.params.name)}, data: {v: $(tt.params.v)}}
`;

async function configMaps(cluster: TestCluster, eventID: unknown): Promise<string[]> {
  const l = await cluster.client.list<KubeObject & { data: { v: string } }>(CM_REF, 'default', { labelSelector: `triggers.tekton.dev/triggers-eventid=${String(eventID)}` });
  return l.items.map((o) => o.data.v);
}

function push(name: string, after: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ name, after });
  return { body, headers: { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign256(body, SECRET) } };
}

let cluster: TestCluster;
let manager: EventListenerManager;
let url: string;
const errors: string[] = [];
beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.applyYaml(setup);
  manager = await startEventListenerManager({ client: cluster.client, sinkThread: true, onError: (err) => { errors.push(err instanceof Error ? err.message : String(err)); } });
  url = await waitFor(async () => (await cluster.client.get<EventListener>(EL_REF, 'default', 'threaded')).status?.address?.url, 'address');
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
});

describe('EventListener sinks in a worker thread', () => {
  it('serve signed webhooks from the worker; 202 only once the object is stored', async () => {
    expect(manager.sinkWorker()).toBeDefined();
    expect(errors).toEqual([]);
    const p = push('first', 'abcdef0123456789');
    const res = await postEvent(url, p.body, p.headers);
    expect(res.status).toBe(202);
    // the answer came after the commit: the object is there at once, no waiting
    expect(await configMaps(cluster, res.json.eventID)).toEqual(['abcdef0']);
    expect(res.json.triggers).toEqual([expect.objectContaining({ status: 'created', created: [expect.objectContaining({ kind: 'ConfigMap', name: 'first' })] })]);
  });

  it('answer a failed create with the API server\'s reason, and a bad signature with nothing created', async () => {
    const p = push('first', '1111111111'); // a ConfigMap named "first" exists: AlreadyExists from the API server
    const dup = await postEvent(url, p.body, p.headers);
    expect(dup.status).toBe(500);
    expect(String(dup.json.errorMessage)).toMatch(/already exists/);
    const bad = await postEvent(url, p.body, { ...p.headers, 'X-Hub-Signature-256': sign256(p.body, 'wrong') });
    expect(bad.status).toBe(202);
    expect(bad.json.triggers).toEqual([expect.objectContaining({ status: 'skipped', reason: 'InterceptorRejected' })]);
    expect(await configMaps(cluster, bad.json.eventID)).toEqual([]);
  });

  it('write the outcome Events through the main thread', async () => {
    const events = await waitFor(async () => {
      const l = await cluster.client.list<KubeObject & { reason: string; involvedObject: { name: string } }>(EVENT_REF, 'default');
      const mine = l.items.filter((e) => e.involvedObject.name === 'threaded');
      return mine.some((e) => e.reason === 'Created') ? mine : undefined;
    }, 'Events about the EventListener');
    expect(events.map((e) => e.reason)).toContain('Created');
  });

  it('serve every listener again at the same address after the worker dies', async () => {
    const first = manager.sinkWorker();
    expect(first).toBeDefined();
    await first?.terminate();
    const next = await waitFor(async () => { const w = manager.sinkWorker(); return w && w !== first ? w : undefined; }, 'a new sink worker');
    expect(next).not.toBe(first);
    const p = push('second', 'fedcba9876543210');
    const res = await waitFor(async () => postEvent(url, p.body, p.headers).catch(() => undefined), 'the listener served again');
    expect(res.status).toBe(202);
    expect(await configMaps(cluster, res.json.eventID)).toEqual(['fedcba9']);
    expect((await cluster.client.get<EventListener>(EL_REF, 'default', 'threaded')).status?.address?.url).toBe(url);
    expect(errors).toEqual([expect.stringMatching(/sink worker exited/)]);
  });
});
