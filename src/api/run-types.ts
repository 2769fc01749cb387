/**
 * Shapes of TaskRun and PipelineRun (specs and statuses) and what they embed (pod templates, step overrides).
 * Re-exported by types.ts.
 */
import type { Artifact, Artifacts } from './artifact-types.js';
import type { ContainerState, EnvVar, PodSecurityContext, ResourceRequirements, Volume } from './core-types.js';
import type {
  Condition, KubeObject, Param, ParamValue, PipelineSpec, Ref, RunResult, TaskSpec, WhenExpression, WorkspaceBinding,
} from './types.js';


export interface PodTemplate {
  nodeSelector?: Record<string, string>;
  env?: EnvVar[];
  tolerations?: unknown[];
  affinity?: unknown;
  securityContext?: PodSecurityContext;
  volumes?: Volume[];
  runtimeClassName?: string;
  automountServiceAccountToken?: boolean;
  dnsPolicy?: string;
  dnsConfig?: unknown;
  enableServiceLinks?: boolean;
  priorityClassName?: string;
  schedulerName?: string;
  imagePullSecrets?: Array<{ name: string }>;
  hostAliases?: unknown[];
  hostNetwork?: boolean;
  hostUsers?: boolean;
  topologySpreadConstraints?: unknown[];
}

export interface StepSpecOverride {
  name: string;
  computeResources?: ResourceRequirements;
}

export interface TaskRunSpec {
  debug?: unknown;
  params?: Param[];
  serviceAccountName?: string;
  taskRef?: Ref;
  taskSpec?: TaskSpec;
  status?: 'TaskRunCancelled' | 'TaskRunPending';
  statusMessage?: string;
  retries?: number;
  timeout?: string;
  podTemplate?: PodTemplate;
  workspaces?: WorkspaceBinding[];
  stepSpecs?: StepSpecOverride[];
  sidecarSpecs?: StepSpecOverride[];
  computeResources?: ResourceRequirements;
  managedBy?: string;
}

export interface StepState extends ContainerState {
  name: string;
  container: string;
  imageID?: string;
  results?: RunResult[];
  terminationReason?: string;
  /** Artifacts (alpha) the step wrote to $(step.artifacts.path). */
  inputs?: Artifact[];
  outputs?: Artifact[];
}

export interface SidecarState extends ContainerState {
  name: string;
  container: string;
  imageID?: string;
}

export interface TaskRunStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  podName?: string;
  startTime?: string;
  completionTime?: string;
  steps?: StepState[];
  retriesStatus?: TaskRunStatus[];
  results?: RunResult[];
  sidecars?: SidecarState[];
  taskSpec?: TaskSpec;
  provenance?: unknown;
  /** Artifacts (alpha): the Task's and every step's, merged. */
  artifacts?: Artifacts;
}

export interface TaskRun extends KubeObject {
  kind: 'TaskRun';
  spec: TaskRunSpec;
  status?: TaskRunStatus;
}

export interface PipelineRunTaskRunSpec {
  pipelineTaskName: string;
  serviceAccountName?: string;
  podTemplate?: PodTemplate;
  stepSpecs?: StepSpecOverride[];
  sidecarSpecs?: StepSpecOverride[];
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  computeResources?: ResourceRequirements;
  timeout?: string;
}

export interface PipelineRunSpec {
  pipelineRef?: Ref;
  pipelineSpec?: PipelineSpec;
  params?: Param[];
  status?: 'Cancelled' | 'CancelledRunFinally' | 'StoppedRunFinally' | 'PipelineRunPending';
  timeouts?: { pipeline?: string; tasks?: string; finally?: string };
  taskRunTemplate?: { podTemplate?: PodTemplate; serviceAccountName?: string };
  workspaces?: WorkspaceBinding[];
  taskRunSpecs?: PipelineRunTaskRunSpec[];
  managedBy?: string;
}

export interface ChildStatusReference {
  apiVersion: string;
  kind: string;
  name: string;
  displayName?: string;
  pipelineTaskName: string;
  whenExpressions?: WhenExpression[];
}

export interface SkippedTask {
  name: string;
  reason: string;
  whenExpressions?: WhenExpression[];
}

export interface PipelineRunStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  startTime?: string;
  completionTime?: string;
  results?: Array<{ name: string; value: ParamValue }>;
  pipelineSpec?: PipelineSpec;
  skippedTasks?: SkippedTask[];
  childReferences?: ChildStatusReference[];
  finallyStartTime?: string;
  provenance?: unknown;
}

export interface PipelineRun extends KubeObject {
  kind: 'PipelineRun';
  spec: PipelineRunSpec;
  status?: PipelineRunStatus;
}
