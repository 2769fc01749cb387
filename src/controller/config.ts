/**
 * Controller configuration: Tekton's defaults and feature flags that the reconcilers read, with Tekton's
 * default values. Built once at start-up and passed down; never read from the environment deep inside.
 */

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
  /** Reconcile workers per controller. */
  workers: number;
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
    workers: 4,
    ...overrides,
  };
}

/** The values of spec.managedBy this controller acts on (absent, Tekton's own, or ours). */
export function isManagedByUs(managedBy: string | undefined): boolean {
  return managedBy === undefined || managedBy === '' || managedBy === 'tekton.dev/pipeline' || managedBy === 'tektite';
}
