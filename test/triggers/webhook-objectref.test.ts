/**
 * Legacy `webhook` interceptors with `objectRef` (a v1 Service, reached as Triggers does at
 * `http://<name>.<namespace>.svc/`, the namespace defaulting to the trigger's), on a real EventListener of the
 * embedded manager. Embedded mode has no cluster DNS: a Service of type ExternalName pointing at this machine,
 * with port 80 → targetPort, makes the address reachable (src/triggers/services.ts). Two local HTTP servers stand
 * for the Services of two namespaces; each answers the new body, naming itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, startTestCluster, waitFor, type TestCluster } from './harness.js';

const servers: Server[] = [];
const seen: Array<{ server: string; path: string; body: string }> = [];
let cluster: TestCluster;
let manager: EventListenerManager;
let url = '';

async function hookServer(name: string): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ server: name, path: req.url ?? '', body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ...(JSON.parse(body) as object), via: name }));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const service = (name: string, namespace: string, targetPort: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace },
  spec: { type: 'ExternalName', externalName: '127.0.0.1', ports: [{ name: 'http', port: 80, targetPort }] },
} as KubeObject);

const template = (name: string) => ({
  spec: { params: [{ name: 'via' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { via: '$(tt.params.via)', trigger: name } }] },
});
const trigger = (name: string, labels: Record<string, string>, interceptors: unknown[]): KubeObject => ({
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'Trigger', metadata: { name, namespace: 'default', labels },
  spec: { interceptors, bindings: [{ name: 'via', value: '$(body.via)' }], template: template(name) },
} as KubeObject);
const webhook = (objectRef: Record<string, string>) => ({ webhook: { objectRef: { apiVersion: 'v1', kind: 'Service', ...objectRef } } });

beforeAll(async () => {
  const here = await hookServer('default/hooks');
  const there = await hookServer('other/hooks');
  cluster = await startTestCluster();
  await cluster.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } } as KubeObject);
  await cluster.client.create(service('hooks', 'default', here));
  await cluster.client.create(service('hooks', 'other', there));
  await cluster.client.create(trigger('same-ns', {}, [webhook({ name: 'hooks' })]));
  await cluster.client.create(trigger('other-ns', {}, [webhook({ name: 'hooks', namespace: 'other' })]));
  await cluster.client.create(trigger('not-a-service', {}, [{ webhook: { objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hooks' } } }]));
  await cluster.client.create(trigger('grouped', { group: 'g' }, []));
  await cluster.client.create({
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'wh', namespace: 'default' },
    spec: {
      triggers: [{ triggerRef: 'same-ns' }, { triggerRef: 'other-ns' }, { triggerRef: 'not-a-service' }],
      triggerGroups: [{ name: 'g', interceptors: [webhook({ name: 'hooks', namespace: 'other' })], triggerSelector: { labelSelector: { matchLabels: { group: 'g' } } } }],
    },
  } as KubeObject);
  manager = await startEventListenerManager({ client: cluster.client });
  url = await waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', 'wh')).status?.address?.url, 'EL wh');
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('webhook interceptor objectRef', () => {
  it('reaches the named Service of the trigger\'s namespace or of objectRef.namespace, at path /, with the event body', async () => {
    const res = await postEvent(url, '{"n":1}', {});
    expect(res.status).toBe(202);
    const outcomes = res.json.triggers as Array<{ trigger: string; status: string; message?: string }>;
    const status = Object.fromEntries(outcomes.map((o) => [o.trigger, o.status]));
    expect(status).toMatchObject({ 'same-ns': 'created', 'other-ns': 'created', grouped: 'created' });
    expect(status['not-a-service']).not.toBe('created');
    expect(JSON.stringify(outcomes.find((o) => o.trigger === 'not-a-service'))).toContain('v1 Service');

    const cms = await waitFor(async () => {
      const items = (await cluster.client.list<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default')).items
        .filter((c) => c.data?.trigger);
      return items.length >= 3 ? items : undefined;
    }, 'the ConfigMaps of the three triggers');
    expect(Object.fromEntries(cms.map((c) => [c.data?.trigger, c.data?.via]))).toEqual({
      'same-ns': 'default/hooks', 'other-ns': 'other/hooks', grouped: 'other/hooks',
    });
    expect(seen.every((s) => s.path === '/' && (JSON.parse(s.body) as { n: number }).n === 1)).toBe(true);
    expect(seen.filter((s) => s.server === 'default/hooks')).toHaveLength(1);
  });
});
