/**
 * CRD conversion webhooks (issue 15): once a kind's CustomResourceDefinition is stored with
 * `conversion.strategy: Webhook`, the embedded API server converts between the stored version (v1) and another
 * served version (v1beta1) by calling the webhook as kube-apiserver does — for creates, gets, lists (one review),
 * watches (a review per event), patches and deletes — and checks its answers. The webhook here is a real HTTPS
 * server answering with tektite's own conversion (src/api/convert/review.ts), with switches to misbehave.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerConversionReview, type ConversionReview } from '../../src/api/convert/review.js';
import type { KubeObject } from '../../src/api/types.js';
import { makeServingCert } from '../../src/embedded/apiserver/tls.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-convwh-'));
let world: Embedded;
let server: https.Server;
let url = '';
/** What the webhook was asked: desired apiVersion and how many objects, per review. */
const reviews: Array<{ to: string; n: number }> = [];
let mode: 'ok' | 'failure' | 'wrong-uid' | 'meta' = 'ok';

const kubectl = (args: string[], input?: string) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
  const child = execFile('kubectl', ['--kubeconfig', world.kubeconfigPath, '--cache-dir', path.join(dir, 'kc'), ...args], { timeout: 60_000 }, (error, so, se) => {
    resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: so, err: se });
  });
  if (input !== undefined) child.stdin?.end(input);
});

const TASK = { apiVersion: 'tekton.dev/v1', kind: 'Task' };
const betaTask = (name: string): string => [
  'apiVersion: tekton.dev/v1beta1', 'kind: Task', `metadata: {name: ${name}}`, 'spec:',
  '  steps:', '    - name: s', '      image: busybox', '      script: "true"', '      resources: {limits: {memory: 64Mi}}', '',
].join('\n');

