/**
 * Property test (fast-check, seeded and bounded): wrong-typed values at every field path the OpenAPI schema of
 * each kind names, and objects nested too deeply, sent to the embedded API server with the real defaulting and
 * admission, under every served version (v1beta1 bodies go through conversion first). Every answer is 201 or a
 * 4xx naming a field; never a 5xx. Accepted objects are then read back as
 * Tables (printers) and patched with wrong-typed status and spec (the /status and PATCH paths).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaulting } from '../../src/api/defaults.js';
import { KINDS, servedVersions, type KindInfo } from '../../src/api/registry.js';
import { validateObject } from '../../src/api/validate/index.js';
import { kindSchema } from '../../src/embedded/apiserver/openapi-schemas.js';
import { BASES } from './fuzz-bases.js';
import { startTestServer, type HttpAnswer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    admission: (obj, ctx) => validateObject(obj, { unknownFields: ctx.unknownFields }),
    defaults: defaulting(),
  });
});
afterAll(async () => t.close());

const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
type Seg = string | number;

function collection(k: KindInfo, version = k.version): string {
  const base = k.group ? `/apis/${k.group}/${version}` : `/api/${version}`;
  return `${base}${k.namespaced ? '/namespaces/default' : ''}/${k.plural}`;
}

/** Every field path of a schema (lists entered at index 0), to `maxDepth` segments. */
function fieldPaths(schema: Record<string, unknown>, maxDepth = 6): Seg[][] {
  const out: Seg[][] = [];
  const walk = (s: Record<string, unknown>, path: Seg[]): void => {
    if (path.length >= maxDepth) return;
    const props = s.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [k, v] of Object.entries(props ?? {})) {
      if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
      out.push([...path, k]);
      walk(v, [...path, k]);
    }
    const items = s.items as Record<string, unknown> | undefined;
    if (items) walk(items, [...path, 0]);
  };
  walk(schema, []);
  return out;
}

function setAt(obj: Record<string, unknown>, path: Seg[], value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      cur[seg] = value;
      return;
    }
    const next = cur[seg];
    if (next === null || typeof next !== 'object') cur[seg] = typeof path[i + 1] === 'number' ? [{}] : {};
    cur = cur[seg] as Record<string | number, unknown>;
  });
}

let counter = 0;
function objectFor(k: KindInfo, version = k.version): Record<string, unknown> {
  const base = structuredClone(BASES[k.kind]) as Record<string, unknown>;
  const name = `fz-${k.kind.toLowerCase()}-${++counter}`;
  return { apiVersion: k.group ? `${k.group}/${version}` : version, kind: k.kind, ...base, metadata: { name, labels: { fuzz: 'yes' } } };
}

function expectClientError(r: HttpAnswer, what: string): void {
  if (r.status >= 500) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status < 400) return;
  const body = r.json();
  if (r.status === 422) {
    const fields = (body.details?.causes ?? []).map((c: { field?: string }) => c.field ?? '');
    if (!fields.some((f: string) => f !== '')) throw new Error(`${what}: 422 without a field path: ${r.text.slice(0, 300)}`);
  }
  if (typeof body.message !== 'string' || body.message === '') throw new Error(`${what}: ${r.status} without a message`);
}

