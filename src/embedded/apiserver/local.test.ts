import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../kube/errors.js';
import { KubeClient, loadKubeConfig } from '../../kube/client.js';
import { FileLogStore } from '../logs.js';
import { localApiFor, startApiServer, type ApiServer } from './index.js';

const dirs: string[] = [];
const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function start(): Promise<{ api: ApiServer; client: KubeClient }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-local-'));
  dirs.push(dir);
  const api = await startApiServer({
    logs: new FileLogStore(path.join(dir, 'logs')), dataDir: path.join(dir, 'data'),
    admission: (obj) => (obj.metadata.labels?.bad ? { ok: false, errors: [{ path: 'metadata.labels', message: 'bad label' }], warnings: [] } : { ok: true, errors: [], warnings: [] }),
  });
  servers.push(api);
  api.writeKubeconfig(path.join(dir, 'kubeconfig'));
  return { api, client: new KubeClient(loadKubeConfig({ kubeconfig: path.join(dir, 'kubeconfig') })) };
}

const pr = (name: string, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, labels }, spec: { pipelineRef: { name: 'p' } } });

/** The ApiError a call failed with. */
async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('in-process API (LocalApi)', () => {
  it('is found only for the URL and token of a running server of this process', async () => {
    const { api } = await start();
    expect(localApiFor(`${api.url}/`, api.token)).toBeDefined();
    expect(localApiFor(api.url, 'other-token')).toBeUndefined();
    expect(localApiFor('https://127.0.0.1:1', api.token)).toBeUndefined();
    await api.close();
    expect(localApiFor(api.url, api.token)).toBeUndefined();
  });

  it('creates and deletes like the HTTP API, with the same errors', async () => {
    const { api, client } = await start();
    const local = localApiFor(api.url, api.token);
    if (!local) throw new Error('no local API');
    const seen: string[] = [];
    api.store.subscribe((ev) => seen.push(`${ev.type} ${ev.name}`));
    const created = await local.create(pr('a'), 'default');
    expect(created.metadata).toMatchObject({ name: 'a', namespace: 'default', generation: 1 });
    expect(seen).toEqual(['ADDED a']);
    expect(await client.get({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'a')).toEqual(created);
    const viaLocal = await failure(local.create(pr('a'), 'default'));
    const viaHttp = await failure(client.create(pr('a')));
    expect([viaLocal.code, viaLocal.reason, viaLocal.message]).toEqual([viaHttp.code, viaHttp.reason, viaHttp.message]);
    const bad = await failure(local.create(pr('b', { bad: 'yes' }), 'default'));
    const badHttp = await failure(client.create(pr('b', { bad: 'yes' })));
    expect([bad.code, bad.message]).toEqual([422, badHttp.message]);
    expect((await failure(local.create(pr('x'), 'missing-ns'))).code).toBe(404);
    await local.remove(created);
    await local.remove(created);
    expect(api.store.get('tekton.dev/pipelineruns', 'default', 'a')).toBeUndefined();
  });

  it('stores a handed-over object as it stores a copied one', async () => {
    const { api, client } = await start();
    const local = localApiFor(api.url, api.token);
    if (!local) throw new Error('no local API');
    const copied = await local.create(pr('copied', { x: 'y' }), 'default');
    const given = pr('given', { x: 'y' });
    const handed = await local.create(given, 'default', { handOver: true });
    const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, name: undefined, uid: undefined, resourceVersion: undefined, creationTimestamp: undefined } });
    expect(strip(handed)).toEqual(strip(copied));
    expect(await client.get({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'given')).toEqual(handed);
    expect((await failure(local.create(pr('given'), 'default', { handOver: true }))).code).toBe(409);
  });
});
