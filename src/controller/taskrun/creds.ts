/**
 * Gathers what credential initialisation needs (Tekton's credsInit, docs/auth.md): the run's ServiceAccount
 * (spec.serviceAccountName, else config-defaults' default-service-account) and the Secrets its `secrets` list
 * names. Only names, types, annotations and whether `known_hosts` is present leave this file: the values reach
 * the pod as secret volumes, never the pod spec. A missing ServiceAccount or Secret means no credentials from it.
 * The ServiceAccount comes from the controller's informer cache when it is there (controller/index.ts).
 */
import { REF } from '../../api/registry.js';
import type { KubeObject, TaskRun } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import type { CredSecret, CredsInput } from '../../pod/creds.js';
import type { ControllerConfig } from '../config.js';

type ServiceAccount = KubeObject & { secrets?: Array<{ name?: string }> };
type Secret = KubeObject & { type?: string; data?: Record<string, string>; stringData?: Record<string, string> };

const SA = REF.ServiceAccount;
const SECRET = REF.Secret;

/** The ServiceAccount a TaskRun runs as. */
export function serviceAccountOf(tr: TaskRun, config: ControllerConfig): string {
  return tr.spec.serviceAccountName || config.defaultServiceAccount || 'default';
}

/** The creds-init input of a TaskRun. Transient API errors are thrown (the reconcile is retried). */
export async function gatherCredentials(client: KubeClient, tr: TaskRun, config: ControllerConfig): Promise<CredsInput> {
  const flags = { disabled: config.features.disableCredsInit, requireKnownHosts: config.features.requireGitSshSecretKnownHosts };
  if (flags.disabled) return { secrets: [], ...flags };
  const ns = tr.metadata.namespace ?? 'default';
  const sa = await client.tryGet<ServiceAccount>(SA, ns, serviceAccountOf(tr, config));
  const secrets: CredSecret[] = [];
  const seen = new Set<string>();
  for (const ref of sa?.secrets ?? []) {
    if (!ref.name || seen.has(ref.name)) continue;
    seen.add(ref.name);
    const s = await client.tryGet<Secret>(SECRET, ns, ref.name);
    if (!s) continue;
    secrets.push({
      name: ref.name,
      ...(s.type ? { type: s.type } : {}),
      ...(s.metadata.annotations ? { annotations: s.metadata.annotations } : {}),
      hasKnownHosts: s.data?.known_hosts !== undefined || s.stringData?.known_hosts !== undefined,
    });
  }
  return { secrets, ...flags };
}
