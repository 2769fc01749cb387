/**
 * One EventListener shared by several teams, against a real API server and the manager's real sink over HTTP:
 * a broken template, a failing interceptor, a forbidden namespace and a create the API server rejects in some
 * teams' triggers leave the other teams' objects created; the response and the Kubernetes Events tell each
 * trigger's outcome; the status is an error only when every trigger that matched failed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, startTestCluster, waitFor, type TestCluster } from './harness.js';

const cm = (team: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${team}-`, ...extra }, data: { v: '$(tt.params.v)' } });
const tmpl = (resourcetemplates: unknown[]) => ({ spec: { params: [{ name: 'v' }], resourcetemplates } });
const trig = (name: string, value: string, resourcetemplates: unknown[], extra: Record<string, unknown> = {}) => ({ name, bindings: [{ name: 'v', value }], template: tmpl(resourcetemplates), ...extra });
const invalidPR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'bad-' }, spec: { params: [{ name: 'v', value: '$(tt.params.v)' }] } };
const celFilter = (expr: string) => ({ ref: { name: 'cel' }, params: [{ name: 'filter', value: expr }] });

let cluster: TestCluster;
let manager: EventListenerManager;
let failing: Server;
const urls: Record<string, string> = {};

function listeners(failUrl: string): Record<string, unknown[]> {
  const broken = [
    trig('team-a-render', '$(body)', [cm('team-a')]), // an object inside a string: RenderFailed
    trig('team-b-interceptor', '$(body.a)', [cm('team-b')], { interceptors: [{ webhook: { url: failUrl } }] }),
    trig('team-c-forbidden', '$(body.a)', [cm('team-c', { namespace: 'kube-system' })]),
    trig('team-d-rejected', '$(body.a)', [cm('team-d'), invalidPR]), // first object created, then rolled back
    { name: 'team-e-missing-ref', triggerRef: 'no-such-trigger' },
  ];
  return {
    shared: [
      ...broken,
      trig('team-f', '$(body.a)', [cm('team-f')]),
      trig('team-g', '$(body.a)', [cm('team-g'), cm('team-g2')]),
      trig('team-h-filtered', '$(body.a)', [cm('team-h')], { interceptors: [celFilter("body.a == 'other'")] }),
    ],
    'all-broken': broken,
    'all-filtered': [trig('x', '$(body.a)', [cm('x')], { interceptors: [celFilter('false')] }), trig('y', '$(body.a)', [cm('y')], { interceptors: [celFilter('false')] })],
  };
}

beforeAll(async () => {
  failing = createServer((_req, res) => { res.statusCode = 500; res.end('interceptor down'); });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  const failUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/`;
  cluster = await startTestCluster();
  for (const [name, triggers] of Object.entries(listeners(failUrl))) {
    await cluster.client.create({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name, namespace: 'default' }, spec: { triggers } } as KubeObject);
  }
  manager = await startEventListenerManager({ client: cluster.client });
  for (const name of ['shared', 'all-broken', 'all-filtered']) {
    urls[name] = await waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', name)).status?.address?.url, `EL ${name}`);
  }
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
  await new Promise<void>((r) => { if (failing) failing.close(() => r()); else r(); });
});

async function createdFor(eventID: unknown): Promise<KubeObject[]> {
  if (typeof eventID !== 'string') return [];
  const sel = { labelSelector: `triggers.tekton.dev/triggers-eventid=${eventID}` };
  const kinds = [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }];
  return (await Promise.all(kinds.map((k) => cluster.client.list<KubeObject>(k, undefined, sel)))).flatMap((l) => l.items);
}

type Outcome = { trigger: string; status: string; reason: string; message?: string; created?: Array<{ name: string }> };
const byTrigger = (json: Record<string, unknown>) => Object.fromEntries((json.triggers as Outcome[]).map((o) => [o.trigger, o]));

describe('triggers of one shared EventListener are isolated from each other', () => {
  it('the broken teams fail on their own; the others create; 202 with each outcome', async () => {
    const res = await postEvent(urls.shared!, '{"a":"value"}', {});
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ eventListener: 'shared', namespace: 'default' });
    expect(typeof res.json.eventListenerUID).toBe('string');
    expect(res.json.errorMessage).toBeUndefined();
    const o = byTrigger(res.json);
    expect(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [v.status, v.reason]]))).toEqual({
      'team-a-render': ['error', 'RenderFailed'],
      'team-b-interceptor': ['error', 'InterceptorFailed'],
      'team-c-forbidden': ['error', 'RenderFailed'],
      'team-d-rejected': ['error', 'CreateFailed'],
      'team-e-missing-ref': ['error', 'NotFound'],
      'team-f': ['created', 'Created'],
      'team-g': ['created', 'Created'],
      'team-h-filtered': ['skipped', 'InterceptorRejected'],
    });
    expect(o['team-c-forbidden']!.message).toMatch(/kube-system/);
    expect(o['team-d-rejected']!.message).toMatch(/1 object\(s\) of this trigger deleted again/);
    expect(o['team-e-missing-ref']!.message).toMatch(/Trigger default\/no-such-trigger not found/);
    const created = await createdFor(res.json.eventID);
    const names = created.map((c) => c.metadata.name ?? '').sort();
    expect(names.map((n) => n.replace(/-[a-z0-9]+$/, ''))).toEqual(['team-f', 'team-g', 'team-g2']);
    expect(names).toEqual([...o['team-f']!.created!, ...o['team-g']!.created!].map((c) => c.name).sort());
  });

  it('Kubernetes Events tell each outcome of the shared listener', async () => {
    const want = ['Created', 'RenderFailed', 'InterceptorFailed', 'CreateFailed', 'NotFound', 'InterceptorRejected'];
    const events = await waitFor(async () => {
      const list = (await cluster.client.list<KubeObject & { involvedObject: { name: string; kind: string }; reason: string; type: string; message: string }>({ apiVersion: 'v1', kind: 'Event' }, 'default')).items;
      const mine = list.filter((e) => e.involvedObject.kind === 'EventListener' && e.involvedObject.name === 'shared');
      return want.every((r) => mine.some((e) => e.reason === r)) ? mine : undefined;
    }, 'an Event per outcome reason');
    const of = (reason: string) => events.filter((e) => e.reason === reason);
    expect(of('Created').every((e) => e.type === 'Normal')).toBe(true);
    expect(of('Created').map((e) => e.message).join('\n')).toMatch(/team-f/);
    for (const r of ['RenderFailed', 'InterceptorFailed', 'CreateFailed', 'NotFound']) expect(of(r).every((e) => e.type === 'Warning'), r).toBe(true);
    expect(of('CreateFailed').map((e) => e.message).join('\n')).toMatch(/team-d-rejected/);
  });

  it('when every trigger fails the status is an error and nothing is kept', async () => {
    const res = await postEvent(urls['all-broken']!, '{"a":"value"}', {});
    expect(res.status).toBe(500);
    expect(res.json.errorMessage).toMatch(/RenderFailed/);
    expect(res.json.errorMessage).toMatch(/CreateFailed/);
    expect(Object.values(byTrigger(res.json)).every((o) => o.status === 'error')).toBe(true);
    expect(await createdFor(res.json.eventID)).toHaveLength(0);
  });

  it('when every trigger is filtered out the answer is 202 with nothing created', async () => {
    const res = await postEvent(urls['all-filtered']!, '{"a":"value"}', {});
    expect(res.status).toBe(202);
    expect(Object.values(byTrigger(res.json)).map((o) => o.status)).toEqual(['skipped', 'skipped']);
    expect(await createdFor(res.json.eventID)).toHaveLength(0);
  });
});
