/**
 * tekton.dev/v1beta1 CustomRun: one execution of a custom task (a `taskRef`/`taskSpec` whose apiVersion and kind
 * are not Tekton's). The PipelineRun controller creates them; a custom-task controller (e.g. `Wait`) runs them.
 */
import type { Condition, KubeObject, Param, Ref, WorkspaceBinding } from './types.js';

/** An embedded custom task: its type, optional metadata and opaque spec. */
export interface EmbeddedCustomRunSpec {
  apiVersion?: string;
  kind?: string;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface CustomRunSpec {
  customRef?: Ref;
  customSpec?: EmbeddedCustomRunSpec;
  params?: Param[];
  /** `RunCancelled` asks the custom-task controller to cancel. */
  status?: 'RunCancelled';
  statusMessage?: string;
  retries?: number;
  serviceAccountName?: string;
  timeout?: string;
  workspaces?: WorkspaceBinding[];
}

/** A result reported by a custom-task controller (strings only). */
export interface CustomRunResult {
  name: string;
  value: string;
}

export interface CustomRunStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  startTime?: string;
  completionTime?: string;
  results?: CustomRunResult[];
  retriesStatus?: CustomRunStatus[];
  extraFields?: unknown;
}

export interface CustomRun extends KubeObject {
  kind: 'CustomRun';
  spec: CustomRunSpec;
  status?: CustomRunStatus;
}
