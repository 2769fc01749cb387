/**
 * Reads Tekton's ConfigMaps `config-defaults` and `feature-flags` from the system namespace into the
 * controllers' configuration (the keys tektite acts on; the others are accepted and ignored).
 */
import type { KubeObject } from '../api/types.js';
import type { ControllerConfig } from '../controller/config.js';
import type { KubeClient } from '../kube/client.js';

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
  const sidecars = flags['await-sidecar-readiness'];
  if (sidecars === 'true' || sidecars === 'false') out.awaitSidecarReadiness = sidecars === 'true';
  return out;
}

/** Reads both ConfigMaps (absent ones count as empty). */
export async function readConfigMaps(client: KubeClient, namespace: string): Promise<Partial<ControllerConfig>> {
  const [d, f] = await Promise.all([
    client.tryGet<ConfigMap>(CONFIG_MAP, namespace, 'config-defaults'),
    client.tryGet<ConfigMap>(CONFIG_MAP, namespace, 'feature-flags'),
  ]);
  return configFromConfigMaps(d?.data, f?.data);
}
