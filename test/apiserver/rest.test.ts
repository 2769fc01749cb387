/**
 * Request-level behaviour of the embedded API server over real HTTPS: Status errors, selectors, paging,
 * optimistic concurrency, generation and /status rules, admission, discovery and OpenAPI negotiation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { httpRequest, pipelineRun, startTestServer, type TestServer } from './helpers.js';

/** The fields of one protobuf message: length-delimited ones as bytes, varints as numbers (by field number). */
function protoFields(bytes: Uint8Array): Map<number, Array<Uint8Array | number>> {
  const out = new Map<number, Array<Uint8Array | number>>();
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    const v = wire === WireType.LengthDelimited ? r.bytes() : wire === WireType.Varint ? Number(r.uint64()) : (r.skip(wire), NaN);
    out.set(field, [...(out.get(field) ?? []), v]);
  }
  return out;
}
const text = (v: Uint8Array | number | undefined): string | undefined => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : undefined);

let t: TestServer;
const PRS = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
const PODS = '/api/v1/namespaces/default/pods';

beforeAll(async () => {
  t = await startTestServer({
    admission: (obj) => {
      const spec = (obj.spec ?? {}) as Record<string, unknown>;
      if (obj.kind === 'PipelineRun' && !spec.pipelineRef && !spec.pipelineSpec) {
        return { ok: false, errors: [{ path: 'spec.pipelineRef', message: 'Required value: pipelineRef or pipelineSpec' }], warnings: [] };
      }
      return { ok: true, errors: [], warnings: spec.deprecated ? [{ path: 'spec.deprecated', message: 'is "deprecated"' }] : [] };
    },
  });
});
afterAll(async () => t.close());

const pod = (name: string, labels: Record<string, string> = {}, phase?: string): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'x' }] }, ...(phase ? { status: { phase } } : {}),
});

describe('Status errors', () => {
  it('401 without the bearer token, but /version and /healthz are public', async () => {
    const r = await httpRequest(t.api, 'GET', PRS);
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await httpRequest(t.api, 'GET', PRS, undefined, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await httpRequest(t.api, 'GET', '/version')).json()).toMatchObject({ major: '1', minor: '32' });
    expect((await httpRequest(t.api, 'GET', '/healthz')).text).toBe('ok');
  });

  it('404 NotFound, 409 AlreadyExists, 400 for bad JSON, 413 over 3 MiB, 415 for apply-patch', async () => {
    const nf = await t.request('GET', `${PRS}/nope`);
    expect(nf.status).toBe(404);
    expect(nf.json()).toMatchObject({ reason: 'NotFound', message: 'pipelineruns.tekton.dev "nope" not found', details: { name: 'nope', group: 'tekton.dev', kind: 'pipelineruns' } });
    expect((await t.request('POST', PRS, pipelineRun('dup'))).status).toBe(201);
    const dup = await t.request('POST', PRS, pipelineRun('dup'));
    expect(dup.json()).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'pipelineruns.tekton.dev "dup" already exists' });
    const bad = await t.request('POST', PRS, '{"kind":');
    expect(bad.json()).toMatchObject({ code: 400, reason: 'BadRequest' });
    const big = await t.request('POST', PRS, JSON.stringify({ ...pipelineRun('big'), pad: 'x'.repeat(3 * 1024 * 1024) }));
    expect(big.json()).toMatchObject({ code: 413, reason: 'RequestEntityTooLarge' });
    const ssa = await t.request('PATCH', `${PRS}/dup`, '{}', { 'Content-Type': 'application/apply-patch+yaml' });
    expect(ssa.json()).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect((await t.request('GET', '/apis/nope.dev/v1/things')).status).toBe(404);
  });

  it('422 Invalid with causes from admission, and Warning headers', async () => {
    const r = await t.request('POST', PRS, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'inv' }, spec: {} });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({
      reason: 'Invalid', message: 'PipelineRun.tekton.dev "inv" is invalid: spec.pipelineRef: Required value: pipelineRef or pipelineSpec',
      details: { name: 'inv', group: 'tekton.dev', kind: 'PipelineRun', causes: [{ field: 'spec.pipelineRef', reason: 'FieldValueRequired' }] },
    });
    const w = await t.request('POST', PRS, pipelineRun('warned', { spec: { pipelineRef: { name: 'p' }, deprecated: true } }));
    expect(w.status).toBe(201);
    expect(w.headers.warning).toBe('299 - "spec.deprecated: is \\"deprecated\\""');
    const badName = await t.request('POST', PRS, pipelineRun('Bad_Name'));
    expect(badName.json()).toMatchObject({ code: 422, details: { causes: [{ field: 'metadata.name' }] } });
  });

  it('404 for a missing namespace; 403 when deleting default', async () => {
    const r = await t.request('POST', '/apis/tekton.dev/v1/namespaces/ghost/pipelineruns', pipelineRun('x'));
    expect(r.json()).toMatchObject({ code: 404, message: 'namespaces "ghost" not found' });
    expect((await t.request('DELETE', '/api/v1/namespaces/default')).status).toBe(403);
  });
});

