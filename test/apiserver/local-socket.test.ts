/**
 * The in-process listener: a Unix socket in the data dir serving the same API over plain HTTP, used by the clients
 * of embedded mode's own process (no TLS between components of one process). Same authentication as HTTPS.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/kube/client.js';
import { startTestServer, type TestServer } from './helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ sqlite: true });
});
afterAll(async () => srv?.close());

function rawGet(socketPath: string, path: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('in-process socket', () => {
  it('serves the API with the same bearer token, and refuses requests without it', async () => {
    const sock = srv.api.socketPath;
    expect(sock).toMatch(/apiserver\.sock$/);
    expect(await rawGet(sock!, '/api/v1/namespaces/default/configmaps', srv.api.token)).toBe(200);
    expect(await rawGet(sock!, '/api/v1/namespaces/default/configmaps')).toBe(401);
  });

  it('a client with socketPath writes, reads and watches through it, seen by HTTPS clients too', async () => {
    const local = KubeClient.forServer({ server: srv.api.url, token: srv.api.token, ca: srv.api.ca, socketPath: srv.api.socketPath });
    const remote = KubeClient.forServer({ server: srv.api.url, token: srv.api.token, ca: srv.api.ca });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap' };
    const seen: string[] = [];
    const stop = await local.watch(ref, 'default', {}, (type, obj) => { seen.push(`${type} ${obj.metadata.name}`); }, () => undefined);
    await remote.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'via-https', namespace: 'default' }, data: { a: '1' } } as never);
    await local.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'via-socket', namespace: 'default' }, data: { a: '2' } } as never);
    expect(((await remote.get(ref, 'default', 'via-socket')) as unknown as { data: Record<string, string> }).data.a).toBe('2');
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['ADDED via-https', 'ADDED via-socket']);
    stop();
  });
});
