/**
 * Controller configuration: Tekton's defaults and feature flags that the reconcilers read, with Tekton's
 * default values. Built at start-up and passed down; never read from the environment deep inside. Tekton's
 * ConfigMaps update the one object in place while the controllers run (src/cluster/live-config.ts), so read it
 * when it is needed rather than copying values out of it at start.
 */
import type { PodTemplate } from '../api/types.js';

export interface ControllerConfig {
  /** Image of the `prepare` init container, holding the step helper at /tektite/entrypoint. */
  entrypointImage: string;
  /** Image that sidecars are switched to when the steps are done (it exits at once). */
  nopImage: string;
  /** Tekton's default-timeout-minutes. */
  defaultTimeoutMinutes: number;
  /** Tekton's default-service-account. */
  defaultServiceAccount: string;
  /** Value of app.kubernetes.io/managed-by on what we create (Tekton's default-managed-by-label-value). */
  managedByLabel: string;
  /** Tekton's await-sidecar-readiness. */
  awaitSidecarReadiness: boolean;
  /** Tekton's default-max-matrix-combinations-count. */
  maxMatrixCombinations: number;
  /** Tekton's default-pod-template: merged under every TaskRun's podTemplate when its pod is built. */
  defaultPodTemplate?: PodTemplate;
  /** config-leader-election (read when a cluster controller starts). */
  leaderElection?: { leaseDurationSeconds?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /**
   * Reconcile workers per controller (default 16). A worker is an async loop, not a thread: most of a reconcile's
   * time is spent waiting for its writes' answers, so more workers let more keys progress at once (and the API
   * server commit their writes in bigger groups). Keys are never reconciled by two workers at once.
   */
  workers: number;
  /** Tekton's `feature-flags` ConfigMap (tekton-pipelines namespace), parsed; Tekton's defaults when absent. */
  features: FeatureFlags;
}

/**
 * The keys of Tekton's `feature-flags` ConfigMap that tektite acts on (camelCase of the ConfigMap key).
 * Shared by admission (gating of alpha/beta fields), the reconcilers and pod building: add a key here, with
 * Tekton's default in `defaultFeatureFlags`, and parse it in src/cluster/config-maps.ts.
 */
export interface FeatureFlags {
  /** enable-api-fields: which API stability level is accepted (Tekton default `beta`). */
  enableApiFields: 'stable' | 'beta' | 'alpha';
  /** results-from: `termination-message` (default) or `sidecar-logs`. */
  resultsFrom: 'termination-message' | 'sidecar-logs';
  /** max-result-size in bytes, used with results-from: sidecar-logs (Tekton default 4096). */
  maxResultSize: number;
  /** keep-pod-on-cancel (alpha). */
  keepPodOnCancel: boolean;
  /** disable-creds-init. */
  disableCredsInit: boolean;
  /** enable-artifacts (alpha). */
  enableArtifacts: boolean;
  /** enable-cel-in-whenexpression (alpha). */
  enableCelInWhenExpression: boolean;
  /** enable-param-enum (alpha). */
  enableParamEnum: boolean;
  /** enable-provenance-in-status (default true). */
  enableProvenanceInStatus: boolean;
  /** require-git-ssh-secret-known-hosts. */
  requireGitSshSecretKnownHosts: boolean;
  /** set-security-context. */
  setSecurityContext: boolean;
}

/** Tekton's feature-flag defaults (the values of a cluster with no feature-flags ConfigMap). */
export function defaultFeatureFlags(overrides: Partial<FeatureFlags> = {}): FeatureFlags {
  return {
    enableApiFields: 'beta',
    resultsFrom: 'termination-message',
    maxResultSize: 4096,
    keepPodOnCancel: false,
    disableCredsInit: false,
    enableArtifacts: false,
    enableCelInWhenExpression: false,
    enableParamEnum: false,
    enableProvenanceInStatus: true,
    requireGitSshSecretKnownHosts: false,
    setSecurityContext: false,
    ...overrides,
  };
}

/** Tekton's defaults. */
export function defaultControllerConfig(overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  return {
    entrypointImage: 'ghcr.io/tektite/tektite:latest',
    nopImage: 'ghcr.io/tektite/tektite:latest',
    defaultTimeoutMinutes: 60,
    defaultServiceAccount: 'default',
    managedByLabel: 'tekton-pipelines',
    awaitSidecarReadiness: true,
    maxMatrixCombinations: 256,
    workers: 16,
    ...overrides,
    features: defaultFeatureFlags(overrides.features),
  };
}

/** The values of spec.managedBy this controller acts on (absent, Tekton's own, or ours). */
export function isManagedByUs(managedBy: string | undefined): boolean {
  return managedBy === undefined || managedBy === '' || managedBy === 'tekton.dev/pipeline' || managedBy === 'tektite';
}
