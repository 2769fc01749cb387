import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { KubeClient } from './client.js';

const TASK = { apiVersion: 'tekton.dev/v1', kind: 'Task' };
const requests: string[] = [];
let server: http.Server;
let client: KubeClient;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'GET') res.end(JSON.stringify({ ...TASK, metadata: { name: 'from-server', namespace: 'ns', resourceVersion: '1' }, spec: {} }));
      else res.end(JSON.stringify({ ...(JSON.parse(body) as object), metadata: { name: 'created', namespace: 'ns', resourceVersion: '2' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x',
  });
  client = new KubeClient(kc);
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('KubeClient.withCache', () => {
  it('answers get() from the cache with a copy, asks the server on a miss, and reports writes', async () => {
    const cached: KubeObject = { ...TASK, metadata: { name: 'hit', namespace: 'ns' }, spec: { steps: [] } } as KubeObject;
    const observed: string[] = [];
    const view = client.withCache({
      lookup: (_ref, ns, name) => (ns === 'ns' && name === 'hit' ? cached : undefined),
      observe: (obj) => observed.push(String(obj.metadata.name)),
    });
    requests.length = 0;
    const hit = await view.get(TASK, 'ns', 'hit');
    expect(hit).toEqual(cached);
    expect(hit).not.toBe(cached);
    expect(requests).toEqual([]);
    expect((await view.get(TASK, 'ns', 'miss')).metadata.name).toBe('from-server');
    await view.create({ ...TASK, metadata: { name: 'x', namespace: 'ns' } } as KubeObject);
    await view.create({ ...TASK, metadata: { name: 'y', namespace: 'ns' } } as KubeObject, { dryRun: true });
    expect(requests.map((r) => r.split('?')[0])).toEqual(['GET /apis/tekton.dev/v1/namespaces/ns/tasks/miss', 'POST /apis/tekton.dev/v1/namespaces/ns/tasks', 'POST /apis/tekton.dev/v1/namespaces/ns/tasks']);
    expect(observed).toEqual(['created']);
  });

  it('leaves the original client uncached', async () => {
    client.withCache({ lookup: () => ({ ...TASK, metadata: { name: 'cached' } }) });
    expect((await client.get(TASK, 'ns', 'any')).metadata.name).toBe('from-server');
  });
});
