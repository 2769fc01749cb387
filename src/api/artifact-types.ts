/** Artifacts (alpha, Tekton's artifact_types.go): provenance of what steps and tasks consumed and produced. */

export interface ArtifactValue {
  /** Algorithm → digest (e.g. sha256). */
  digest?: Record<string, string>;
  uri?: string;
}

export interface Artifact {
  name?: string;
  values?: ArtifactValue[];
  buildOutput?: boolean;
}

/** `status.artifacts` of a TaskRun, and what a step writes to `$(step.artifacts.path)` / `$(artifacts.path)`. */
export interface Artifacts {
  inputs?: Artifact[];
  outputs?: Artifact[];
}
