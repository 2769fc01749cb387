/**
 * In-process requests (src/kube/in-process.ts, src/embedded/apiserver/in-process.ts): embedded mode's own clients
 * hand requests to the API server's request handler with no socket. Same semantics as HTTP: the bearer token,
 * status codes as ApiError, impersonation and RBAC, watches that stop when the client stops or the server closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { KubeClient } from '../../src/kube/client.js';
import { ApiError } from '../../src/kube/errors.js';
import { startTestServer, type TestServer } from './helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ sqlite: true, authorizationMode: 'RBAC' });
});
afterAll(async () => srv?.close());

const ref = { apiVersion: 'v1', kind: 'ConfigMap' };
const cm = (name: string, a: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a } }) as KubeObject;
const until = async (f: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
};

function clients(token = srv.api.token): { local: KubeClient; remote: KubeClient } {
  return {
    local: KubeClient.forServer({ server: srv.api.url, token, ca: srv.api.ca, inProcess: srv.api.inProcess }),
    remote: KubeClient.forServer({ server: srv.api.url, token: srv.api.token, ca: srv.api.ca }),
  };
}

describe('in-process requests', () => {
  it('create, get, patch, update, list and delete behave as over HTTPS', async () => {
    const { local, remote } = clients();
    const created = await local.create(cm('ip-a', '1'));
    expect(created.metadata.uid).toBeTruthy();
    expect(((await remote.get(ref, 'default', 'ip-a')) as unknown as { data: { a: string } }).data.a).toBe('1');
    const patched = await local.patch(ref, 'default', 'ip-a', { data: { a: '2' } });
    expect((patched as unknown as { data: { a: string } }).data.a).toBe('2');
    const stale = { ...created, data: { a: '3' } } as KubeObject;
    const conflict = await local.update(stale).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApiError);
    expect((conflict as ApiError).code).toBe(409);
    const list = await local.list(ref, 'default', { labelSelector: '' });
    expect(list.items.map((i) => i.metadata.name)).toContain('ip-a');
    const missing = await local.get(ref, 'default', 'nope').catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe(404);
    const invalid = await local.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'default' } } as never).catch((e: unknown) => e);
    expect((invalid as ApiError).code).toBe(422);
    await local.delete(ref, 'default', 'ip-a');
    expect(await remote.tryGet(ref, 'default', 'ip-a')).toBeUndefined();
  });

  it('refuses a wrong token and authorizes impersonated requests by RBAC', async () => {
    const wrong = clients('not-the-token').local;
    const denied = await wrong.list(ref, 'default').catch((e: unknown) => e);
    expect((denied as ApiError).code).toBe(401);
    const { local } = clients();
    const forbidden = await local.impersonating('system:serviceaccount:default:nobody').list(ref, 'default').catch((e: unknown) => e);
    expect((forbidden as ApiError).code).toBe(403);
    expect((forbidden as ApiError).message).toMatch(/cannot list resource "configmaps"/);
  });

  it('watches see writes from both paths in order, and stop when the client stops', async () => {
    const { local, remote } = clients();
    const seen: string[] = [];
    let done = false;
    const stop = await local.watch(ref, 'default', {}, (type, obj) => { seen.push(`${type} ${obj.metadata.name}`); }, () => { done = true; });
    await remote.create(cm('ip-w1', '1'));
    await local.create(cm('ip-w2', '2'));
    await local.delete(ref, 'default', 'ip-w1');
    await until(() => seen.length >= 3);
    expect(seen).toEqual(['ADDED ip-w1', 'ADDED ip-w2', 'DELETED ip-w1']);
    stop();
    expect(done).toBe(true);
    await remote.create(cm('ip-w3', '3'));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(3);
  });

  it('a watch stopped in its event callback hears nothing more, even events of the same commit', async () => {
    const { local } = clients();
    const seen: string[] = [];
    let stop: () => void = () => undefined;
    stop = await local.watch(ref, 'default', { labelSelector: 'batch=one' }, (type, obj) => {
      seen.push(obj.metadata.name ?? '');
      stop();
    }, () => undefined);
    const labelled = (name: string): KubeObject => ({ ...cm(name, '1'), metadata: { name, namespace: 'default', labels: { batch: 'one' } } });
    await Promise.all(['ip-b1', 'ip-b2', 'ip-b3'].map((n) => local.create(labelled(n))));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(1);
  });

  it('a watch ends (onDone) when the server drops its watches, and a refused watch ends with the ApiError', async () => {
    const { local } = clients();
    let ended = false;
    await local.watch(ref, 'default', {}, () => undefined, () => { ended = true; });
    srv.api.dropWatches();
    await until(() => ended);
    expect(ended).toBe(true);
    let failed: unknown;
    await local.watch(ref, 'default', { labelSelector: 'a in (' }, () => undefined, (err) => { failed = err ?? 'no error'; });
    await until(() => failed !== undefined);
    expect(failed).toBeInstanceOf(ApiError);
    expect((failed as ApiError).code).toBe(400);
  });
});
