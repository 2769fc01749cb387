/**
 * Registry credentials for image pulls, as the kubelet takes them: the pod's `imagePullSecrets`, or — when it
 * lists none — its ServiceAccount's (what Kubernetes' ServiceAccount admission copies onto the pod). Secrets of
 * type kubernetes.io/dockerconfigjson (`{"auths": {...}}`) and kubernetes.io/dockercfg (`{...}`) are merged
 * (the first Secret naming a registry wins) into one docker config file, mode 0600, in the pod's directory,
 * that the podman runtime passes as `--authfile` and the docker runtime as DOCKER_CONFIG. Missing Secrets and
 * unreadable ones are skipped, as the kubelet does.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject, Pod } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import type { SourceCache } from './sources.js';

type ServiceAccount = KubeObject & { imagePullSecrets?: Array<{ name?: string }> };

/** The names of the Secrets used for the pod's pulls. */
export async function pullSecretNames(client: KubeClient, pod: Pod): Promise<string[]> {
  const own = (pod.spec.imagePullSecrets ?? []).map((s) => s.name).filter(Boolean);
  if (own.length > 0) return own;
  const sa = await client.tryGet<ServiceAccount>({ apiVersion: 'v1', kind: 'ServiceAccount' }, pod.metadata.namespace ?? 'default', pod.spec.serviceAccountName || 'default');
  return (sa?.imagePullSecrets ?? []).map((s) => s.name ?? '').filter(Boolean);
}

/** The registry entries of one docker config Secret (pure). */
export function dockerAuths(data: ReadonlyMap<string, Buffer>): Record<string, unknown> {
  const json = data.get('.dockerconfigjson');
  const cfg = data.get('.dockercfg');
  try {
    if (json) return ((JSON.parse(json.toString('utf8')) as { auths?: Record<string, unknown> }).auths ?? {});
    if (cfg) return JSON.parse(cfg.toString('utf8')) as Record<string, unknown>;
  } catch {
    // not JSON: no credentials from this Secret
  }
  return {};
}

/** Writes `<podDir>/pull-auth/config.json` when the pod has pull credentials; answers its path, else undefined. */
export async function writePullAuth(client: KubeClient, sources: SourceCache, pod: Pod, podDir: string): Promise<string | undefined> {
  const auths: Record<string, unknown> = {};
  for (const name of await pullSecretNames(client, pod)) {
    const data = await sources.secret(name);
    if (!data) continue;
    for (const [registry, entry] of Object.entries(dockerAuths(data))) if (!(registry in auths)) auths[registry] = entry;
  }
  if (Object.keys(auths).length === 0) return undefined;
  const dir = path.join(podDir, 'pull-auth');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify({ auths }), { mode: 0o600 });
  return file;
}
