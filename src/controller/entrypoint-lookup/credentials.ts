/**
 * Registry credentials from a service account's imagePullSecrets, as the kubelet reads them: secrets of type
 * kubernetes.io/dockerconfigjson (`{"auths": {...}}`) or kubernetes.io/dockercfg (`{...}`), whose keys name a
 * registry (`host[:port]`, optionally with a scheme and path; Docker Hub as `https://index.docker.io/v1/`).
 */
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';

/** Credentials for one registry. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** A bearer token to send as is (`registrytoken`). */
  registryToken?: string;
}

type Secret = KubeObject & { type?: string; data?: Record<string, string> };
type ServiceAccount = KubeObject & { imagePullSecrets?: Array<{ name?: string }> };
type AuthEntry = { auth?: string; username?: string; password?: string; registrytoken?: string };

const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The host[:port] a config key names (`https://index.docker.io/v1/` → `docker.io`). */
export function keyHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]?.toLowerCase() ?? '';
  return DOCKER_HUB_KEYS.has(host) ? 'docker.io' : host;
}

/** Credentials of one auth entry, or undefined when it has none. */
function entryCredentials(e: AuthEntry): RegistryCredentials | undefined {
  if (e.registrytoken) return { registryToken: e.registrytoken };
  if (e.username || e.password) return { username: e.username ?? '', password: e.password ?? '' };
  if (e.auth) {
    const text = Buffer.from(e.auth, 'base64').toString('utf8');
    const i = text.indexOf(':');
    if (i >= 0) return { username: text.slice(0, i), password: text.slice(i + 1) };
  }
  return undefined;
}

/** Entries of a docker config secret, by registry host (pure). */
export function secretAuths(secret: Secret): Map<string, RegistryCredentials> {
  const out = new Map<string, RegistryCredentials>();
  const raw = secret.data?.['.dockerconfigjson'] ?? secret.data?.['.dockercfg'];
  if (!raw) return out;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return out;
  }
  const auths = (secret.data?.['.dockerconfigjson'] ? parsed.auths : parsed) as Record<string, AuthEntry> | undefined;
  for (const [key, entry] of Object.entries(auths ?? {})) {
    const creds = entry && typeof entry === 'object' ? entryCredentials(entry) : undefined;
    if (creds && !out.has(keyHost(key))) out.set(keyHost(key), creds);
  }
  return out;
}

/**
 * The credentials for `registry` held by the given pull secrets (the run's podTemplate.imagePullSecrets), then by
 * the service account's imagePullSecrets (first secret that has the host). A missing service account or secret
 * means no credentials, as for the kubelet.
 */
export async function credentialsFor(client: KubeClient, namespace: string, serviceAccountName: string, registry: string, podSecrets: readonly string[] = []): Promise<RegistryCredentials | undefined> {
  const sa = await client.tryGet<ServiceAccount>({ apiVersion: 'v1', kind: 'ServiceAccount' }, namespace, serviceAccountName);
  const host = keyHost(registry);
  for (const ref of [...podSecrets.map((name) => ({ name })), ...(sa?.imagePullSecrets ?? [])]) {
    if (!ref.name) continue;
    const secret = await client.tryGet<Secret>({ apiVersion: 'v1', kind: 'Secret' }, namespace, ref.name);
    const creds = secret ? secretAuths(secret).get(host) : undefined;
    if (creds) return creds;
  }
  return undefined;
}
