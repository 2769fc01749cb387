/**
 * Deletion over HTTPS: finalizers, ownerReference garbage collection (Background, Foreground, Orphan), and
 * namespace deletion. The collector is asynchronous, so tests wait for the DELETED event on a watch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { pipelineRun, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
const PRS = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
const TRS = '/apis/tekton.dev/v1/namespaces/default/taskruns';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

/** Resolves when the store reports `type` for `resource`/`name`. */
function storeEvent(type: string, resource: string, name: string): Promise<KubeObject> {
  return new Promise((resolve) => {
    const off = t.api.store.subscribe((ev) => {
      if (ev.type === type && ev.resource === resource && ev.name === name) {
        off();
        resolve(ev.object);
      }
    });
  });
}

/** Polls `f` until it answers a value. */
async function until<T>(f: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function ownerAndChild(owner: string): Promise<{ uid: string }> {
  const pr = (await t.request('POST', PRS, pipelineRun(owner))).json();
  const child = {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
    metadata: { name: `${owner}-child`, ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: owner, uid: pr.metadata.uid, controller: true, blockOwnerDeletion: true }] },
    spec: { taskRef: { name: 't' } },
  };
  expect((await t.request('POST', TRS, child)).status).toBe(201);
  return { uid: pr.metadata.uid };
}

describe('finalizers', () => {
  it('keeps an object with finalizers until they are removed', async () => {
    await t.request('POST', PRS, pipelineRun('fin', { metadata: { name: 'fin', finalizers: ['example.com/hold'] } }));
    const del = await t.request('DELETE', `${PRS}/fin`);
    expect(del.status).toBe(200);
    const held = (await t.request('GET', `${PRS}/fin`)).json();
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    const add = await t.request('PATCH', `${PRS}/fin`, { metadata: { finalizers: ['example.com/hold', 'new'] } }, MERGE);
    expect(add.status).toBe(422);
    const gone = storeEvent('DELETED', 'tekton.dev/pipelineruns', 'fin');
    await t.request('PATCH', `${PRS}/fin`, { metadata: { finalizers: null } }, MERGE);
    await gone;
    expect((await t.request('GET', `${PRS}/fin`)).status).toBe(404);
  });
});

describe('garbage collection', () => {
  it('Background: deletes dependents after the owner is gone', async () => {
    await ownerAndChild('bg');
    const childGone = storeEvent('DELETED', 'tekton.dev/taskruns', 'bg-child');
    expect((await t.request('DELETE', `${PRS}/bg`, { propagationPolicy: 'Background' })).status).toBe(200);
    expect((await t.request('GET', `${PRS}/bg`)).status).toBe(404);
    await childGone;
  });

  it('Foreground: the owner waits with foregroundDeletion until its dependents are gone', async () => {
    await ownerAndChild('fg');
    await t.request('PATCH', `${TRS}/fg-child`, { metadata: { finalizers: ['hold'] } }, MERGE);
    const ownerGone = storeEvent('DELETED', 'tekton.dev/pipelineruns', 'fg');
    const del = (await t.request('DELETE', `${PRS}/fg`, { propagationPolicy: 'Foreground' })).json();
    expect(del.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(del.metadata.deletionTimestamp).toBeTruthy();
    const childMarked = await until(async () => {
      const c = (await t.request('GET', `${TRS}/fg-child`)).json() as KubeObject;
      return c.metadata.deletionTimestamp ? c : undefined;
    });
    expect(childMarked.metadata.finalizers).toContain('hold');
    expect((await t.request('GET', `${PRS}/fg`)).status).toBe(200); // still waiting for the child
    await t.request('PATCH', `${TRS}/fg-child`, { metadata: { finalizers: null } }, MERGE);
    await ownerGone;
    expect((await t.request('GET', `${TRS}/fg-child`)).status).toBe(404);
  });

  it('Orphan: dependents stay and lose the owner reference', async () => {
    await ownerAndChild('orph');
    const ownerGone = storeEvent('DELETED', 'tekton.dev/pipelineruns', 'orph');
    await t.request('DELETE', `${PRS}/orph`, { propagationPolicy: 'Orphan' });
    await ownerGone;
    const child = (await t.request('GET', `${TRS}/orph-child`)).json();
    expect(child.metadata.ownerReferences).toBeUndefined();
  });
});

describe('namespaces', () => {
  it('deleting a namespace deletes its objects, then the namespace', async () => {
    await t.request('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await t.request('POST', '/apis/tekton.dev/v1/namespaces/doomed/pipelineruns', pipelineRun('in-doomed', { metadata: { name: 'in-doomed', finalizers: ['hold'] } }));
    await t.request('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'cm' } });
    const nsGone = storeEvent('DELETED', '/namespaces', 'doomed');
    const del = (await t.request('DELETE', '/api/v1/namespaces/doomed')).json();
    expect(del.status.phase).toBe('Terminating');
    const refused = await t.request('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    expect(refused.json()).toMatchObject({ code: 403, reason: 'Forbidden' });
    const held = await until(async () => {
      const pr = (await t.request('GET', '/apis/tekton.dev/v1/namespaces/doomed/pipelineruns/in-doomed')).json() as KubeObject;
      return pr.metadata.deletionTimestamp ? pr : undefined;
    });
    expect((await t.request('GET', '/api/v1/namespaces/doomed')).json().status.phase).toBe('Terminating'); // waits for the finalizer
    expect(held.metadata.finalizers).toEqual(['hold']);
    await t.request('PATCH', '/apis/tekton.dev/v1/namespaces/doomed/pipelineruns/in-doomed', { metadata: { finalizers: null } }, MERGE);
    await nsGone;
    expect((await t.request('GET', '/api/v1/namespaces/doomed/configmaps/cm')).status).toBe(404);
  });
});
