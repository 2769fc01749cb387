/**
 * The shared TypeScript shapes of the Tekton and core Kubernetes objects tektite handles.
 *
 * These interfaces are the contract between modules (engine, pod, controller, kubelet, CLI, triggers).
 * The zod schemas in `src/api/schemas/` validate untrusted input and must infer types assignable to these.
 * Fields follow tekton.dev/v1 and core/v1 JSON names exactly.
 */

/** A param or result value: string, array of strings, or object of strings (Tekton's ParamValue). */
export type ParamValue = string | string[] | Record<string, string>;
export type ParamType = 'string' | 'array' | 'object';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
}

// ---------------------------------------------------------------- params, results, workspaces

export interface ParamSpec {
  name: string;
  type?: ParamType;
  description?: string;
  properties?: Record<string, { type?: 'string' }>;
  default?: ParamValue;
  enum?: string[];
}

export interface Param {
  name: string;
  value: ParamValue;
}

export interface TaskResult {
  name: string;
  type?: ParamType;
  properties?: Record<string, { type?: 'string' }>;
  description?: string;
  value?: ParamValue;
}

export interface StepResult {
  name: string;
  type?: ParamType;
  properties?: Record<string, { type?: 'string' }>;
  description?: string;
}

export interface RunResult {
  name: string;
  type?: ParamType;
  value: ParamValue;
}

export interface WorkspaceDeclaration {
  name: string;
  description?: string;
  mountPath?: string;
  readOnly?: boolean;
  optional?: boolean;
}

export interface WorkspaceUsage {
  name: string;
  /** Where the step or sidecar sees it; the Task's mount path when absent. */
  mountPath?: string;
}

export interface WorkspaceBinding {
  name: string;
  subPath?: string;
  volumeClaimTemplate?: PersistentVolumeClaim;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  emptyDir?: Record<string, unknown>;
  configMap?: Record<string, unknown>;
  secret?: Record<string, unknown>;
  projected?: Record<string, unknown>;
  csi?: Record<string, unknown>;
}

export interface PipelineWorkspaceDeclaration {
  name: string;
  description?: string;
  optional?: boolean;
}

export interface WorkspacePipelineTaskBinding {
  name: string;
  workspace?: string;
  subPath?: string;
}

export type * from './core-types.js';
import type {
  ContainerFields, EnvFromSource, EnvVar, PersistentVolumeClaim, ResourceRequirements,
  SecurityContext, Volume, VolumeMount,
} from './core-types.js';

// ---------------------------------------------------------------- Task, StepAction

export interface Ref {
  name?: string;
  kind?: string;
  apiVersion?: string;
  resolver?: string;
  params?: Param[];
}

export interface WhenExpression {
  input?: string;
  operator?: 'in' | 'notin';
  values?: string[];
  cel?: string;
}

export interface Step {
  name?: string;
  displayName?: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  computeResources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  volumeDevices?: unknown[];
  imagePullPolicy?: string;
  securityContext?: SecurityContext;
  script?: string;
  timeout?: string;
  workspaces?: WorkspaceUsage[];
  onError?: 'continue' | 'stopAndFail';
  stdoutConfig?: { path?: string };
  stderrConfig?: { path?: string };
  ref?: Ref;
  params?: Param[];
  results?: StepResult[];
  when?: WhenExpression[];
}

export type StepTemplate = Omit<Step, 'name' | 'script' | 'ref' | 'params' | 'results' | 'when' | 'timeout' | 'onError'>;

export interface Sidecar extends ContainerFields {
  name?: string;
  computeResources?: ResourceRequirements;
  script?: string;
  workspaces?: WorkspaceUsage[];
  restartPolicy?: string;
}

export interface TaskSpec {
  displayName?: string;
  description?: string;
  params?: ParamSpec[];
  steps: Step[];
  volumes?: Volume[];
  stepTemplate?: StepTemplate;
  sidecars?: Sidecar[];
  workspaces?: WorkspaceDeclaration[];
  results?: TaskResult[];
}

export interface Task extends KubeObject {
  kind: 'Task';
  spec: TaskSpec;
}

export interface StepActionSpec {
  description?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  script?: string;
  workingDir?: string;
  params?: ParamSpec[];
  results?: StepResult[];
  securityContext?: SecurityContext;
  volumeMounts?: VolumeMount[];
}

export interface StepAction extends KubeObject {
  kind: 'StepAction';
  spec: StepActionSpec;
}

// ---------------------------------------------------------------- Pipeline

export interface Matrix {
  params?: Param[];
  include?: Array<{ name?: string; params?: Param[] }>;
}

export interface EmbeddedTask extends Partial<TaskSpec> {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  apiVersion?: string;
  kind?: string;
  spec?: unknown;
}

export interface PipelineTask {
  name: string;
  displayName?: string;
  description?: string;
  taskRef?: Ref;
  taskSpec?: EmbeddedTask;
  when?: WhenExpression[];
  retries?: number;
  runAfter?: string[];
  params?: Param[];
  matrix?: Matrix;
  workspaces?: WorkspacePipelineTaskBinding[];
  timeout?: string;
  pipelineRef?: Ref;
  pipelineSpec?: PipelineSpec;
  onError?: 'continue' | 'stopAndFail';
}

export interface PipelineResult {
  name: string;
  type?: ParamType;
  description?: string;
  value: ParamValue;
}

export interface PipelineSpec {
  displayName?: string;
  description?: string;
  tasks?: PipelineTask[];
  params?: ParamSpec[];
  workspaces?: PipelineWorkspaceDeclaration[];
  results?: PipelineResult[];
  finally?: PipelineTask[];
}

export interface Pipeline extends KubeObject {
  kind: 'Pipeline';
  spec: PipelineSpec;
}

export type * from './run-types.js';
export type * from './customrun-types.js';
export type * from './artifact-types.js';

// Triggers kinds (triggers.tekton.dev) live in triggers-types.ts to keep this file readable.
export * from './triggers-types.js';
