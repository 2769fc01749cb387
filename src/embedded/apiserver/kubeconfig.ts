/**
 * The kubeconfig that points kubectl and client-node at the embedded API server (HTTPS with the server's
 * self-signed certificate as CA, bearer token).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** What a kubeconfig for the embedded server holds. */
export interface KubeconfigParams {
  server: string;
  token: string;
  /** PEM CA certificate; without it the kubeconfig skips TLS verification. */
  ca?: string;
  namespace?: string;
}

/** Renders a kubeconfig; the cluster, user and context are all named `tektite`. */
export function kubeconfigYaml(p: KubeconfigParams): string {
  const cluster = p.ca
    ? { server: p.server, 'certificate-authority-data': Buffer.from(p.ca).toString('base64') }
    : { server: p.server, 'insecure-skip-tls-verify': true };
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'tektite', cluster }],
    users: [{ name: 'tektite', user: { token: p.token } }],
    contexts: [{ name: 'tektite', context: { cluster: 'tektite', user: 'tektite', namespace: p.namespace ?? 'default' } }],
    'current-context': 'tektite',
    preferences: {},
  });
}

/** Writes the kubeconfig file atomically (mode 0600, parent directories created). */
export function writeKubeconfigFile(file: string, p: KubeconfigParams): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, kubeconfigYaml(p), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