describe('create, update, patch', () => {
  it('sets uid, creationTimestamp, generation 1, kind/apiVersion; generateName; dryRun stores nothing', async () => {
    const body = { metadata: { generateName: 'gen-' }, spec: { pipelineRef: { name: 'p' } } };
    const made = (await t.request('POST', PRS, body)).json();
    expect(made).toMatchObject({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generation: 1, namespace: 'default' } });
    expect(made.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(made.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const dry = await t.request('POST', `${PRS}?dryRun=All`, pipelineRun('dry'));
    expect(dry.status).toBe(201);
    expect((await t.request('GET', `${PRS}/dry`)).status).toBe(404);
  });

  it('PUT with a stale resourceVersion is a 409 Conflict; generation bumps only on spec changes', async () => {
    const a = (await t.request('POST', PRS, pipelineRun('occ'))).json();
    const labelled = (await t.request('PUT', `${PRS}/occ`, { ...a, metadata: { ...a.metadata, labels: { l: '1' } } })).json();
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    const stale = await t.request('PUT', `${PRS}/occ`, { ...a, spec: { pipelineRef: { name: 'z' } } });
    expect(stale.json()).toMatchObject({ code: 409, reason: 'Conflict' });
    const specChange = (await t.request('PUT', `${PRS}/occ`, { ...labelled, spec: { pipelineRef: { name: 'z' } } })).json();
    expect(specChange.metadata.generation).toBe(2);
    const same = (await t.request('PUT', `${PRS}/occ`, specChange)).json();
    expect(same.metadata.resourceVersion).toBe(specChange.metadata.resourceVersion); // no-op writes are not stored
  });

  it('/status changes only status; main-resource writes ignore status for status-subresource kinds', async () => {
    await t.request('POST', PRS, pipelineRun('st', { status: { ignored: true } }));
    const got = (await t.request('GET', `${PRS}/st`)).json();
    expect(got.status).toBeUndefined();
    const viaMain = (await t.request('PATCH', `${PRS}/st`, { status: { x: 1 } }, { 'Content-Type': 'application/merge-patch+json' })).json();
    expect(viaMain.status).toBeUndefined();
    const viaSub = (await t.request('PATCH', `${PRS}/st/status`, { status: { x: 1 }, spec: { pipelineRef: { name: 'changed' } } }, { 'Content-Type': 'application/merge-patch+json' })).json();
    expect(viaSub.status).toEqual({ x: 1 });
    expect(viaSub.spec.pipelineRef.name).toBe('p');
    expect(viaSub.metadata.generation).toBe(1);
  });

  it('strategic merge patch merges containers by name, env by name, and honours $patch: delete', async () => {
    const body = { ...pod('smp'), spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'E', value: '1' }] }, { name: 'b', image: 'y' }] } };
    await t.request('POST', PODS, body);
    const patch = { spec: { containers: [{ name: 'a', env: [{ name: 'F', value: '2' }] }, { name: 'b', $patch: 'delete' }] } };
    const r = (await t.request('PATCH', `${PODS}/smp`, patch, { 'Content-Type': 'application/strategic-merge-patch+json' })).json();
    expect(r.spec.containers).toEqual([{ name: 'a', image: 'x', env: [{ name: 'E', value: '1' }, { name: 'F', value: '2' }] }]);
  });
});

