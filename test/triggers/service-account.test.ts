/**
 * Per-trigger `serviceAccountName`: the manager's real sink creates that trigger's objects with
 * `Impersonate-User: system:serviceaccount:NS:NAME` (seen by a recording proxy in front of the real API server);
 * in embedded mode a trigger naming a missing account fails alone, the others still create.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { KubeClient } from '../../src/kube/client.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, startTestCluster, waitFor, type TestCluster } from './harness.js';

let cluster: TestCluster;
let manager: EventListenerManager;
let proxy: http.Server;
const seen: Array<{ method: string; path: string; user?: string }> = [];
let url = '';

const trig = (name: string, sa?: string) => ({
  name, ...(sa ? { serviceAccountName: sa } : {}), bindings: [{ name: 'v', value: '$(body.v)' }],
  template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { v: '$(tt.params.v)' } }] } },
});

beforeAll(async () => {
  cluster = await startTestCluster();
  const target = new URL(cluster.api.url);
  proxy = http.createServer((req, res) => {
    const user = req.headers['impersonate-user'];
    seen.push({ method: req.method ?? '', path: req.url ?? '', ...(typeof user === 'string' ? { user } : {}) });
    const up = https.request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, ca: cluster.api.ca }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const client = KubeClient.forServer({ server: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: cluster.api.token });
  await cluster.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' } } as KubeObject);
  await cluster.client.create({
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'sa', namespace: 'default' },
    spec: { triggers: [trig('as-builder', 'builder'), trig('as-ghost', 'ghost'), trig('plain')] },
  } as KubeObject);
  manager = await startEventListenerManager({ client });
  url = await waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', 'sa')).status?.address?.url, 'EL sa');
});
afterAll(async () => {
  await manager?.close();
  await new Promise<void>((r) => proxy.close(() => r()));
  await cluster?.close();
});

describe('per-trigger serviceAccountName', () => {
  it('creates as the trigger\'s service account; a missing account fails only its trigger', async () => {
    seen.length = 0;
    const res = await postEvent(url, '{"v":"x"}', {});
    expect(res.status).toBe(202);
    const outcomes = Object.fromEntries((res.json.triggers as Array<{ trigger: string; status: string; message?: string }>).map((o) => [o.trigger, o]));
    expect(outcomes['as-builder']?.status).toBe('created');
    expect(outcomes.plain?.status).toBe('created');
    expect(outcomes['as-ghost']?.status).toBe('error');
    expect(outcomes['as-ghost']?.message).toMatch(/serviceaccount default\/ghost .*not found/);
    const creates = seen.filter((s) => s.method === 'POST' && s.path.endsWith('/configmaps'));
    expect(creates.map((c) => c.user ?? 'sink').sort()).toEqual(['sink', 'system:serviceaccount:default:builder']);
    const cms = await cluster.client.list<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default');
    expect(cms.items.map((o) => o.metadata.generateName).sort()).toEqual(['as-builder-', 'plain-']);
  });
});