const wrong = fc.oneof(
  fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const kinds = KINDS.filter((k) => BASES[k.kind] !== undefined);
const paths = new Map(kinds.map((k) => [k.kind, fieldPaths(kindSchema(k, k.version) ?? {})]));

describe('admission under type fuzzing', () => {
  it('has a valid base object for every kind (accepted as given)', async () => {
    expect(kinds.map((k) => k.kind).sort()).toEqual(KINDS.map((k) => k.kind).sort());
    for (const k of kinds) {
      const r = await t.request('POST', collection(k), objectFor(k));
      expect(r.status, `${k.kind}: ${r.text.slice(0, 300)}`).toBe(201);
    }
  });

  it('answers wrong-typed fields at any path with a 4xx naming a field, never a 5xx', async () => {
    const byKind = new Map(kinds.map((k) => [k.kind, k]));
    const mutation = fc.constantFrom(...byKind.keys()).chain((kind) => fc.tuple(
      fc.constant(kind), fc.constantFrom(...servedVersions(byKind.get(kind) as KindInfo)), fc.constantFrom(...(paths.get(kind) ?? [['spec']])), wrong,
    ));
    await fc.assert(fc.asyncProperty(mutation, async ([kind, version, path, value]) => {
      const k = byKind.get(kind) as KindInfo;
      const obj = objectFor(k, version);
      setAt(obj, path, value);
      const what = `${k.kind} (${version}) ${path.join('.')}=${JSON.stringify(value)}`;
      const r = await t.request('POST', collection(k, version), obj);
      expectClientError(r, `POST ${what}`);
      if (r.status !== 201) return;
      const name = r.json().metadata.name as string;
      expectClientError(await t.request('GET', `${collection(k)}/${name}`, undefined, TABLE), `GET table ${what}`);
      const patch = {} as Record<string, unknown>;
      setAt(patch, path.map((s) => (typeof s === 'number' ? 'x' : s)), value);
      expectClientError(await t.request('PATCH', `${collection(k)}/${name}`, patch, { 'Content-Type': 'application/merge-patch+json' }), `PATCH ${what}`);
      if (k.statusSubresource) {
        const st = await t.request('PATCH', `${collection(k)}/${name}/status`, { status: { conditions: value, phase: value } }, { 'Content-Type': 'application/merge-patch+json' });
        expectClientError(st, `PATCH status ${what}`);
      }
    }), { seed: Number(process.env.FUZZ_SEED ?? 20261203), numRuns: Number(process.env.FUZZ_RUNS ?? 1000) });
    for (const k of kinds) expectClientError(await t.request('GET', `${collection(k)}?labelSelector=fuzz%3Dyes`, undefined, TABLE), `LIST ${k.kind}`);
  }, 120_000);

  it('checks the changed fields of an update (patch of a spec field, of a status field) with the field path', async () => {
    const tr = KINDS.find((k) => k.kind === 'TaskRun') as KindInfo;
    const name = (await t.request('POST', collection(tr), objectFor(tr))).json().metadata.name as string;
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const spec = await t.request('PATCH', `${collection(tr)}/${name}`, { spec: { timeout: 5 } }, merge);
    expect(spec.status).toBe(422);
    expect(spec.json().details.causes.map((c: { field: string }) => c.field)).toContain('spec.timeout');
    const status = await t.request('PATCH', `${collection(tr)}/${name}/status`, { status: { conditions: 'x' } }, merge);
    expect(status.status).toBe(422);
    expect(status.json().details.causes.map((c: { field: string }) => c.field)).toContain('status.conditions');
    expect((await t.request('PATCH', `${collection(tr)}/${name}`, { spec: { status: 'TaskRunCancelled' } }, merge)).status).toBe(200);
  });

  it('checks the changed elements of a status array (a wide PipelineRun adding childReferences) at their index', async () => {
    const pr = KINDS.find((k) => k.kind === 'PipelineRun') as KindInfo;
    const name = (await t.request('POST', collection(pr), objectFor(pr))).json().metadata.name as string;
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const ref = (i: number): Record<string, unknown> => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: `c${i}`, pipelineTaskName: `t${i}` });
    const refs = Array.from({ length: 50 }, (_, i) => ref(i));
    expect((await t.request('PATCH', `${collection(pr)}/${name}/status`, { status: { childReferences: refs } }, merge)).status).toBe(200);
    const more = await t.request('PATCH', `${collection(pr)}/${name}/status`, { status: { childReferences: [...refs, ref(50), { ...ref(51), name: 7 }] } }, merge);
    expect(more.status).toBe(422);
    expect(more.json().details.causes.map((c: { field: string }) => c.field)).toEqual(['status.childReferences[51].name']);
    const changed = refs.map((r, i) => (i === 10 ? { ...r, pipelineTaskName: ['x'] } : r));
    const wrong = await t.request('PATCH', `${collection(pr)}/${name}/status`, { status: { childReferences: changed } }, merge);
    expect(wrong.json().details.causes.map((c: { field: string }) => c.field)).toEqual(['status.childReferences[10].pipelineTaskName']);
    expect((await t.request('PATCH', `${collection(pr)}/${name}/status`, { status: { childReferences: [...refs, ref(50)] } }, merge)).status).toBe(200);
    expect((await t.request('PATCH', `${collection(pr)}/${name}/status`, { status: { childReferences: 'none' } }, merge)).status).toBe(422);
  });

  it('answers objects nested too deeply with a 400 naming the path, for every kind', async () => {
    const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    for (const k of kinds) {
      const obj = JSON.stringify({ ...objectFor(k), extra: 'X' }).replace('"X"', deep(5000));
      const r = await t.request('POST', collection(k), obj);
      expect(r.status, `${k.kind}: ${r.text.slice(0, 200)}`).toBe(400);
      expect(r.json().details.causes[0].field).toMatch(/^extra\.a\.a/);
    }
  });

  it('caps ConfigMap and Secret data at 1 MiB and checks their keys', async () => {
    const cm = (data: Record<string, string>): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${++counter}` }, data });
    const big = await t.request('POST', '/api/v1/namespaces/default/configmaps', cm({ a: 'x'.repeat(1024 * 1024) }));
    expect(big.status).toBe(422);
    expect(big.json().details.causes[0]).toMatchObject({ field: 'data', reason: 'FieldValueTooLong' });
    expect((await t.request('POST', '/api/v1/namespaces/default/configmaps', cm({ a: 'x'.repeat(1000 * 1024) }))).status).toBe(201);
    const key = await t.request('POST', '/api/v1/namespaces/default/configmaps', cm({ '../etc': 'x' }));
    expect(key.status).toBe(422);
    expect(key.json().details.causes[0].field).toBe('data[../etc]');
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's-big' }, stringData: { a: 'x'.repeat(1024 * 1024 + 1) } };
    expect((await t.request('POST', '/api/v1/namespaces/default/secrets', secret)).status).toBe(422);
    const notBase64 = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's-b64' }, data: { a: 'not base64!' } };
    expect((await t.request('POST', '/api/v1/namespaces/default/secrets', notBase64)).json().details.causes[0].field).toBe('data[a]');
  });

  it('answers malformed or unsupported selectors with 400', async () => {
    const get = (q: string): Promise<HttpAnswer> => t.request('GET', `/api/v1/namespaces/default/pods?${q}`);
    for (const q of ['fieldSelector=foo.bar%3Dx', 'fieldSelector=metadata.name', 'labelSelector=a%3Db%3Dc', 'labelSelector=a%20in%20(b', 'labelSelector=a%20in%20()']) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      expect(r.json().reason).toBe('BadRequest');
    }
    expect((await get('fieldSelector=status.phase%3DRunning,metadata.name!%3Dx')).status).toBe(200);
    expect((await t.request('GET', '/apis/tekton.dev/v1/namespaces/default/pipelineruns?fieldSelector=status.phase%3DRunning')).status).toBe(400);
    expect((await t.request('GET', '/apis/tekton.dev/v1/namespaces/default/pipelineruns?watch=true&fieldSelector=spec.x%3Dy')).status).toBe(400);
  });
});
