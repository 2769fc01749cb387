/**
 * The webhook's certificate on a cluster (issue 15), against the embedded API server: the first replica makes it and
 * stores it in the Secret `webhook-certs`, writes it as the caBundle of config/'s webhook configurations (only of the
 * webhooks naming its Service); a second replica serves the same certificate; near expiry it is replaced everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/api/types.js';
import { syncWebhookCerts } from '../../src/cluster/webhook/certs.js';
import { webhookHosts } from '../../src/cluster/webhook/server.js';
import { startTestApi, type TestApi } from './helpers.js';

const root = path.resolve(import.meta.dirname, '..', '..');
let t: TestApi;
const NS = 'tektite-pipelines';
const hosts = webhookHosts('tektite-webhook', NS);
type Cfg = KubeObject & { webhooks: Array<{ name: string; clientConfig: { caBundle?: string } }> };
const cfgs = async (): Promise<Cfg[]> => [
  ...(await t.client.list<Cfg>({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' })).items,
  ...(await t.client.list<Cfg>({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' })).items,
];
const secret = async () => t.client.get<KubeObject & { type: string; data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret' }, NS, 'webhook-certs');

beforeAll(async () => {
  t = await startTestApi();
  await t.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KubeObject);
  const docs = parseAllDocuments(fs.readFileSync(path.join(root, 'config', '500-webhook.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
  for (const d of docs.filter((x) => x?.kind?.endsWith('WebhookConfiguration'))) await t.client.create(d);
  // a CRD whose conversion webhook is tkt webhook's (crds/ names its Service for Tekton's v1/v1beta1 kinds)
  await t.client.create(parseAllDocuments(fs.readFileSync(path.join(root, 'crds', 'tekton.dev_pipelineruns.yaml'), 'utf8'))[0]!.toJS() as KubeObject);
  // someone else's webhook: left alone
  await t.client.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'other' },
    webhooks: [{ name: 'other.example.com', clientConfig: { service: { name: 'other', namespace: 'x' } }, sideEffects: 'None', admissionReviewVersions: ['v1'] }] } as KubeObject);
});
afterAll(async () => t?.close());

describe('webhook certificate on a cluster', () => {
  it('the first replica makes it, keeps it in the Secret and writes the caBundles of its own webhooks', async () => {
    const a = await syncWebhookCerts(t.client, { namespace: NS, service: 'tektite-webhook', certDir: path.join(t.dir, 'a'), hosts });
    const s = await secret();
    expect(s.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(s.data['tls.crt'] ?? '', 'base64').toString()).toBe(a.cert);
    const all = await cfgs();
    for (const c of all.filter((x) => x.metadata.name !== 'other')) for (const w of c.webhooks) expect(w.clientConfig.caBundle, w.name).toBe(a.caBundle);
    expect(all.find((x) => x.metadata.name === 'other')?.webhooks[0]?.clientConfig.caBundle).toBeUndefined();
    const crd = await t.client.get<KubeObject & { spec: { conversion: { strategy: string; webhook: { clientConfig: { caBundle?: string } } } } }>({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }, undefined, 'pipelineruns.tekton.dev');
    expect(crd.spec.conversion.strategy).toBe('Webhook');
    expect(crd.spec.conversion.webhook.clientConfig.caBundle).toBe(a.caBundle);
  });

  it('a second replica serves the same certificate', async () => {
    const first = Buffer.from((await secret()).data['tls.crt'] ?? '', 'base64').toString();
    const b = await syncWebhookCerts(t.client, { namespace: NS, service: 'tektite-webhook', certDir: path.join(t.dir, 'b'), hosts });
    expect(b.cert).toBe(first);
    expect(fs.readFileSync(path.join(t.dir, 'b', 'tls.crt'), 'utf8')).toBe(first);
  });

  it('replaces it when it nears expiry: new Secret, new caBundles', async () => {
    const old = Buffer.from((await secret()).data['tls.crt'] ?? '', 'base64').toString();
    const later = Date.parse(new X509Certificate(old).validTo) - 24 * 3600 * 1000; // one day before expiry
    const c = await syncWebhookCerts(t.client, { namespace: NS, service: 'tektite-webhook', certDir: path.join(t.dir, 'a'), hosts, now: later });
    expect(c.cert).not.toBe(old);
    expect(Buffer.from((await secret()).data['tls.crt'] ?? '', 'base64').toString()).toBe(c.cert);
    for (const cfg of (await cfgs()).filter((x) => x.metadata.name !== 'other')) for (const w of cfg.webhooks) expect(w.clientConfig.caBundle).toBe(c.caBundle);
  });
});
