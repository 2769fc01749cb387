/**
 * Cluster mode's admission path end to end on one machine (issue 15): an embedded cluster with its built-in
 * admission off (`--no-admission`, as a real API server has none of Tekton's), the webhook configurations of
 * config/500-webhook.yaml registered with the CA of a real `tkt webhook` process, and real kubectl. The API server
 * calls the webhooks as kube-apiserver does: an invalid PipelineRun is refused with the webhook's message, defaults
 * come from the mutating webhook, a v1beta1 PipelineRun goes in and out converted by the CRDs' conversion webhook
 * (crds/, `conversion.strategy: Webhook`), and the controllers run it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, PipelineRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { waitFor } from './helpers.js';
import { freePort } from '../helpers/ports.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-webhook-e2e-'));
let hook: ChildProcess;
let world: Embedded;

const kubectl = (args: string[], input?: string) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
  const child = execFile('kubectl', ['--kubeconfig', world.kubeconfigPath, '--cache-dir', path.join(dir, 'kc'), ...args], { timeout: 60_000 }, (error, so, se) => {
    resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: so, err: se });
  });
  if (input !== undefined) child.stdin?.end(input);
});

beforeAll(async () => {
  const port = await freePort();
  const certDir = path.join(dir, 'certs');
  hook = spawn(process.execPath, [path.join(root, 'bin', 'tkt.js'), 'webhook', '--port', String(port), '--host', '127.0.0.1', '--cert-dir', certDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  hook.stderr!.on('data', (b: Buffer) => { said += b.toString(); });
  await waitFor('tkt webhook', () => said.includes('serving') || (hook.exitCode !== null ? Promise.reject(new Error(said)) : undefined), 30_000, 50);
  world = await startEmbedded({
    runtime: 'host', dataDir: path.join(dir, 'data'), eventListeners: false, admission: false,
    webhookServices: { 'tektite-pipelines/tektite-webhook': `https://localhost:${port}` },
  });
  const caBundle = Buffer.from(fs.readFileSync(path.join(certDir, 'tls.crt'))).toString('base64');
  const docs = parseAllDocuments(fs.readFileSync(path.join(root, 'config', '500-webhook.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject & { webhooks?: Array<{ clientConfig: Record<string, unknown> }> });
  const configs = docs.filter((d) => d?.kind?.endsWith('WebhookConfiguration'));
  expect(configs.map((c) => c.kind).sort()).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
  for (const c of configs) {
    for (const w of c.webhooks ?? []) w.clientConfig.caBundle = caBundle;
    await world.client.create(c);
  }
  // config/'s CRDs (crds/): Tekton's kinds convert through tkt webhook's /convert, with its CA
  for (const file of fs.readdirSync(path.join(root, 'crds')).filter((f) => f.startsWith('tekton.dev_'))) {
    const crd = parseAllDocuments(fs.readFileSync(path.join(root, 'crds', file), 'utf8'))[0]?.toJS() as KubeObject & { spec: { conversion?: { strategy: string; webhook?: { clientConfig: Record<string, unknown> } } } };
    if (crd.spec.conversion?.webhook) crd.spec.conversion.webhook.clientConfig.caBundle = caBundle;
    await world.client.create(crd);
  }
}, 90_000);

afterAll(async () => {
  await world?.stop();
  hook?.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('admission through config/\'s webhooks and tkt webhook', () => {
  it('refuses an invalid PipelineRun with the webhook\'s message (kubectl create)', async () => {
    const bad = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: bad}\nspec:\n  pipelineRef: {name: p}\n  pipelineSpec: {tasks: []}\n';
    const r = await kubectl(['create', '-f', '-'], bad);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('admission webhook "validation.webhook.pipeline.tekton.dev" denied the request: PipelineRun "bad" is invalid: spec');
    expect(await world.client.tryGet({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'bad')).toBeUndefined();
  }, 60_000);

  it('takes a v1beta1 PipelineRun: defaults from the mutating webhook, converted on the way in and out, run to Succeeded', async () => {
    const run = [
      'apiVersion: tekton.dev/v1beta1', 'kind: PipelineRun', 'metadata: {name: good}', 'spec:', '  serviceAccountName: default',
      '  pipelineSpec:', '    tasks:', '      - name: hello', '        taskSpec:', '          steps:',
      '            - {name: say, image: busybox, script: "echo hello from a webhooked run"}', '',
    ].join('\n');
    const r = await kubectl(['create', '-f', '-'], run);
    expect(r.code, r.err).toBe(0);
    const v1 = await world.client.get<PipelineRun>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'good');
    expect(v1.spec.taskRunTemplate?.serviceAccountName).toBe('default');
    expect(v1.spec.timeouts?.pipeline).toBe('1h0m0s'); // written by the mutating webhook: the built-in defaults are off
    const beta = await kubectl(['get', 'pipelineruns.v1beta1.tekton.dev', 'good', '-o', 'jsonpath={.apiVersion} {.spec.serviceAccountName}']);
    expect(beta.out).toBe('tekton.dev/v1beta1 default');
    const done = await waitFor('good to finish', async () => {
      const pr = await world.client.get<PipelineRun>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'good');
      const c = pr.status?.conditions?.find((x) => x.type === 'Succeeded');
      return c && c.status !== 'Unknown' ? c : undefined;
    }, 60_000, 100);
    expect(done).toMatchObject({ status: 'True', reason: 'Succeeded' });
  }, 90_000);

  it('fails closed when the webhook is down (failurePolicy Fail)', async () => {
    hook.kill('SIGTERM');
    await new Promise((res) => hook.once('exit', res));
    const r = await kubectl(['create', '-f', '-'], 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps: [{name: s, image: busybox, script: "true"}]\n');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('failed calling webhook "webhook.pipeline.tekton.dev"');
    // reads in v1beta1 went through the conversion webhook all along: with it down they fail, v1 reads do not
    const beta = await kubectl(['get', 'pipelineruns.v1beta1.tekton.dev', 'good']);
    expect(beta.code).not.toBe(0);
    expect(beta.err).toContain('conversion webhook for tekton.dev/v1, Kind=PipelineRun failed');
    expect((await kubectl(['get', 'pipelineruns.v1.tekton.dev', 'good', '-o', 'name'])).out.trim()).toBe('pipelinerun.tekton.dev/good');
  }, 60_000);
});