describe('list', () => {
  it('filters with set-based label selectors and field selectors (status.phase), across namespaces', async () => {
    await t.request('POST', '/api/v1/namespaces', { metadata: { name: 'other' } });
    await t.request('POST', PODS, pod('l1', { tier: 'a', app: 'x' }));
    await t.request('POST', PODS, pod('l2', { tier: 'b' }));
    await t.request('POST', '/api/v1/namespaces/other/pods', pod('l3', { tier: 'c', app: 'x' }));
    await t.request('PATCH', `${PODS}/l2/status`, { status: { phase: 'Running' } }, { 'Content-Type': 'application/merge-patch+json' });
    const names = async (p: string): Promise<string[]> => ((await t.request('GET', p)).json().items as { metadata: { name: string } }[]).map((o) => o.metadata.name);
    const sel = (s: string): string => encodeURIComponent(s);
    expect(await names(`/api/v1/pods?labelSelector=${sel('tier in (a,c)')}`)).toEqual(['l1', 'l3']);
    expect(await names(`${PODS}?labelSelector=${sel('tier notin (a),tier')}`)).toEqual(['l2']);
    expect(await names(`/api/v1/pods?labelSelector=${sel('app,!nope')}`)).toEqual(['l1', 'l3']);
    expect(await names(`${PODS}?labelSelector=tier&fieldSelector=${sel('status.phase=Running')}`)).toEqual(['l2']);
    expect(await names(`/api/v1/pods?labelSelector=tier&fieldSelector=${sel('metadata.namespace!=default')}`)).toEqual(['l3']);
    expect((await t.request('GET', `${PODS}?labelSelector=${sel('a in (')}`)).status).toBe(400);
  });

  it('pages with limit and continue', async () => {
    for (let i = 0; i < 5; i++) await t.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `page-${i}`, labels: { page: 'y' } } });
    const seen: string[] = [];
    let cont = '';
    do {
      const r = (await t.request('GET', `/api/v1/namespaces/default/configmaps?labelSelector=page&limit=2${cont ? `&continue=${cont}` : ''}`)).json();
      expect(r.kind).toBe('ConfigMapList');
      seen.push(...(r.items as { metadata: { name: string } }[]).map((o) => o.metadata.name));
      cont = r.metadata.continue ?? '';
    } while (cont);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('serves cluster-scoped kinds and returns Tables with registry columns', async () => {
    const ctb = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'ClusterTriggerBinding', metadata: { name: 'ctb' }, spec: { params: [] } };
    expect((await t.request('POST', '/apis/triggers.tekton.dev/v1beta1/clustertriggerbindings', ctb)).json().metadata.namespace).toBeUndefined();
    const table = (await t.request('GET', '/apis/triggers.tekton.dev/v1beta1/clustertriggerbindings', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).json();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Age']);
    await t.request('PATCH', `${PRS}/st/status`, { status: { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] } }, { 'Content-Type': 'application/merge-patch+json' });
    const prTable = (await t.request('GET', `${PRS}/st`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).json();
    expect(prTable.rows[0].cells.slice(0, 3)).toEqual(['st', 'False', 'Failed']);
    expect(prTable.rows[0].object.kind).toBe('PartialObjectMetadata');
  });
});

