/**
 * The `featureFlags` of `status.provenance`: Tekton's FeatureFlags struct as JSON (its `omitempty` field names),
 * filled from the flags tektite acts on and Tekton's defaults for the rest, so tools that read provenance (Tekton
 * Chains) see the same shape.
 */
import type { ControllerConfig } from './config.js';

/** Tekton's config.FeatureFlags JSON for this configuration (false, empty and zero values omitted, as Go does). */
export function provenanceFeatureFlags(config: ControllerConfig): Record<string, unknown> {
  // once per configuration (a new one comes as a new object): every reconcile of every run asks
  const known = flagsOf.get(config);
  if (known && known.features === config.features && known.awaitSidecarReadiness === config.awaitSidecarReadiness) return known.flags;
  const flags = Object.freeze(computeFlags(config));
  flagsOf.set(config, { features: config.features, awaitSidecarReadiness: config.awaitSidecarReadiness, flags });
  return flags;
}

const flagsOf = new WeakMap<ControllerConfig, { features: ControllerConfig['features']; awaitSidecarReadiness: ControllerConfig['awaitSidecarReadiness']; flags: Record<string, unknown> }>();

function computeFlags(config: ControllerConfig): Record<string, unknown> {
  const f = config.features;
  const all: Record<string, unknown> = {
    disableCredsInit: f.disableCredsInit,
    requireGitSSHSecretKnownHosts: f.requireGitSshSecretKnownHosts,
    enableAPIFields: f.enableApiFields,
    awaitSidecarReadiness: config.awaitSidecarReadiness,
    enforceNonfalsifiability: 'none',
    enableKeepPodOnCancel: f.keepPodOnCancel,
    verificationNoMatchPolicy: 'ignore',
    enableProvenanceInStatus: f.enableProvenanceInStatus,
    resultExtractionMethod: f.resultsFrom,
    maxResultSize: f.maxResultSize,
    setSecurityContext: f.setSecurityContext,
    coschedule: 'workspaces',
    enableCELInWhenExpression: f.enableCelInWhenExpression,
    enableParamEnum: f.enableParamEnum,
    enableArtifacts: f.enableArtifacts,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== false && v !== '' && v !== 0 && v !== undefined));
}
