/**
 * What embedded mode's own clients get back in process (src/kube/in-process.ts, src/embedded/apiserver/in-process.ts):
 * a stored object comes back as the store's own deep-frozen object, watch events carry those objects, and nothing
 * the client does can change what the server holds. Over the MessagePort and over HTTPS answers stay JSON.
 * Also the create path that runs a kind's schema once: the type check's output is defaulted and admitted without
 * parsing again, with the same result as before (normalised values, defaults, semantic refusals, unknown fields).
 * And request bodies: JSON bodies go in process as copies of the value, checked as over HTTPS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { defaulting } from '../../src/api/defaults.js';
import { outputIsInput } from '../../src/api/schemas/fast-types.js';
import { schemaForKind } from '../../src/api/schemas/index.js';
import type { KubeObject, TaskRun } from '../../src/api/types.js';
import { LiveConfig } from '../../src/cluster/live-config.js';
import { admission } from '../../src/embedded/main.js';
import { KubeClient } from '../../src/kube/client.js';
import type { ApiError } from '../../src/kube/errors.js';
import type { InProcessRequest } from '../../src/kube/in-process.js';
import { startTestServer, type TestServer } from './helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ sqlite: true, admission: admission(new LiveConfig({}, {}).config), defaults: defaulting() });
});
afterAll(async () => srv?.close());

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const local = (): KubeClient => KubeClient.forServer({ server: srv.api.url, token: srv.api.token, ca: srv.api.ca, inProcess: srv.api.inProcess });
const remote = (): KubeClient => KubeClient.forServer({ server: srv.api.url, token: srv.api.token, ca: srv.api.ca });

describe('in-process answers as values', () => {
  it('a stored object comes back deep-frozen, the store\'s own; a change to it throws and the server keeps its copy', async () => {
    const c = local();
    const created = await c.create({ ...CM, metadata: { name: 'iv-a', namespace: 'default' }, data: { a: '1' } } as KubeObject);
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.metadata)).toBe(true);
    expect(created).toBe(srv.api.store.get('/configmaps', 'default', 'iv-a'));
    expect(() => { (created as unknown as { data: Record<string, string> }).data.a = 'changed'; }).toThrow(TypeError);
    const read = await c.request<{ data: Record<string, string> }>('GET', '/api/v1/namespaces/default/configmaps/iv-a');
    expect(read.data.a).toBe('1');
    // over HTTPS the same answer is parsed JSON: the caller's own
    const overHttps = await remote().get<KubeObject>(CM, 'default', 'iv-a');
    expect(Object.isFrozen(overHttps)).toBe(false);
    expect(overHttps).toEqual(created);
  });

  it('lists and errors still come as JSON; a list\'s items are copies the caller may change', async () => {
    const c = local();
    const list = await c.list<KubeObject>(CM, 'default');
    expect(Object.isFrozen(list)).toBe(false);
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.some((i) => Object.isFrozen(i))).toBe(false);
    const missing = await c.get(CM, 'default', 'iv-none').catch((e: unknown) => e as ApiError);
    expect((missing as ApiError).code).toBe(404);
    expect((missing as ApiError).message).toMatch(/not found/);
  });

  it('watch events carry the stored objects themselves, in commit order', async () => {
    const c = local();
    const seen: Array<{ type: string; obj: KubeObject }> = [];
    const stop = await c.watch<KubeObject>(CM, 'default', { resourceVersion: '0' }, (type, obj) => { if (obj.metadata?.name === 'iv-w') seen.push({ type, obj }); }, () => undefined);
    try {
      await c.create({ ...CM, metadata: { name: 'iv-w', namespace: 'default' }, data: { n: '1' } } as KubeObject);
      await c.patch(CM, 'default', 'iv-w', { data: { n: '2' } });
      await c.delete(CM, 'default', 'iv-w');
      for (let i = 0; i < 200 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(seen.every((e) => Object.isFrozen(e.obj))).toBe(true);
      expect((seen[1]?.obj as unknown as { data: { n: string } }).data.n).toBe('2');
    } finally {
      stop();
    }
  });
});

describe('a create runs its kind\'s schema once', () => {
  const taskRun = (name: string, extra: Record<string, unknown> = {}): TaskRun => ({
    ...TR, metadata: { name, namespace: 'default' },
    spec: { params: [{ name: 'n', value: 5 as unknown as string }], taskSpec: { params: [{ name: 'n' }], steps: [{ name: 's', image: 'busybox', script: 'echo $(params.n)' }] }, ...extra },
  } as TaskRun);

  it('values are normalised and defaults applied as when each step parsed on its own', async () => {
    const stored = (await local().create(taskRun('iv-tr'))) as TaskRun;
    expect(stored.spec.params?.[0]?.value).toBe('5'); // a YAML number given as a param value is a string
    expect(stored.spec.taskSpec?.params?.[0]?.type).toBe('string'); // Tekton's defaulting
    expect(stored.spec.timeout).toBe('1h0m0s');
    expect(stored.spec.serviceAccountName).toBe('default');
  });

  it('semantic rules are still checked (a step without image or ref), and wrong types are named', async () => {
    const noImage = taskRun('iv-bad', { taskSpec: { steps: [{ name: 's', script: 'true' }] } });
    const err = (await local().create(noImage).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe(422);
    expect(err.message).toMatch(/spec\.taskSpec\.steps\[0\]/);
    const wrongType = taskRun('iv-bad2', { timeout: 5 });
    const err2 = (await local().create(wrongType).catch((e: unknown) => e)) as ApiError;
    expect(err2.code).toBe(422);
    expect(err2.message).toMatch(/spec\.timeout/);
  });

  it('a create its schema would keep as it is skips the parse: defaults as before, and a "__proto__" key stays a key', async () => {
    const value = JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>;
    const body = {
      ...TR, metadata: { name: 'iv-exact', namespace: 'default' },
      spec: { params: [{ name: 'o', value }], taskSpec: { params: [{ name: 'o', type: 'object', properties: { a: { type: 'string' } } }], steps: [{ name: 's', image: 'busybox', script: 'true' }] } },
    };
    expect(outputIsInput(schemaForKind('tekton.dev/v1', 'TaskRun') as z.ZodType, { ...body })).toBe(true); // the path taken
    const stored = (await remote().create(body as unknown as TaskRun)) as TaskRun;
    const param = stored.spec.params?.[0]?.value as Record<string, string>;
    expect(Object.keys(param)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(param)).toBe(Object.prototype);
    expect(stored.spec.timeout).toBe('1h0m0s');
    expect(stored.spec.serviceAccountName).toBe('default');
  });

  it('an unknown field takes the slow path: refused under Strict, kept with a warning under Warn', async () => {
    const body = taskRun('iv-unknown', { bogus: true });
    const strict = await srv.request('POST', '/apis/tekton.dev/v1/namespaces/default/taskruns?fieldValidation=Strict', body);
    expect(strict.status).toBe(422);
    expect(strict.text).toMatch(/bogus/);
    const warn = await srv.request('POST', '/apis/tekton.dev/v1/namespaces/default/taskruns?fieldValidation=Warn', body);
    expect(warn.status).toBe(201);
    expect(String(warn.headers.warning)).toMatch(/bogus/);
    const stored = srv.api.store.get('tekton.dev/taskruns', 'default', 'iv-unknown') as TaskRun;
    expect(stored.spec).toHaveProperty('bogus', true); // Tekton's CRDs preserve unknown fields
    expect(stored.spec.timeout).toBe('1h0m0s');
  });
});

describe('in-process request bodies as values', () => {
  it('a JSON body goes over as a copy: what the server stores shares nothing with the caller\'s object', async () => {
    const sent: InProcessRequest[] = [];
    const c = KubeClient.forServer({ server: srv.api.url, token: srv.api.token, ca: srv.api.ca, inProcess: (req, res) => { sent.push(req); return srv.api.inProcess(req, res); } });
    const data = { a: '1' };
    const body = { ...CM, metadata: { name: 'iv-body', namespace: 'default', labels: { l: 'x' } }, data } as KubeObject;
    const created = await c.create(body);
    expect(Object.isFrozen(body)).toBe(false);
    expect(Object.isFrozen(data)).toBe(false);
    data.a = 'changed by the caller';
    expect((srv.api.store.get('/configmaps', 'default', 'iv-body') as unknown as { data: Record<string, string> }).data.a).toBe('1');
    expect(created).toBe(srv.api.store.get('/configmaps', 'default', 'iv-body'));
    // a merge patch: its values end up in the stored object, as copies
    const patch = { data: { b: '2' }, metadata: { labels: { m: 'y' } } };
    const patched = await c.request<KubeObject & { data: Record<string, string> }>('PATCH', '/api/v1/namespaces/default/configmaps/iv-body', patch, 'application/merge-patch+json');
    expect(patched.data).toEqual({ a: '1', b: '2' });
    expect(Object.isFrozen(patch.data)).toBe(false);
    patch.data.b = 'changed by the caller';
    expect((srv.api.store.get('/configmaps', 'default', 'iv-body') as unknown as { data: Record<string, string> }).data.b).toBe('2');
    expect(sent.map((r) => [r.method, r.body === undefined, r.value !== undefined])).toEqual([['POST', true, true], ['PATCH', true, true]]);
    expect(sent[1]?.headers['Content-Type']).toBe('application/merge-patch+json');
  });

  it('bodies are checked as over HTTPS: wrong types, depth, a body that is not an object, and the size limit', async () => {
    for (const c of [local(), remote()]) {
      const wrong = await c.create({ ...CM, metadata: { name: 'iv-wrong', namespace: 'default' }, data: { a: 1 } } as unknown as KubeObject).catch((e: unknown) => e as ApiError);
      expect((wrong as ApiError).code).toBe(422);
      let deep: Record<string, unknown> = {};
      const top = deep;
      for (let i = 0; i < 150; i++) deep = (deep.n = {}) as Record<string, unknown>;
      const tooDeep = await c.create({ ...CM, metadata: { name: 'iv-deep', namespace: 'default', annotations: {} }, extra: top } as unknown as KubeObject).catch((e: unknown) => e as ApiError);
      expect((tooDeep as ApiError).code).toBe(400);
      const notObject = await c.request('POST', '/api/v1/namespaces/default/configmaps', [1, 2]).catch((e: unknown) => e as ApiError);
      expect((notObject as ApiError).code).toBe(400);
      expect((notObject as ApiError).message).toMatch(/must be a JSON object/);
      // 4 MiB of data: sent as text in process (too long for a value), refused by the 3 MiB limit either way
      const big = await c.create({ ...CM, metadata: { name: 'iv-big', namespace: 'default' }, data: { a: 'x'.repeat(4 * 1024 * 1024) } } as KubeObject).catch((e: unknown) => e as ApiError);
      expect((big as ApiError).code).toBe(413);
    }
    expect(srv.api.store.get('/configmaps', 'default', 'iv-wrong')).toBeUndefined();
  });
});
