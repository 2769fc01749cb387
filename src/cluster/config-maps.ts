/**
 * Reads Tekton's ConfigMaps `config-defaults` and `feature-flags` from the system namespace into the
 * controllers' configuration (the keys tektite acts on; feature flags it does not honour are reported, see
 * feature-flags.ts).
 */
import type { KubeObject } from '../api/types.js';
import type { ControllerConfig } from '../controller/config.js';
import type { KubeClient } from '../kube/client.js';
import { parseFeatureFlags } from './feature-flags.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };
const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' };

/** Maps the data of config-defaults and feature-flags to controller settings (pure). */
export function configFromConfigMaps(defaults: Record<string, string> = {}, flags: Record<string, string> = {}): Partial<ControllerConfig> {
  const out: Partial<ControllerConfig> = {};
  const timeout = Number(defaults['default-timeout-minutes']);
  if (defaults['default-timeout-minutes'] !== undefined && Number.isFinite(timeout) && timeout >= 0) out.defaultTimeoutMinutes = timeout;
  if (defaults['default-service-account']) out.defaultServiceAccount = defaults['default-service-account'];
  if (defaults['default-managed-by-label-value']) out.managedByLabel = defaults['default-managed-by-label-value'];
  const matrix = Number(defaults['default-max-matrix-combinations-count']);
  if (Number.isInteger(matrix) && matrix > 0) out.maxMatrixCombinations = matrix;
  const { set: { awaitSidecarReadiness, ...features } } = parseFeatureFlags(flags);
  if (awaitSidecarReadiness !== undefined) out.awaitSidecarReadiness = awaitSidecarReadiness;
  if (Object.keys(features).length > 0) out.features = features as ControllerConfig['features'];
  return out;
}

/** Reads both ConfigMaps (absent ones count as empty); `warn` gets a line for every feature flag not honoured. */
export async function readConfigMaps(client: KubeClient, namespace: string, warn?: (message: string) => void): Promise<Partial<ControllerConfig>> {
  const [d, f] = await Promise.all([
    client.tryGet<ConfigMap>(CONFIG_MAP, namespace, 'config-defaults'),
    client.tryGet<ConfigMap>(CONFIG_MAP, namespace, 'feature-flags'),
  ]);
  for (const p of parseFeatureFlags(f?.data).problems) warn?.(p);
  return configFromConfigMaps(d?.data, f?.data);
}

/** Writes `data` into the feature-flags ConfigMap of `namespace` (created with the namespace when missing). */
export async function writeFeatureFlags(client: KubeClient, namespace: string, data: Record<string, string>): Promise<void> {
  if (Object.keys(data).length === 0) return;
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  if (!(await client.tryGet<KubeObject>(ns, undefined, namespace))) await client.create(ns as KubeObject);
  const existing = await client.tryGet<ConfigMap>(CONFIG_MAP, namespace, 'feature-flags');
  if (existing) await client.patch(CONFIG_MAP, namespace, 'feature-flags', { data });
  else await client.create({ ...CONFIG_MAP, metadata: { name: 'feature-flags', namespace }, data } as ConfigMap);
}
