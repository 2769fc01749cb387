/**
 * The http resolver against a server on loopback: plain fetch, digest check (match and mismatch), basic auth with
 * the password from a Secret, and failures naming the reference: 404, unreachable, refused credentials, non-http URL.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, params, startTestApi, taskYaml, type TestApi } from './api.js';

const BODY = taskYaml('fetched', 'over-http');
const SHA = createHash('sha256').update(BODY).digest('hex');
const BASIC = `Basic ${Buffer.from('ci:pa55').toString('base64')}`;

describe('http resolver', () => {
  let t: TestApi;
  let server: Server;
  let base: string;
  let hits = 0;

  beforeAll(async () => {
    t = await startTestApi();
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/task.yaml') return void res.end(BODY);
      if (req.url === '/private/task.yaml') {
        if (req.headers.authorization !== BASIC) return void res.writeHead(401).end('no');
        return void res.end(BODY);
      }
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await t.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-auth', namespace: 'default' }, stringData: { password: 'pa55', bad: 'nope' } });
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => server?.close(() => r()));
    await t?.close();
  });

  const req = (p: Record<string, string>) => ({ resolver: 'http', namespace: 'default', kind: 'task' as const, params: params(p) });

  it('fetches a Task, checks a matching digest, and caches', async () => {
    const r = t.resolution();
    const res = await r.resolve(t.client, req({ url: `${base}/task.yaml`, digest: `sha256:${SHA}` }));
    expect(res.ok && res.object.metadata.name).toBe('fetched');
    expect(res.ok && res.source).toEqual({ uri: `${base}/task.yaml`, digest: { sha256: SHA } });
    const before = hits;
    await r.resolve(t.client, req({ url: `${base}/task.yaml`, digest: `sha256:${SHA}` }));
    expect(hits).toBe(before);
  });

  it('fails on a digest mismatch, naming both digests', async () => {
    const wrong = 'a'.repeat(64);
    const res = await t.resolution().resolve(t.client, req({ url: `${base}/task.yaml`, digest: `sha256:${wrong}` }));
    expect(res).toEqual({ ok: false, message: `resolver "http" (url=${base}/task.yaml, digest=sha256:${wrong}): digest mismatch: expected sha256:${wrong}, got sha256:${SHA}` });
    const bad = await t.resolution().resolve(t.client, req({ url: `${base}/task.yaml`, digest: 'md5:abc' }));
    expect(!bad.ok && bad.message).toContain('must be sha256:<hex> or sha512:<hex>');
  });

  it('sends basic auth with the password from a Secret', async () => {
    const r = t.resolution();
    const ok = await r.resolve(t.client, req({ url: `${base}/private/task.yaml`, 'http-username': 'ci', 'http-password-secret': 'web-auth', 'http-password-secret-key': 'password' }));
    expect(ok.ok).toBe(true);
    const refused = await r.resolve(t.client, req({ url: `${base}/private/task.yaml`, 'http-username': 'ci', 'http-password-secret': 'web-auth', 'http-password-secret-key': 'bad' }));
    expect(!refused.ok && refused.message).toContain('answered HTTP 401');
    expect(!refused.ok && refused.message).not.toContain('web-auth');
  });

  it('fails naming the reference: 404, unreachable, not http', async () => {
    const r = t.resolution();
    const missing = await r.resolve(t.client, req({ url: `${base}/nope.yaml` }));
    expect(!missing.ok && missing.message).toBe(`resolver "http" (url=${base}/nope.yaml): GET ${base}/nope.yaml answered HTTP 404`);
    const port = await closedPort();
    const down = await r.resolve(t.client, req({ url: `http://127.0.0.1:${port}/task.yaml` }));
    expect(!down.ok && down.message).toBe(`resolver "http" (url=http://127.0.0.1:${port}/task.yaml): cannot reach http://127.0.0.1:${port}/task.yaml: ECONNREFUSED`);
    const file = await r.resolve(t.client, req({ url: 'file:///etc/passwd' }));
    expect(!file.ok && file.message).toContain('must be http:// or https://');
  });
});
