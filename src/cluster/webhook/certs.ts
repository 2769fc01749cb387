/**
 * The webhook's certificate on a cluster, as Tekton's webhook keeps it: a TLS Secret (`webhook-certs` in the
 * webhook's namespace) shared by every replica — the first to start makes it, the others (and restarts) use it — and
 * its certificate written as the `caBundle` of every webhook configuration and CRD conversion webhook that points at
 * the webhook's Service. Run at start and periodically: a certificate close to expiry is replaced (Secret, caBundles)
 * and the server reloads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError } from '../../kube/errors.js';
import { webhookCert } from './server.js';

const SECRET = { apiVersion: 'v1', kind: 'Secret' };
const CONFIGS = [
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' },
];
const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

export interface CertSyncOptions {
  namespace: string;
  service: string;
  certDir: string;
  hosts: string[];
  /** The Secret holding tls.crt and tls.key (default `webhook-certs`). */
  secretName?: string;
  now?: number;
}

type Secret = KubeObject & { data?: Record<string, string>; type?: string };
type ClientConfig = { caBundle?: string; service?: { name?: string; namespace?: string } };

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

function writeDir(dir: string, cert: string, key: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'tls.key'), key, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'tls.crt'), cert, { mode: 0o644 });
}

/** The certificate to serve: the Secret's when it is still good, else a new one stored in the Secret. */
async function secretCert(client: KubeClient, o: CertSyncOptions, name: string): Promise<{ cert: string; key: string }> {
  const existing = await client.tryGet<Secret>(SECRET, o.namespace, name);
  if (existing?.data?.['tls.crt'] && existing.data['tls.key']) writeDir(o.certDir, unb64(existing.data['tls.crt']), unb64(existing.data['tls.key']));
  // webhookCert keeps what the dir holds when it is fresh and names the hosts; otherwise it makes a new one
  const made = webhookCert(o.certDir, o.hosts, o.now);
  const data = { 'tls.crt': b64(made.cert), 'tls.key': b64(made.key) };
  if (existing?.data?.['tls.crt'] === data['tls.crt']) return made;
  try {
    if (existing) await client.update<Secret>({ ...existing, type: 'kubernetes.io/tls', data });
    else await client.create<Secret>({ ...SECRET, metadata: { name, namespace: o.namespace, labels: { 'app.kubernetes.io/part-of': 'tektite' } }, type: 'kubernetes.io/tls', data });
    return made;
  } catch (err) {
    // another replica wrote it first: serve the certificate it stored
    if (!(err instanceof ApiError) || (err.code !== 409)) throw err;
    const won = await client.get<Secret>(SECRET, o.namespace, name);
    const cert = unb64(won.data?.['tls.crt']);
    const key = unb64(won.data?.['tls.key']);
    writeDir(o.certDir, cert, key);
    return { cert, key };
  }
}

/** Sets `caBundle` on every clientConfig that names the webhook's Service; answers whether anything changed. */
function patchConfigs(clientConfigs: ClientConfig[], o: CertSyncOptions, caBundle: string): boolean {
  let changed = false;
  for (const cc of clientConfigs) {
    if (cc.service?.name !== o.service || (cc.service.namespace ?? 'default') !== o.namespace || cc.caBundle === caBundle) continue;
    cc.caBundle = caBundle;
    changed = true;
  }
  return changed;
}

/** Makes or loads the certificate, keeps it in the Secret, and writes the caBundles; answers what to serve. */
export async function syncWebhookCerts(client: KubeClient, o: CertSyncOptions): Promise<{ cert: string; key: string; caBundle: string }> {
  const { cert, key } = await secretCert(client, o, o.secretName ?? 'webhook-certs');
  const caBundle = b64(cert);
  for (const ref of CONFIGS) {
    for (const cfg of (await client.list<KubeObject & { webhooks?: Array<{ clientConfig?: ClientConfig }> }>(ref)).items) {
      if (patchConfigs((cfg.webhooks ?? []).map((w) => (w.clientConfig ??= {})), o, caBundle)) await client.update(cfg);
    }
  }
  for (const crd of (await client.list<KubeObject & { spec?: { conversion?: { strategy?: string; webhook?: { clientConfig?: ClientConfig } } } }>(CRD)).items) {
    const conv = crd.spec?.conversion;
    if (conv?.strategy === 'Webhook' && conv.webhook && patchConfigs([(conv.webhook.clientConfig ??= {})], o, caBundle)) await client.update(crd);
  }
  return { cert, key, caBundle };
}
