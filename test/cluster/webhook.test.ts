/**
 * `tkt webhook` (issue 15): Tekton's admission and conversion webhook over real HTTPS — AdmissionReview v1
 * validation (denied with the field path, warnings), defaults as a JSONPatch, ConversionReview v1beta1 ⇄ v1 — with a
 * certificate generated into --cert-dir and renewed when it nears expiry or names other hosts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { applyPatch } from 'fast-json-patch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/api/defaults.js';
import { startWebhook, webhookCert, webhookHosts, type WebhookServer } from '../../src/cluster/webhook/server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-webhook-'));
let hook: WebhookServer;

function post(url: string, ca: string, p: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${url}${p}`, { method: 'POST', ca, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const review = (object: unknown, operation = 'CREATE') => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u-1', operation, object } });
const pr = (spec: unknown) => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr', namespace: 'default' }, spec });

beforeAll(async () => {
  hook = await startWebhook({ port: 0, host: '127.0.0.1', certDir: path.join(dir, 'certs') });
});
afterAll(async () => {
  await hook?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tkt webhook', () => {
  it('generates its certificate into --cert-dir (key owner-only) for the Service names', () => {
    expect(fs.statSync(path.join(dir, 'certs', 'tls.key')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, 'certs', 'tls.crt'), 'utf8')).toBe(hook.caBundle);
  });

  it('validates: an invalid PipelineRun is denied with the field path, a valid one allowed', async () => {
    const bad = await post(hook.url, hook.caBundle, '/validate', review(pr({ pipelineRef: { name: 'p' }, pipelineSpec: { tasks: [] } })));
    expect(bad.status).toBe(200);
    expect(bad.json.response.uid).toBe('u-1');
    expect(bad.json.response.allowed).toBe(false);
    expect(bad.json.response.status.code).toBe(422);
    expect(bad.json.response.status.message).toMatch(/^PipelineRun "pr" is invalid: spec/);
    const good = await post(hook.url, hook.caBundle, '/validate', review(pr({ pipelineRef: { name: 'p' } })));
    expect(good.json.response).toEqual({ uid: 'u-1', allowed: true });
    const cm = await post(hook.url, hook.caBundle, '/validate', review({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
    expect(cm.json.response.allowed).toBe(true);
  });

  it('validates a v1beta1 object by converting it, as the embedded API server does', async () => {
    const v1beta1 = { apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'old', namespace: 'default' }, spec: { pipelineRef: { name: 'p' }, serviceAccountName: 'builder', timeout: '1h' } };
    expect((await post(hook.url, hook.caBundle, '/validate', review(v1beta1))).json.response.allowed).toBe(true);
  });

  it('mutates: Tekton\'s defaults as a base64 JSONPatch that gives the embedded server\'s defaulted object', async () => {
    const obj = pr({ pipelineRef: { name: 'p' } });
    const r = await post(hook.url, hook.caBundle, '/mutate', review(obj));
    expect(r.json.response.allowed).toBe(true);
    expect(r.json.response.patchType).toBe('JSONPatch');
    const patch = JSON.parse(Buffer.from(r.json.response.patch, 'base64').toString());
    expect(patch.length).toBeGreaterThan(0);
    const patched = applyPatch(structuredClone(obj), patch).newDocument;
    expect(patched).toEqual(applyDefaults(obj as never));
  });

  it('converts v1beta1 ⇄ v1 (ConversionReview)', async () => {
    const v1beta1 = { apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'old', namespace: 'default' }, spec: { pipelineRef: { name: 'p' }, serviceAccountName: 'builder' } };
    const r = await post(hook.url, hook.caBundle, '/convert', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'c-1', desiredAPIVersion: 'tekton.dev/v1', objects: [v1beta1] } });
    expect(r.json.response.result.status).toBe('Success');
    expect(r.json.response.convertedObjects[0].spec.taskRunTemplate.serviceAccountName).toBe('builder');
    const back = await post(hook.url, hook.caBundle, '/convert', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'c-2', desiredAPIVersion: 'tekton.dev/v1beta1', objects: r.json.response.convertedObjects } });
    expect(back.json.response.convertedObjects[0].spec.serviceAccountName).toBe('builder');
  });

  it('renews the certificate when it nears expiry or names other hosts, and keeps a good one', () => {
    const certs = path.join(dir, 'rotate');
    const hosts = webhookHosts('tektite-webhook', 'tektite-pipelines');
    const first = webhookCert(certs, hosts);
    expect(first.generated).toBe(true);
    expect(webhookCert(certs, hosts).generated).toBe(false);
    const late = webhookCert(certs, hosts, Date.now() + 3650 * 24 * 3600 * 1000);
    expect(late.generated).toBe(true);
    expect(late.cert).not.toBe(first.cert);
    expect(webhookCert(certs, webhookHosts('other', 'ns')).generated).toBe(true);
  });

  it('tkt webhook serves /healthz with no cluster reachable', async () => {
    const certDir = path.join(dir, 'cli-certs');
    const child = spawn(process.execPath, [path.join(import.meta.dirname, '..', '..', 'bin', 'tkt.js'), 'webhook', '--port', '0', '--host', '127.0.0.1', '--cert-dir', certDir], {
      env: { ...process.env, KUBECONFIG: path.join(dir, 'none') }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stderr.on('data', (b: Buffer) => { text += b.toString(); if (text.includes('serving /validate')) resolve(text); });
        child.once('exit', (code) => reject(new Error(`tkt webhook exited ${code}: ${text}`)));
      });
      const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
      expect(line).toContain('serving /validate, /mutate and /convert');
      expect(line).toContain('no cluster reachable: serving the certificate in --cert-dir');
      const ca = fs.readFileSync(path.join(certDir, 'tls.crt'), 'utf8');
      const status = await new Promise<number>((resolve, reject) => https.get(`https://127.0.0.1:${port}/healthz`, { ca }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject));
      expect(status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