beforeAll(async () => {
  const tls = makeServingCert();
  server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const review = JSON.parse(body) as ConversionReview;
      reviews.push({ to: review.request?.desiredAPIVersion ?? '', n: review.request?.objects?.length ?? 0 });
      const answer = answerConversionReview(review) as { response: { uid: string; result: { status: string; message?: string }; convertedObjects: KubeObject[] } };
      if (mode === 'failure') answer.response.result = { status: 'Failure', message: 'this webhook is broken today' };
      if (mode === 'wrong-uid') answer.response.uid = 'not-the-uid';
      if (mode === 'meta') {
        for (const o of answer.response.convertedObjects) o.metadata = { ...o.metadata, name: 'renamed', labels: { ...o.metadata.labels, converted: 'yes' } };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}/convert`;
  world = await startEmbedded({ runtime: 'noop', dataDir: path.join(dir, 'data'), eventListeners: false, controllers: false });
  const crd = JSON.parse(JSON.stringify((await import('yaml')).parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'crds', 'tekton.dev_tasks.yaml'), 'utf8')))) as KubeObject & { spec: { conversion: { webhook: { clientConfig: Record<string, unknown> } } } };
  crd.spec.conversion.webhook.clientConfig = { url, caBundle: Buffer.from(tls.cert).toString('base64') };
  await world.client.create(crd);
}, 60_000);

afterAll(async () => {
  await world?.stop();
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  mode = 'ok';
  reviews.length = 0;
});

describe('CRD conversion webhook', () => {
  it('converts a v1beta1 create to the stored v1, and the answer back, through the webhook', async () => {
    const r = await kubectl(['create', '-f', '-', '-o', 'jsonpath={.apiVersion} {.spec.steps[0].resources.limits.memory}'], betaTask('one'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('tekton.dev/v1beta1 64Mi');
    expect(reviews).toEqual([{ to: 'tekton.dev/v1', n: 1 }, { to: 'tekton.dev/v1beta1', n: 1 }]);
    const stored = await world.client.get<KubeObject & { spec: { steps: Array<{ computeResources?: unknown }> } }>(TASK, 'default', 'one');
    expect(stored.spec.steps[0]?.computeResources).toEqual({ limits: { memory: '64Mi' } });
  }, 60_000);

  it('a list is one review; the stored version needs none', async () => {
    expect((await kubectl(['create', '-f', '-'], betaTask('two'))).code).toBe(0);
    reviews.length = 0;
    const r = await kubectl(['get', 'tasks.v1beta1.tekton.dev', '-o', 'jsonpath={range .items[*]}{.apiVersion}/{.metadata.name} {end}']);
    expect(r.out.trim()).toBe('tekton.dev/v1beta1/one tekton.dev/v1beta1/two');
    expect(reviews).toEqual([{ to: 'tekton.dev/v1beta1', n: 2 }]);
    reviews.length = 0;
    expect((await kubectl(['get', 'tasks.v1.tekton.dev', 'one', '-o', 'name'])).out.trim()).toBe('task.tekton.dev/one');
    expect(reviews).toEqual([]);
  }, 60_000);

  it('watch events of another version come through the webhook, in order', async () => {
    const watch = execFile('kubectl', ['--kubeconfig', world.kubeconfigPath, 'get', 'tasks.v1beta1.tekton.dev', '--watch-only', '-o', 'jsonpath={.apiVersion}/{.metadata.name}/{.metadata.labels.n}{"\\n"}']);
    let out = '';
    watch.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
    // kubectl's watch starts at some point: label changes until one is seen, then two more that must follow in order
    let n = 0;
    const lines = (): string[] => out.split('\n').filter(Boolean);
    for (; n < 100 && lines().length === 0; n++) {
      await world.client.patch(TASK, 'default', 'one', { metadata: { labels: { n: String(n) } } });
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(lines().length).toBeGreaterThan(0);
    for (const i of [n, n + 1]) await world.client.patch(TASK, 'default', 'one', { metadata: { labels: { n: String(i) } } });
    for (let i = 0; i < 200 && !out.includes(`/one/${n + 1}\n`); i++) await new Promise((r) => setTimeout(r, 50));
    watch.kill();
    expect(lines().slice(-2)).toEqual([`tekton.dev/v1beta1/one/${n}`, `tekton.dev/v1beta1/one/${n + 1}`]);
    expect(lines().every((l) => l.startsWith('tekton.dev/v1beta1/one/'))).toBe(true);
    expect(reviews.filter((x) => x.to === 'tekton.dev/v1beta1').length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('patches and deletes in another version go through it too', async () => {
    const p = await kubectl(['patch', 'tasks.v1beta1.tekton.dev', 'two', '--type', 'merge', '-p', '{"spec":{"description":"patched in v1beta1"}}']);
    expect(p.code, p.err).toBe(0);
    expect((await world.client.get<KubeObject & { spec: { description?: string } }>(TASK, 'default', 'two')).spec.description).toBe('patched in v1beta1');
    expect(reviews.map((x) => x.to)).toEqual(expect.arrayContaining(['tekton.dev/v1beta1', 'tekton.dev/v1']));
    reviews.length = 0;
    expect((await kubectl(['delete', 'tasks.v1beta1.tekton.dev', 'two'])).code).toBe(0);
    expect(reviews.length).toBeGreaterThan(0);
  }, 60_000);

  it('only labels and annotations of metadata may change; the rest is kept', async () => {
    mode = 'meta';
    const r = await kubectl(['get', 'tasks.v1beta1.tekton.dev', 'one', '-o', 'jsonpath={.metadata.name} {.metadata.labels.converted}']);
    expect(r.out).toBe('one yes');
  }, 60_000);

  it('a failing or wrong answer is a 500 naming the conversion webhook, and nothing is stored', async () => {
    mode = 'failure';
    const r = await kubectl(['create', '-f', '-'], betaTask('three'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('conversion webhook for tekton.dev/v1beta1, Kind=Task failed: conversion webhook returned failure: this webhook is broken today');
    expect(await world.client.tryGet(TASK, 'default', 'three')).toBeUndefined();
    mode = 'wrong-uid';
    const g = await kubectl(['get', 'tasks.v1beta1.tekton.dev', 'one']);
    expect(g.err).toContain('conversion webhook for tekton.dev/v1, Kind=Task failed: expected response.uid=');
    server.closeAllConnections();
    await new Promise<void>((res) => server.close(() => res()));
    const down = await kubectl(['get', 'tasks.v1beta1.tekton.dev', 'one']);
    expect(down.err).toContain('conversion webhook for tekton.dev/v1, Kind=Task failed');
    expect((await kubectl(['get', 'tasks.v1.tekton.dev', 'one', '-o', 'name'])).out.trim()).toBe('task.tekton.dev/one');
  }, 60_000);
});
