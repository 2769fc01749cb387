/**
 * Interceptors by reference (ClusterInterceptor and namespaced Interceptor, clientConfig.url) and legacy
 * `webhook` interceptors, against a local HTTP interceptor on loopback speaking Tekton's
 * InterceptorRequest/InterceptorResponse JSON.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { createSinkApp, memoryLookup, type InterceptorRequest } from '../../src/triggers/index.js';

let server: http.Server;
let base = '';
const seen: InterceptorRequest[] = [];
let legacyExtra: unknown;
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/legacy') {
        legacyExtra = req.headers['x-extra'];
        const body = JSON.parse(text) as Record<string, unknown>;
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Rewritten': 'yes' }).end(JSON.stringify({ ...body, rewritten: true, sawHeader: req.headers['x-extra'] }));
        return;
      }
      if (req.url === '/legacy-deny') { res.writeHead(403).end('no'); return; }
      if (req.url === '/boom') { res.writeHead(500).end('boom'); return; }
      if (req.url === '/hang') { hanging.push(res); return; }
      if (req.url === '/garbage') { res.writeHead(200).end('not json'); return; }
      const ir = JSON.parse(text) as InterceptorRequest;
      seen.push(ir);
      const body = JSON.parse(ir.body) as { action?: string };
      const resp = body.action === 'deny'
        ? { continue: false, status: { code: 'FAILED_PRECONDITION', message: 'the local interceptor said no' } }
        : { continue: true, extensions: { team: `team-${String(ir.interceptor_params.suffix)}`, from: req.url } };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(resp));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => { for (const h of hanging) h.destroy(); server.close(() => r()); }));

function objects(interceptors: unknown[]): KubeObject[] {
  return [
    {
      apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'el', namespace: 'ns1', uid: 'u' },
      spec: {
        triggers: [{
          name: 't', interceptors,
          bindings: [{ name: 'team', value: '$(extensions.team)' }, { name: 'action', value: '$(body.action)' }, { name: 'rew', value: '$(body.rewritten)' }],
          template: { spec: { params: [{ name: 'team' }, { name: 'action' }, { name: 'rew', default: 'no' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' }, data: { team: '$(tt.params.team)', action: '$(tt.params.action)', rew: '$(tt.params.rew)' } }] } },
        }],
      },
    },
    { apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'ClusterInterceptor', metadata: { name: 'teams' }, spec: { clientConfig: { url: `${base}/cluster` } } },
    { apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'Interceptor', metadata: { name: 'local', namespace: 'ns1' }, spec: { clientConfig: { url: `${base}/namespaced` } } },
    { apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'ClusterInterceptor', metadata: { name: 'broken' }, spec: { clientConfig: { url: `${base}/boom` } } },
    { apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'ClusterInterceptor', metadata: { name: 'garbage' }, spec: { clientConfig: { url: `${base}/garbage` } } },
    { apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'ClusterInterceptor', metadata: { name: 'slow' }, spec: { clientConfig: { url: `${base}/hang` } } },
    { apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'ClusterInterceptor', metadata: { name: 'unreachable' }, spec: { clientConfig: { url: 'http://127.0.0.1:1/x' } } },
  ];
}

function sink(interceptors: unknown[], httpTimeoutMs = 3000) {
  const stored: KubeObject[] = [];
  const app = createSinkApp({
    name: 'el', namespace: 'ns1', lookup: memoryLookup(objects(interceptors)), httpTimeoutMs,
    create: async (o) => { const c = { ...o, metadata: { ...o.metadata, name: `cm-${stored.length}` } }; stored.push(c); return c; },
    remove: async (o) => { stored.splice(stored.findIndex((s) => s.metadata.name === o.metadata.name), 1); },
  });
  return { app, stored };
}

const post = (app: ReturnType<typeof sink>['app'], body: unknown) => request(app).post('/hook?x=1').set('Content-Type', 'application/json').set('X-Extra', 'e1').send(JSON.stringify(body));

describe('interceptors over HTTP', () => {
  it('a ClusterInterceptor by ref gets Tekton\'s InterceptorRequest and its extensions reach the bindings', async () => {
    seen.length = 0;
    const { app, stored } = sink([{ ref: { name: 'teams' }, params: [{ name: 'suffix', value: 'a' }] }]);
    const res = await post(app, { action: 'go' });
    expect(res.status).toBe(202);
    expect(stored.map((o) => o.data)).toEqual([{ team: 'team-a', action: 'go', rew: 'no' }]);
    const ir = seen[0]!;
    expect(JSON.parse(ir.body)).toEqual({ action: 'go' });
    expect(ir.header['X-Extra']).toEqual(['e1']);
    expect(ir.interceptor_params).toEqual({ suffix: 'a' });
    expect(ir.context).toMatchObject({ event_url: expect.stringMatching(/\/hook\?x=1$/), trigger_id: 'namespaces/ns1/triggers/t', event_id: res.body.eventID });
  });

  it('a namespaced Interceptor (kind NamespacedInterceptor) is found in the trigger namespace', async () => {
    const { app, stored } = sink([{ ref: { name: 'local', kind: 'NamespacedInterceptor' }, params: [{ name: 'suffix', value: 'b' }] }]);
    expect((await post(app, { action: 'go' })).status).toBe(202);
    expect(stored[0]?.data).toMatchObject({ team: 'team-b' });
  });

  it('continue:false with a string code is a skip with the interceptor message', async () => {
    const { app, stored } = sink([{ ref: { name: 'teams' } }]);
    const res = await post(app, { action: 'deny' });
    expect(res.status).toBe(202);
    expect(res.body.triggers[0]).toMatchObject({ status: 'skipped', code: 9, message: 'the local interceptor said no', interceptor: 'teams' });
    expect(stored).toHaveLength(0);
  });

  const failures: Array<[string, unknown, number, RegExp]> = [
    ['HTTP 500 from the interceptor', { ref: { name: 'broken' } }, 502, /answered HTTP 500/],
    ['a body that is not an InterceptorResponse', { ref: { name: 'garbage' } }, 502, /invalid InterceptorResponse/],
    ['an unreachable interceptor', { ref: { name: 'unreachable' } }, 502, /interceptor unreachable/],
    ['an unknown ClusterInterceptor', { ref: { name: 'nope' } }, 500, /ClusterInterceptor nope not found/],
    ['an unknown namespaced Interceptor', { ref: { name: 'nope', kind: 'NamespacedInterceptor' } }, 500, /Interceptor ns1\/nope not found/],
  ];
  it.each(failures)('failure: %s, nothing created', async (_n, icp, status, msg) => {
    const { app, stored } = sink([icp]);
    const res = await post(app, { action: 'go' });
    expect(res.status).toBe(status);
    expect(res.body.errorMessage).toMatch(msg);
    expect(stored).toHaveLength(0);
  });

  it('an interceptor that does not answer within the timeout fails its trigger (ClusterInterceptor and legacy webhook)', async () => {
    for (const icp of [{ ref: { name: 'slow' } }, { webhook: { url: `${base}/hang` } }]) {
      const { app, stored } = sink([icp], 200);
      const res = await post(app, { action: 'go' });
      expect(res.status).toBe(502);
      expect(res.body.errorMessage).toMatch(/within 200 ms/);
      expect(stored).toHaveLength(0);
    }
  });

  it('a legacy webhook interceptor may rewrite the body; its headers are sent', async () => {
    const { app, stored } = sink([{ webhook: { url: `${base}/legacy`, header: [{ name: 'X-Extra', value: 'configured' }] } }, { ref: { name: 'teams' }, params: [{ name: 'suffix', value: 'c' }] }]);
    const res = await post(app, { action: 'go' });
    expect(res.status).toBe(202);
    expect(stored[0]?.data).toEqual({ team: 'team-c', action: 'go', rew: 'true' });
    expect(legacyExtra).toBe('configured');
  });

  it('a legacy webhook answering 4xx skips the trigger', async () => {
    const { app, stored } = sink([{ webhook: { url: `${base}/legacy-deny` } }]);
    const res = await post(app, { action: 'go' });
    expect(res.body.triggers[0]).toMatchObject({ status: 'skipped', message: expect.stringMatching(/HTTP 403/) });
    expect(stored).toHaveLength(0);
  });
});
