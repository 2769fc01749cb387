/**
 * @kubernetes/client-node 1.4 against the embedded API server: informer list+watch, informer recovery after a
 * 410 Expired, stale status update → 409, JSON patch; and our KubeClient over the same kubeconfig.
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { isConflict, isNotFound } from '../../src/kube/errors.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';
import { pipelineRun, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let kc: k8s.KubeConfig;
let co: k8s.CustomObjectsApi;
const PR = { group: 'tekton.dev', version: 'v1', namespace: 'default', plural: 'pipelineruns' };

beforeAll(async () => {
  t = await startTestServer({ eventWindow: 5 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  co = kc.makeApiClient(k8s.CustomObjectsApi);
});
afterAll(async () => t.close());

/** Resolves when `pred` holds for a value passed to the returned callback. */
function waitFor<T>(pred: (v: T) => boolean): { cb: (v: T) => void; done: Promise<T> } {
  let resolve!: (v: T) => void;
  const done = new Promise<T>((r) => (resolve = r));
  return { cb: (v) => { if (pred(v)) resolve(v); }, done };
}

const nameIs = (n: string) => (o: KubeObject): boolean => o.metadata.name === n;

describe('client-node 1.4', () => {
  it('creates, rejects duplicates with 409 AlreadyExists', async () => {
    const made = await co.createNamespacedCustomObject({ ...PR, body: pipelineRun('cn-a') }) as KubeObject;
    expect(made.kind).toBe('PipelineRun');
    expect(made.metadata.uid).toBeTruthy();
    const dup = await co.createNamespacedCustomObject({ ...PR, body: pipelineRun('cn-a') }).catch((e: unknown) => e);
    expect((dup as k8s.ApiException<string>).code).toBe(409);
    expect(JSON.parse((dup as k8s.ApiException<string>).body).reason).toBe('AlreadyExists');
  });

  it('runs an informer (list + watch): add, update, delete', async () => {
    const path = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
    const informer = k8s.makeInformer<KubeObject & k8s.KubernetesObject>(kc, path, () => co.listNamespacedCustomObject(PR) as never);
    const added = waitFor<KubeObject>(nameIs('inf-a'));
    const updated = waitFor<KubeObject>((o) => o.metadata.name === 'inf-a' && o.metadata.labels?.x === 'y');
    const deleted = waitFor<KubeObject>(nameIs('inf-a'));
    informer.on('add', added.cb);
    informer.on('update', updated.cb);
    informer.on('delete', deleted.cb);
    await informer.start();
    try {
      await co.createNamespacedCustomObject({ ...PR, body: pipelineRun('inf-a') });
      expect((await added.done).kind).toBe('PipelineRun');
      await co.patchNamespacedCustomObject({ ...PR, name: 'inf-a', body: { metadata: { labels: { x: 'y' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await updated.done;
      await co.deleteNamespacedCustomObject({ ...PR, name: 'inf-a' });
      expect((await deleted.done).metadata.name).toBe('inf-a');
      expect(informer.get('inf-a', 'default')).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });

  it('recovers an informer after 410 Expired by relisting', async () => {
    const path = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
    let lists = 0;
    const informer = k8s.makeInformer<KubeObject & k8s.KubernetesObject>(kc, path, () => { lists++; return co.listNamespacedCustomObject(PR) as never; });
    const first = waitFor<KubeObject>(nameIs('gone-a'));
    const second = waitFor<KubeObject>(nameIs('gone-b'));
    informer.on('add', first.cb);
    informer.on('add', second.cb);
    await informer.start();
    try {
      await co.createNamespacedCustomObject({ ...PR, body: pipelineRun('gone-a') });
      await first.done;
      // Cut the watch, then (synchronously, before the informer reconnects) push its resourceVersion out of
      // the 5-event window with writes to another resource, and add an object only a relist can find.
      t.api.dropWatches();
      for (let i = 0; i < 12; i++) t.api.store.create('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `filler-${i}`, namespace: 'default' } });
      t.api.store.create('tekton.dev/pipelineruns', { ...pipelineRun('gone-b'), metadata: { name: 'gone-b', namespace: 'default', uid: 'u-gone-b' } } as KubeObject);
      for (let i = 12; i < 24; i++) t.api.store.create('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `filler-${i}`, namespace: 'default' } });
      expect((await second.done).metadata.uid).toBe('u-gone-b');
      expect(lists).toBe(2);
    } finally {
      await informer.stop();
    }
  });

  it('answers 409 Conflict to a status update with a stale resourceVersion', async () => {
    const made = await co.createNamespacedCustomObject({ ...PR, body: pipelineRun('stale-a') }) as KubeObject;
    const fresh = { ...made, status: { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] } };
    const ok = await co.replaceNamespacedCustomObjectStatus({ ...PR, name: 'stale-a', body: fresh }) as KubeObject;
    expect(Number(ok.metadata.resourceVersion)).toBeGreaterThan(Number(made.metadata.resourceVersion));
    expect(ok.metadata.generation).toBe(1);
    const err = await co.replaceNamespacedCustomObjectStatus({ ...PR, name: 'stale-a', body: fresh }).catch((e: unknown) => e) as k8s.ApiException<string>;
    expect(err.code).toBe(409);
    const status = JSON.parse(err.body) as { reason: string; message: string };
    expect(status.reason).toBe('Conflict');
    expect(status.message).toBe('Operation cannot be fulfilled on pipelineruns.tekton.dev "stale-a": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('applies a JSON patch (the default patch Content-Type) to the main resource and to /status', async () => {
    await co.createNamespacedCustomObject({ ...PR, body: pipelineRun('jp-a') });
    const patched = await co.patchNamespacedCustomObject({ ...PR, name: 'jp-a', body: [{ op: 'replace', path: '/spec/pipelineRef/name', value: 'q' }] }) as KubeObject;
    expect((patched.spec as { pipelineRef: { name: string } }).pipelineRef.name).toBe('q');
    expect(patched.metadata.generation).toBe(2);
    const st = await co.patchNamespacedCustomObjectStatus({ ...PR, name: 'jp-a', body: [{ op: 'add', path: '/status', value: { podName: 'x' } }] }) as KubeObject;
    expect(st.status).toEqual({ podName: 'x' });
    expect(st.metadata.generation).toBe(2);
    const failed = await co.patchNamespacedCustomObject({ ...PR, name: 'jp-a', body: [{ op: 'test', path: '/spec/pipelineRef/name', value: 'nope' }] }).catch((e: unknown) => e) as k8s.ApiException<string>;
    expect(failed.code).toBe(422);
  });

  it('streams pod logs with follow through k8s.Log', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'cn-pod' }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
    t.logs.append('default', 'cn-pod', 'c', 'one\n');
    expect(await core.readNamespacedPodLog({ namespace: 'default', name: 'cn-pod', container: 'c' })).toBe('one\n');
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    let text = '';
    const got = waitFor<string>((s) => s.includes('two\n'));
    out.on('data', (c: Buffer) => { text += c.toString(); got.cb(text); });
    const ended = new Promise<void>((r) => out.on('end', () => r()));
    await new k8s.Log(kc).log('default', 'cn-pod', 'c', out, { follow: true });
    t.logs.append('default', 'cn-pod', 'c', 'two\n');
    expect(await got.done).toBe('one\ntwo\n');
    t.logs.finish('default', 'cn-pod', 'c');
    await ended;
  });
});

describe('KubeClient over the written kubeconfig (HTTPS + token)', () => {
  it('does CRUD, status, watch and classifies errors', async () => {
    const c = new KubeClient(loadKubeConfig({ kubeconfig: t.kubeconfig }));
    const ref = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
    const events: string[] = [];
    const stop = await c.watch(ref, 'default', { labelSelector: 'kc=1' }, (type, o) => events.push(`${type} ${o.metadata.name}`), () => undefined);
    const made = await c.create({ ...pipelineRun('kc-a'), metadata: { name: 'kc-a', labels: { kc: '1' } } } as unknown as KubeObject);
    const withStatus = await c.updateStatus({ ...made, status: { podName: 'p' } });
    expect(withStatus.status).toEqual({ podName: 'p' });
    await expect(c.updateStatus({ ...made, status: { podName: 'q' } })).rejects.toSatisfy(isConflict);
    const list = await c.list(ref, 'default', { labelSelector: 'kc in (1)', fieldSelector: 'metadata.name=kc-a' });
    expect(list.items.map((o) => o.metadata.name)).toEqual(['kc-a']);
    await c.delete(ref, 'default', 'kc-a');
    await expect(c.get(ref, 'default', 'kc-a')).rejects.toSatisfy(isNotFound);
    const deadline = waitFor<number>((n) => n >= 3);
    const timer = setInterval(() => deadline.cb(events.length), 10);
    await deadline.done;
    clearInterval(timer);
    stop();
    expect(events).toEqual(['ADDED kc-a', 'MODIFIED kc-a', 'DELETED kc-a']);
  });
});
