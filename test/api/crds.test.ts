/**
 * crds/ must be exactly what scripts/gen-crds.ts generates from the schemas (run `npm run gen:crds` when this
 * fails), structurally valid for apiextensions.k8s.io/v1, consistent with the registry, and accepted by the
 * real kubectl (client-side dry run against a minimal discovery endpoint, since kubectl cannot map kinds offline).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { structuralProblems } from '../../src/api/crd-schema.js';
import { generateCrds } from '../../src/api/crd.js';
import { KINDS } from '../../src/api/registry.js';
import { validateObject } from '../../src/api/validate/index.js';

const crdDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../crds');
const generated = generateCrds();

interface Crd {
  metadata: { name: string };
  spec: {
    group: string; scope: string;
    names: { kind: string; plural: string; shortNames?: string[]; categories?: string[] };
    versions: Array<{ name: string; storage: boolean; subresources?: { status?: object }; additionalPrinterColumns?: unknown[]; schema: { openAPIV3Schema: unknown } }>;
  };
}

describe('crds/ is generated from the schemas', () => {
  it.each(generated.map((f) => [f.name, f.text]))('%s is up to date', (name, text) => {
    const path = join(crdDir, name);
    expect(existsSync(path), `${path} missing: run npm run gen:crds`).toBe(true);
    expect(readFileSync(path, 'utf8'), `${name} is stale: run npm run gen:crds`).toBe(text);
  });
  it('holds no CRD files the generator does not produce', () => {
    const names = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
    expect(names).toEqual(generated.map((f) => f.name).sort());
  });
});

describe('generated CRDs', () => {
  const crds = generated.map((f) => parse(f.text) as Crd);
  it('cover every registry kind marked crd, with its names, scope and subresources', () => {
    for (const info of KINDS.filter((k) => k.crd)) {
      const crd = crds.find((c) => c.spec.group === info.group && c.spec.names.kind === info.kind);
      expect(crd, info.kind).toBeDefined();
      expect(crd?.metadata.name).toBe(`${info.plural}.${info.group}`);
      expect(crd?.spec.scope).toBe(info.namespaced ? 'Namespaced' : 'Cluster');
      expect(crd?.spec.names.shortNames).toEqual(info.shortNames);
      const storage = crd?.spec.versions.filter((v) => v.storage) ?? [];
      expect(storage.map((v) => v.name)).toEqual([info.version]);
      expect(storage[0]?.subresources?.status !== undefined).toBe(info.statusSubresource);
      expect(storage[0]?.additionalPrinterColumns).toEqual(info.printerColumns);
    }
  });
  it.each(crds.flatMap((c) => c.spec.versions.map((v) => [`${c.metadata.name} ${v.name}`, v.schema.openAPIV3Schema])))(
    '%s schema is structural', (_name, schema) => {
      expect(structuralProblems(schema)).toEqual([]);
    },
  );
  it('the structural checker catches what the API server rejects', () => {
    expect(structuralProblems({ type: 'object', properties: { a: {} }, additionalProperties: false }).sort()).toEqual([
      '/properties/a: no type', ': additionalProperties: false', ': properties together with additionalProperties',
    ]);
    expect(structuralProblems({ type: 'object', properties: { v: { anyOf: [{ type: 'string' }] } } })).toEqual(['/properties/v: no type', '/properties/v: uses anyOf']);
  });
  it('keep param values open and typed fields typed', () => {
    const tr = crds.find((c) => c.spec.names.kind === 'TaskRun');
    const spec = (tr?.spec.versions.find((v) => v.storage)?.schema.openAPIV3Schema as { properties: { spec: { properties: Record<string, unknown> } } }).properties.spec;
    expect(spec.properties.params).toEqual({
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, value: { 'x-kubernetes-preserve-unknown-fields': true } }, required: ['name', 'value'] },
    });
    expect(spec.properties.retries).toEqual({ type: 'integer' });
  });
  it('are not Tekton objects themselves, so validation leaves them alone', () => {
    for (const c of crds) expect(validateObject(c).ok).toBe(true);
  });
});

describe('kubectl accepts the CRDs (client dry run)', () => {
  let server: Server;
  let dir: string;
  const kubectl = '/usr/bin/kubectl';
  beforeAll(async () => {
    server = createServer((req, res) => discovery(req.url ?? '', res));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    dir = mkdtempSync(join(tmpdir(), 'tektite-crds-'));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(join(dir, 'kubeconfig'), [
      'apiVersion: v1', 'kind: Config', `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]`,
      'users: [{name: u, user: {}}]', 'contexts: [{name: x, context: {cluster: c, user: u}}]', 'current-context: x', '',
    ].join('\n'));
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });
  it.skipIf(!existsSync(kubectl))('kubectl apply --dry-run=client -f crds/ creates every CRD', async () => {
    const out = await new Promise<string>((ok, fail) => {
      execFile(kubectl, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), 'apply', '--dry-run=client', '--validate=false', '-f', crdDir],
        { timeout: 20_000 }, (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : ok(stdout)));
    });
    for (const f of generated) {
      const name = (parse(f.text) as Crd).metadata.name;
      expect(out).toContain(`customresourcedefinition.apiextensions.k8s.io/${name} created (dry run)`);
    }
  });
});

/** Just enough discovery for kubectl to map CustomResourceDefinition; every object GET answers 404. */
function discovery(url: string, res: import('node:http').ServerResponse): void {
  const json = (code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const path = url.split('?')[0];
  if (path === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  if (path === '/api/v1') return json(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [] });
  if (path === '/apis') {
    const gv = { groupVersion: 'apiextensions.k8s.io/v1', version: 'v1' };
    return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apiextensions.k8s.io', versions: [gv], preferredVersion: gv }] });
  }
  if (path === '/apis/apiextensions.k8s.io/v1') {
    return json(200, {
      kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apiextensions.k8s.io/v1',
      resources: [{ name: 'customresourcedefinitions', singularName: 'customresourcedefinition', namespaced: false, kind: 'CustomResourceDefinition',
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['crd', 'crds'] }],
    });
  }
  json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
}
