/**
 * The two entry points against a real API server: one sink (`tkt eventlistener`) and the manager picking up
 * EventListeners created, changed and deleted while it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, startEventListenerSink } from '../../src/triggers/index.js';
import { postEvent, startTestCluster, waitFor, type TestCluster } from './harness.js';

const EL_REF = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };
const CM_REF = { apiVersion: 'v1', kind: 'ConfigMap' };

function listener(name: string, namespace: string, value: string): KubeObject {
  return {
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name, namespace },
    spec: { triggers: [{ name: 't', bindings: [{ name: 'v', value }], template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { v: '$(tt.params.v)' } }] } } }] },
  };
}

async function dataOf(cluster: TestCluster, namespace: string, eventID: unknown): Promise<string[]> {
  const l = await cluster.client.list<KubeObject & { data: { v: string } }>(CM_REF, namespace, { labelSelector: `triggers.tekton.dev/triggers-eventid=${String(eventID)}` });
  return l.items.map((o) => o.data.v);
}

let cluster: TestCluster;
beforeAll(async () => { cluster = await startTestCluster(); });
afterAll(async () => { await cluster?.close(); });

describe('startEventListenerSink', () => {
  it('serves one EventListener on the given port and answers only after the object is stored', async () => {
    await cluster.client.create(listener('single', 'default', 'single-$(body.x)'));
    const sink = await startEventListenerSink({ client: cluster.client, name: 'single', namespace: 'default', port: 0, host: '127.0.0.1', metricsPort: 0 });
    try {
      expect(await (await fetch(`${sink.url}/live`)).text()).toBe('ok');
      const res = await postEvent(sink.url, '{"x":"1"}', {});
      expect(res.status).toBe(202);
      expect(await dataOf(cluster, 'default', res.json.eventID)).toEqual(['single-1']);
      // the pod's advertised http-metrics port serves Prometheus text counting the outcome
      const metrics = await (await fetch(`${sink.metricsUrl ?? ''}/metrics`)).text();
      expect(metrics).toMatch(/^tektite_eventlistener_trigger_outcomes_total\{eventlistener="single",namespace="default",trigger="t",status="\w+"\} 1$/m);
      expect(metrics).toContain('process_cpu_seconds_total');
    } finally {
      await sink.close();
    }
  });
});

describe('startEventListenerManager', () => {
  it('serves EventListeners created later, follows spec changes, stops deleted ones', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } as KubeObject);
    const manager = await startEventListenerManager({ client: cluster.client });
    try {
      await cluster.client.create(listener('late', 'team-a', 'v1-$(body.x)'));
      const url = await waitFor(async () => (await cluster.client.get<EventListener>(EL_REF, 'team-a', 'late')).status?.address?.url, 'late EL address');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const first = await postEvent(url, '{"x":"a"}', {});
      expect(await dataOf(cluster, 'team-a', first.json.eventID)).toEqual(['v1-a']);

      const el = await cluster.client.get<EventListener>(EL_REF, 'team-a', 'late');
      await cluster.client.update({ ...el, spec: (listener('late', 'team-a', 'v2-$(body.x)') as EventListener).spec });
      const second = await waitFor(async () => {
        const r = await postEvent(url, '{"x":"b"}', {});
        const got = await dataOf(cluster, 'team-a', r.json.eventID);
        return got[0]?.startsWith('v2-') ? got : undefined;
      }, 'the changed spec to be used');
      expect(second).toEqual(['v2-b']);
      await waitFor(async () => {
        const now = await cluster.client.get<EventListener>(EL_REF, 'team-a', 'late');
        return now.status?.observedGeneration === now.metadata.generation && (now.metadata.generation ?? 0) > 1 ? true : undefined;
      }, 'status.observedGeneration to follow the spec change');

      await cluster.client.delete(EL_REF, 'team-a', 'late');
      await waitFor(async () => (manager.urlOf('team-a', 'late') === undefined ? true : undefined), 'sink to stop');
    } finally {
      await manager.close();
    }
  });

  it('leaves an EventListener a cluster controller serves alone: never a second status writer', async () => {
    const said: string[] = [];
    const manager = await startEventListenerManager({ client: cluster.client, onError: (err) => said.push(String(err)) });
    try {
      await cluster.client.create(listener('owned', 'default', 'x'));
      await waitFor(async () => manager.urlOf('default', 'owned'), 'the in-process sink');
      // what `tkt controller`'s EventListener reconciler writes for its el-owned Deployment and Service
      const clusterUrl = 'http://el-owned.default.svc.cluster.local:8080';
      await cluster.client.patch(EL_REF, 'default', 'owned', { status: { address: { url: clusterUrl } } }, { status: true, type: 'merge' });
      await waitFor(async () => (manager.urlOf('default', 'owned') === undefined ? true : undefined), 'the in-process sink to stop');
      await new Promise((r) => setTimeout(r, 300));
      expect((await cluster.client.get<EventListener>(EL_REF, 'default', 'owned')).status?.address?.url).toBe(clusterUrl);
      expect(said.filter((m) => m.includes('served by a cluster controller'))).toHaveLength(1);
    } finally {
      await manager.close();
    }
  });
});
