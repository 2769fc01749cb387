/**
 * Real kubectl (through the /usr/bin/kubectl dispatcher, which picks kubectl 1.32 from /version) against the
 * embedded API server over HTTPS with a bearer token, with the real validation and defaulting as admission.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaulting } from '../../src/api/defaults.js';
import type { KubeObject } from '../../src/api/types.js';
import { validateObject } from '../../src/api/validate/index.js';
import { readUntil, startTestServer, writeFile, type TestServer } from './helpers.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({
    admission: (obj, ctx) => validateObject(obj, { unknownFields: ctx.unknownFields }),
    defaults: defaulting(),
  });
});
afterAll(async () => t.close());

const prYaml = (name: string, pipeline = 'p', extra = ''): string =>
  `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: ${name}\n  labels: {app: demo}\nspec:\n  pipelineRef:\n    name: ${pipeline}\n${extra}`;

const podYaml = (name: string, value = '1'): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: step-a
    image: busybox
    env: [{name: A, value: "${value}"}, {name: B, value: keep}]
  - name: step-b
    image: busybox
`;

async function ok(args: string[]): Promise<string> {
  const r = await t.kubectl(args);
  expect(r.stderr + r.stdout, `kubectl ${args.join(' ')}`).not.toMatch(/^error|Error from server/m);
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('kubectl', () => {
  it('reports the server version the dispatcher uses', async () => {
    expect(await ok(['version'])).toMatch(/Server Version: v1\.32\.\d+-tektite/);
  });

  it('creates and gets with printer columns, yaml and json', async () => {
    const f = writeFile(t.dir, 'create.yaml', prYaml('create-a'));
    expect(await ok(['create', '-f', f])).toContain('pipelinerun.tekton.dev/create-a created');
    const table = await ok(['get', 'pipelineruns']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME/);
    expect(table).toMatch(/^create-a\s/m);
    const short = await ok(['get', 'pr', 'create-a']);
    expect(short).toMatch(/^create-a/m);
    const y = await ok(['get', 'pipelinerun', 'create-a', '-o', 'yaml']);
    expect(y).toMatch(/uid: [0-9a-f-]{36}/);
    expect(y).toContain('generation: 1');
    const j = JSON.parse(await ok(['get', 'pr', 'create-a', '-o', 'json'])) as KubeObject;
    expect(j.kind).toBe('PipelineRun');
    expect((j.spec as { timeouts?: { pipeline?: string } }).timeouts?.pipeline).toBe('1h0m0s'); // defaults ran
    const missing = await t.kubectl(['get', 'pr', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Error from server (NotFound): pipelineruns.tekton.dev "nope" not found');
  });

  it('prints pods like kubectl: NAME READY STATUS RESTARTS AGE', async () => {
    await ok(['create', '-f', writeFile(t.dir, 'pod-cols.yaml', podYaml('pod-cols'))]);
    const out = await ok(['get', 'pods', 'pod-cols']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(out).toMatch(/^pod-cols\s+0\/2\s+Pending\s+0\s+\d+s$/m);
  });

  it('applies twice with a change (merge patch, generation bump)', async () => {
    const f = writeFile(t.dir, 'apply.yaml', prYaml('apply-a'));
    expect(await ok(['apply', '-f', f])).toContain('created');
    fs.writeFileSync(f, prYaml('apply-a', 'other'));
    expect(await ok(['apply', '-f', f])).toContain('configured');
    expect(await ok(['get', 'pr', 'apply-a', '-o', 'jsonpath={.spec.pipelineRef.name} {.metadata.generation}'])).toBe('other 2');
    expect(await ok(['apply', '-f', f])).toContain('unchanged');
  });

  it('re-applying an unchanged file that omits defaulted fields writes nothing: no generation bump, same resourceVersion', async () => {
    // kubectl apply's JSON merge patch replaces whole lists with the file's (without the defaults admission added:
    // params[].type, taskRef.kind): the spec is compared after defaulting, as Kubernetes compares after mutation
    const f = writeFile(t.dir, 'lists.yaml', 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: lists-a\nspec:\n  params: [{name: who, default: x}]\n  tasks:\n  - name: a\n    params: [{name: who, value: $(params.who)}]\n    taskRef: {name: t}\n');
    expect(await ok(['apply', '-f', f])).toContain('created');
    const before = await ok(['get', 'pipeline', 'lists-a', '-o', 'jsonpath={.metadata.generation} {.metadata.resourceVersion} {.spec.params[0].type} {.spec.tasks[0].taskRef.kind}']);
    expect(before).toMatch(/^1 \d+ string Task$/);
    const again = await t.kubectl(['apply', '-f', f, '-v=8']);
    expect(again.stdout).toContain('configured'); // the patch is not empty (lists without defaults), as on a cluster
    expect(again.stderr).toContain('Content-Type: application/merge-patch+json'); // kubectl's choice for a Tekton kind, as on a cluster
    expect(await ok(['get', 'pipeline', 'lists-a', '-o', 'jsonpath={.metadata.generation} {.metadata.resourceVersion} {.spec.params[0].type} {.spec.tasks[0].taskRef.kind}'])).toBe(before);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('default: x', 'default: z'));
    expect(await ok(['apply', '-f', f])).toContain('configured');
    expect(await ok(['get', 'pipeline', 'lists-a', '-o', 'jsonpath={.metadata.generation} {.spec.params[0].default}'])).toBe('2 z');
  });

  it('applies a pod twice (strategic merge keeps list items by name) and patches it three ways', async () => {
    const f = writeFile(t.dir, 'pod.yaml', podYaml('pod-a'));
    await ok(['apply', '-f', f]);
    fs.writeFileSync(f, podYaml('pod-a', '2'));
    const applied = await t.kubectl(['apply', '-f', f, '-v=8']);
    expect(applied.stdout).toContain('configured');
    expect(applied.stderr).toContain('Content-Type: application/strategic-merge-patch+json'); // kubectl's built-in Pod type
    const env = await ok(['get', 'pod', 'pod-a', '-o', 'jsonpath={.spec.containers[0].env[*].value}']);
    expect(env).toBe('2 keep');
    await ok(['patch', 'pod', 'pod-a', '-p', '{"spec":{"containers":[{"name":"step-b","image":"alpine"}]}}']);
    expect(await ok(['get', 'pod', 'pod-a', '-o', 'jsonpath={.spec.containers[*].image}'])).toBe('busybox alpine');
    await ok(['patch', 'pod', 'pod-a', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']);
    await ok(['patch', 'pod', 'pod-a', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"2"}]']);
    expect(await ok(['get', 'pod', 'pod-a', '-o', 'jsonpath={.metadata.labels.m}{.metadata.labels.j}'])).toBe('12');
  });

  it('labels and annotates, and selects by label', async () => {
    await ok(['create', '-f', writeFile(t.dir, 'label.yaml', prYaml('label-a'))]);
    expect(await ok(['label', 'pr', 'label-a', 'tier=x'])).toContain('labeled');
    expect(await ok(['annotate', 'pr', 'label-a', 'note=hello'])).toContain('annotated');
    expect(await ok(['get', 'pr', '-l', 'tier in (x,y)', '-o', 'name'])).toBe('pipelinerun.tekton.dev/label-a\n');
    expect(await ok(['get', 'pr', '-l', '!tier', '-o', 'name'])).not.toContain('label-a');
    expect(await ok(['get', 'pr', 'label-a', '-o', 'jsonpath={.metadata.annotations.note}'])).toBe('hello');
  });

  it('deletes by name and with -f', async () => {
    const f = writeFile(t.dir, 'del.yaml', prYaml('del-a'));
    await ok(['create', '-f', f]);
    expect(await ok(['delete', '-f', f])).toContain('pipelinerun.tekton.dev "del-a" deleted');
    await ok(['create', '-f', f]);
    expect(await ok(['delete', 'pr', 'del-a'])).toContain('deleted');
    expect((await t.kubectl(['get', 'pr', 'del-a'])).stderr).toContain('not found');
  });

  it('waits for condition Succeeded after a status patch', async () => {
    await ok(['create', '-f', writeFile(t.dir, 'wait.yaml', prYaml('wait-a'))]);
    const waiter = t.spawnKubectl(['wait', '--for=condition=Succeeded', 'pr/wait-a', '--timeout=60s']);
    const exited = new Promise<number | null>((r) => waiter.on('exit', (c) => r(c)));
    const status = '{"status":{"conditions":[{"type":"Succeeded","status":"True","reason":"Succeeded"}]}}';
    await ok(['patch', 'pr', 'wait-a', '--subresource=status', '--type=merge', '-p', status]);
    expect(await exited).toBe(0);
    expect(await ok(['get', 'pr', 'wait-a'])).toMatch(/^wait-a\s+True\s+Succeeded/m);
  });

  it('watches with get -w (Table rows, no second header)', async () => {
    await ok(['create', '-f', writeFile(t.dir, 'w1.yaml', prYaml('watch-a'))]);
    const w = t.spawnKubectl(['get', 'pr', '-w', '-l', 'app=demo']);
    try {
      await readUntil(w, (s) => /^watch-a\s/m.test(s));
      await ok(['create', '-f', writeFile(t.dir, 'w2.yaml', prYaml('watch-b'))]);
      const text = await readUntil(w, (s) => /^watch-b\s/m.test(s));
      expect(text.match(/^NAME/gm)).toHaveLength(1);
    } finally {
      w.kill();
    }
  });

  it('follows logs appended through the LogStore (logs -f)', async () => {
    await ok(['create', '-f', writeFile(t.dir, 'logpod.yaml', podYaml('log-a'))]);
    t.logs.append('default', 'log-a', 'step-a', 'first line\n');
    const f = t.spawnKubectl(['logs', '-f', 'pod/log-a', '-c', 'step-a']);
    const exited = new Promise<number | null>((r) => f.on('exit', (c) => r(c)));
    await readUntil(f, (s) => s.includes('first line\n'));
    t.logs.append('default', 'log-a', 'step-a', 'second ');
    t.logs.append('default', 'log-a', 'step-a', 'line\nthird line\n');
    const text = await readUntil(f, (s) => s.includes('third line\n'));
    expect(text).toBe('first line\nsecond line\nthird line\n');
    t.logs.finish('default', 'log-a', 'step-a');
    expect(await exited).toBe(0);
    expect(await ok(['logs', 'log-a', '-c', 'step-a', '--tail=1'])).toBe('third line\n');
  });

  it('creates with --dry-run=server without storing', async () => {
    const f = writeFile(t.dir, 'dry.yaml', prYaml('dry-a'));
    expect(await ok(['create', '-f', f, '--dry-run=server'])).toContain('created (server dry run)');
    expect((await t.kubectl(['get', 'pr', 'dry-a'])).stderr).toContain('not found');
  });

  it('rejects an invalid PipelineRun with the field path', async () => {
    const f = writeFile(t.dir, 'bad.yaml', 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: bad-a\nspec:\n  params: []\n');
    const r = await t.kubectl(['create', '-f', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/PipelineRun "bad-a" is invalid: spec: .*pipelineRef/);
  });

  it('rejects unknown fields by default (fieldValidation=Strict) and warns with --validate=warn', async () => {
    const f = writeFile(t.dir, 'unknown.yaml', prYaml('unknown-a', 'p', '  bogus: 1\n'));
    const strict = await t.kubectl(['create', '-f', f]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('spec.bogus');
    const warn = await t.kubectl(['create', '-f', f, '--validate=warn']);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(/Warning: spec\.bogus: unknown field/);
  });

  it('explains Tekton and core kinds from /openapi/v3 (kubectl explain)', async () => {
    const pr = await t.kubectl(['explain', 'pipelinerun.spec']);
    expect(pr.code).toBe(0);
    expect(pr.stdout).toMatch(/KIND:\s+PipelineRun/);
    expect(pr.stdout).toMatch(/pipelineRef\s+<Object>/);
    expect(pr.stdout).toMatch(/taskRunTemplate\s+<Object>/);
    const step = await t.kubectl(['explain', 'task.spec.steps']);
    expect(step.stdout).toMatch(/image\s+<string>/);
    const pod = await t.kubectl(['explain', 'pod.spec.containers']);
    expect(pod.stdout).toMatch(/name\s+<string> -required-/);
  });

  it('refuses a group-version it does not serve as Kubernetes does ("no matches for kind"), through /openapi/v2 in protobuf', async () => {
    // kubectl looks such a kind up in /openapi/v2 (protobuf only); a 406 there made it fail with "failed to download
    // openapi" / "unable to respond with a content type" instead (the catalog's rbac v1beta1 and Condition YAML)
    const f = writeFile(t.dir, 'old-rbac.yaml', 'apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRoleBinding\nmetadata:\n  name: old-crb\nsubjects:\n- {kind: ServiceAccount, name: default, namespace: default}\nroleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}\n');
    const bins = ['kubectl', ...['1.27', '1.33'].map((v) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`).filter((b) => fs.existsSync(b))];
    for (const bin of bins) {
      const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(bin, ['--kubeconfig', t.kubeconfig, '--cache-dir', path.join(t.dir, `cache-old-${path.basename(bin)}`), 'create', '-f', f], { encoding: 'utf8' }, (err, _out, stderr) => resolve({ code: err ? 1 : 0, stderr }));
      });
      expect(r.code, bin).toBe(1);
      expect(r.stderr, bin).toContain('no matches for kind "ClusterRoleBinding" in version "rbac.authorization.k8s.io/v1beta1"');
      expect(r.stderr, bin).not.toMatch(/openapi|content type/);
    }
  });

  it('explains from /openapi/v2 too (kubectl explain --output=plaintext-openapiv2 reads the protobuf document)', async () => {
    const pr = await t.kubectl(['explain', 'pipelinerun.spec', '--output=plaintext-openapiv2']);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toMatch(/KIND:\s+PipelineRun/);
    expect(pr.stdout).toMatch(/pipelineRef\s+<Object>/);
    const pod = await t.kubectl(['explain', 'pod.spec.containers', '--output=plaintext-openapiv2']);
    expect(pod.stdout).toMatch(/name\s+<string> -required-/);
  });

  it('names the generated name when it refuses an object created with generateName (as Kubernetes: the name comes first)', async () => {
    const f = writeFile(t.dir, 'gen.yaml', 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  generateName: gen-run-\nspec:\n  taskSpec: {}\n');
    const r = await t.kubectl(['create', '-f', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/TaskRun "gen-run-[a-z0-9]{5}" is invalid: spec\.taskSpec\.steps/);
  });

  it('rejects a wrong-typed field with 422 naming it, before defaulting runs', async () => {
    const f = writeFile(t.dir, 'typed.yaml', 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: typed-a\nspec:\n  steps: not a list\n');
    const r = await t.kubectl(['create', '-f', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Task "typed-a" is invalid: spec\.steps: /);
    expect(r.stderr).not.toMatch(/InternalError|forEach/);
  });

  it('answers 415 to server-side apply with a clear message', async () => {
    const r = await t.kubectl(['apply', '--server-side', '-f', writeFile(t.dir, 'ssa.yaml', prYaml('ssa-a'))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('server-side apply is not supported');
  });

  it('works with kubectl 1.27 (aggregated discovery v2beta1) and 1.33', async () => {
    for (const v of ['1.27', '1.33']) {
      const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;
      if (!fs.existsSync(bin)) continue;
      const args = ['--kubeconfig', t.kubeconfig, '--cache-dir', path.join(t.dir, `cache-${v}`)];
      const out = await new Promise<string>((resolve, reject) => {
        execFile(bin, [...args, 'get', 'pr/create-a', 'pod/pod-a'], { encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      });
      expect(out).toMatch(/^pipelinerun\.tekton\.dev\/create-a\s/m);
      expect(out).toMatch(/^pod\/pod-a\s+0\/2/m);
    }
  });

  it('applies crds/ (kustomization) twice and reports them Established', async () => {
    const crds = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'crds');
    expect(await ok(['apply', '-k', crds])).toContain('customresourcedefinition.apiextensions.k8s.io/pipelineruns.tekton.dev created');
    const again = await ok(['apply', '-k', crds]);
    expect(again).not.toContain('created');
    expect(again).toContain('pipelineruns.tekton.dev unchanged');
    expect(await ok(['wait', '--for=condition=Established', 'crd/pipelineruns.tekton.dev', '--timeout=30s'])).toContain('condition met');
  });

  it('manages namespaces: 404 in a missing one, delete empties it', async () => {
    const missing = await t.kubectl(['create', '-n', 'ghost', '-f', writeFile(t.dir, 'ns1.yaml', prYaml('in-ghost'))]);
    expect(missing.stderr).toContain('namespaces "ghost" not found');
    await ok(['create', 'namespace', 'team']); // sent as protobuf
    await ok(['create', 'secret', 'generic', 'creds', '-n', 'team', '--from-literal=pw=s3cret']);
    expect(await ok(['get', 'secret', 'creds', '-n', 'team', '-o', 'jsonpath={.type} {.data.pw}'])).toBe(`Opaque ${Buffer.from('s3cret').toString('base64')}`);
    await ok(['create', '-n', 'team', '-f', writeFile(t.dir, 'ns2.yaml', prYaml('in-team'))]);
    expect(await ok(['get', 'pr', '-A', '-o', 'name'])).toContain('in-team');
    await ok(['delete', 'namespace', 'team']);
    expect((await t.kubectl(['get', 'ns', 'team'])).stderr).toContain('not found');
    expect(await ok(['get', 'pr', '-A', '-o', 'name'])).not.toContain('in-team');
  });
});