describe('discovery and OpenAPI', () => {
  const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  it('answers aggregated v2, v2beta1 or legacy exactly as asked', async () => {
    const v2 = await t.request('GET', '/apis', undefined, { Accept: AGG });
    expect(v2.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const tekton = v2.json().items.find((g: { metadata: { name: string } }) => g.metadata.name === 'tekton.dev');
    const prs = tekton.versions[0].resources.find((r: { resource: string }) => r.resource === 'pipelineruns');
    expect(prs).toMatchObject({ scope: 'Namespaced', shortNames: ['pr', 'prs'], subresources: [{ subresource: 'status' }] });
    const beta = await t.request('GET', '/api', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' });
    expect(beta.json().apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect((await t.request('GET', '/api')).json().kind).toBe('APIVersions');
    const list = (await t.request('GET', '/api/v1')).json();
    expect(list.resources.map((r: { name: string }) => r.name)).toContain('pods/log');
  });

  it('serves an OpenAPI v3 index and per-group-version docs with PATCH + fieldValidation; v2 as JSON and as gnostic protobuf', async () => {
    const index = (await t.request('GET', '/openapi/v3')).json();
    expect(index.paths['apis/tekton.dev/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/tekton.dev\/v1\?hash=/);
    const doc = (await t.request('GET', index.paths['apis/tekton.dev/v1'].serverRelativeURL)).json();
    const patch = doc.paths['/apis/tekton.dev/v1/namespaces/{namespace}/pipelineruns/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'tekton.dev', version: 'v1', kind: 'PipelineRun' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(doc.components.schemas['dev.tekton.v1.PipelineRun']['x-kubernetes-group-version-kind']).toEqual([{ group: 'tekton.dev', version: 'v1', kind: 'PipelineRun' }]);
    const v2 = await t.request('GET', '/openapi/v2', undefined, { Accept: 'application/json' });
    expect(v2.status).toBe(200);
    const json = v2.json();
    expect(json.definitions['io.k8s.api.core.v1.Pod'].properties.spec.properties.containers.type).toBe('array');
    const jsonPatch = json.paths['/apis/tekton.dev/v1/namespaces/{namespace}/pipelineruns/{name}'].patch;
    expect(jsonPatch.parameters.find((p: { name: string }) => p.name === 'fieldValidation')).toEqual({ name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true });
    // kubectl's ask (the old spelling with `@`); the answer's type is the one Go's mime parser takes
    const pb = await t.request('GET', '/openapi/v2', undefined, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(pb.status).toBe(200);
    expect(pb.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const pdoc = protoFields(pb.bytes); // gnostic openapi.v2.Document
    expect(text(pdoc.get(1)?.[0])).toBe('2.0');
    const paths = protoFields(pdoc.get(8)?.[0] as Uint8Array); // Paths.path = NamedPathItem (name 1, PathItem 2)
    const item = (paths.get(2) ?? []).map((b) => protoFields(b as Uint8Array)).find((n) => text(n.get(1)?.[0]) === '/apis/tekton.dev/v1/namespaces/{namespace}/pipelineruns/{name}');
    const pbPatch = protoFields(protoFields(item?.get(2)?.[0] as Uint8Array).get(8)?.[0] as Uint8Array); // PathItem.patch = Operation
    const ext = (pbPatch.get(13) ?? []).map((b) => protoFields(b as Uint8Array)).find((n) => text(n.get(1)?.[0]) === 'x-kubernetes-group-version-kind');
    expect(text(protoFields(ext?.get(2)?.[0] as Uint8Array).get(2)?.[0])).toBe('group: tekton.dev\nversion: v1\nkind: PipelineRun\n'); // Any.yaml
    const queryNames = (pbPatch.get(8) ?? []).map((b) => { // ParametersItem → Parameter → NonBodyParameter → QueryParameterSubSchema.name
      const nonBody = protoFields(protoFields(b as Uint8Array).get(1)?.[0] as Uint8Array).get(2)?.[0];
      const query = nonBody && protoFields(nonBody as Uint8Array).get(3)?.[0];
      return query ? text(protoFields(query as Uint8Array).get(4)?.[0]) : undefined;
    });
    expect(queryNames).toContain('fieldValidation');
    const defs = (protoFields(pdoc.get(9)?.[0] as Uint8Array).get(1) ?? []).map((b) => text(protoFields(b as Uint8Array).get(1)?.[0]));
    expect(defs).toEqual(expect.arrayContaining(['dev.tekton.v1.PipelineRun', 'io.k8s.api.core.v1.Pod']));
    expect((await t.request('GET', '/openapi/v2', undefined, { Accept: 'application/xml' })).status).toBe(406);
  });
});

describe('pods/log', () => {
  it('keeps serving a container log after its pod is deleted while its TaskRun exists, 404 for unknown pods', async () => {
    const tr = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'owner' }, spec: { taskRef: { name: 't' } } };
    const created = await t.request('POST', '/apis/tekton.dev/v1/namespaces/default/taskruns', tr);
    expect(created.status).toBe(201);
    const owned = { ...pod('gone'), metadata: { name: 'gone', ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'owner', uid: created.json().metadata.uid, controller: true }] } };
    expect((await t.request('POST', PODS, owned)).status).toBe(201);
    t.logs.append('default', 'gone', 'c', 'line one\nline two\n');
    t.logs.finish('default', 'gone', 'c');
    expect((await t.request('DELETE', `${PODS}/gone`)).status).toBe(200);
    const r = await t.request('GET', `${PODS}/gone/log?container=c`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('line one\nline two\n');
    expect((await t.request('GET', `${PODS}/gone/log?container=c&follow=true`)).text).toBe('line one\nline two\n');
    expect((await t.request('GET', `${PODS}/never/log?container=c`)).status).toBe(404);
  });
});
