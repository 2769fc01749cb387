/**
 * Zod schemas for tekton.dev/v1 TaskRun and PipelineRun: strict specs, statuses typed on the fields the
 * controllers and CLI read and open beyond them (status is written by controllers, not users).
 */
import { z } from 'zod';
import { PodTemplateSchema, ResourceRequirementsSchema } from './core.schema.js';
import { ConditionSchema, EmbeddedMetaSchema, kubeObject } from './meta.schema.js';
import { ParamSchema, ParamTypeSchema, ParamValueSchema, RefSchema, WhenExpressionSchema, WorkspaceBindingSchema } from './params.schema.js';
import { PipelineSpecSchema } from './pipeline.schema.js';
import { TaskSpecSchema } from './task.schema.js';

/** `stepSpecs[]` / `sidecarSpecs[]`: per-container compute resource overrides. */
export const StepSpecOverrideSchema = z.strictObject({ name: z.string(), computeResources: ResourceRequirementsSchema.optional() });

const DebugSchema = z.strictObject({
  breakpoints: z.strictObject({ onFailure: z.string().optional(), beforeSteps: z.array(z.string()).optional() }).optional(),
});

/** TaskRun spec. */
export const TaskRunSpecSchema = z.strictObject({
  debug: DebugSchema.optional(),
  params: z.array(ParamSchema).optional(),
  serviceAccountName: z.string().optional(),
  taskRef: RefSchema.optional(),
  taskSpec: TaskSpecSchema.optional(),
  status: z.enum(['TaskRunCancelled', 'TaskRunPending']).optional(),
  statusMessage: z.string().optional(),
  retries: z.number().int().optional(),
  timeout: z.string().optional(),
  podTemplate: PodTemplateSchema.optional(),
  workspaces: z.array(WorkspaceBindingSchema).optional(),
  stepSpecs: z.array(StepSpecOverrideSchema).optional(),
  sidecarSpecs: z.array(StepSpecOverrideSchema).optional(),
  computeResources: ResourceRequirementsSchema.optional(),
  managedBy: z.string().optional(),
});

const RunResultSchema = z.looseObject({ name: z.string(), type: ParamTypeSchema.optional(), value: ParamValueSchema });
const ContainerStateFields = {
  waiting: z.looseObject({}).optional(),
  running: z.looseObject({}).optional(),
  terminated: z.looseObject({ exitCode: z.number().int() }).optional(),
};

/** The status fields knative's duck type puts on every run. */
const runStatusBase = {
  conditions: z.array(ConditionSchema).optional(),
  observedGeneration: z.number().int().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  provenance: z.unknown().optional(),
};

/** TaskRun status (written by the controller). */
export const TaskRunStatusSchema = z.looseObject({
  ...runStatusBase,
  podName: z.string().optional(),
  steps: z.array(z.looseObject({ name: z.string(), container: z.string(), ...ContainerStateFields, results: z.array(RunResultSchema).optional() })).optional(),
  retriesStatus: z.array(z.looseObject(runStatusBase)).optional(),
  results: z.array(RunResultSchema).optional(),
  sidecars: z.array(z.looseObject({ name: z.string(), container: z.string(), ...ContainerStateFields })).optional(),
  taskSpec: TaskSpecSchema.optional(),
});

/** tekton.dev/v1 TaskRun (v1beta1 documents with the same shape are accepted). */
export const TaskRunSchema = kubeObject(['tekton.dev/v1', 'tekton.dev/v1beta1'], 'TaskRun', TaskRunSpecSchema, TaskRunStatusSchema);

/** PipelineRun `taskRunSpecs[]`: per-pipeline-task overrides. */
export const PipelineTaskRunSpecSchema = z.strictObject({
  pipelineTaskName: z.string(),
  serviceAccountName: z.string().optional(),
  podTemplate: PodTemplateSchema.optional(),
  stepSpecs: z.array(StepSpecOverrideSchema).optional(),
  sidecarSpecs: z.array(StepSpecOverrideSchema).optional(),
  metadata: EmbeddedMetaSchema.optional(),
  computeResources: ResourceRequirementsSchema.optional(),
  timeout: z.string().optional(),
});

/** PipelineRun spec. */
export const PipelineRunSpecSchema = z.strictObject({
  pipelineRef: RefSchema.optional(),
  pipelineSpec: PipelineSpecSchema.optional(),
  params: z.array(ParamSchema).optional(),
  status: z.enum(['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally', 'PipelineRunPending']).optional(),
  timeouts: z.strictObject({ pipeline: z.string().optional(), tasks: z.string().optional(), finally: z.string().optional() }).optional(),
  taskRunTemplate: z.strictObject({ podTemplate: PodTemplateSchema.optional(), serviceAccountName: z.string().optional() }).optional(),
  workspaces: z.array(WorkspaceBindingSchema).optional(),
  taskRunSpecs: z.array(PipelineTaskRunSpecSchema).optional(),
  managedBy: z.string().optional(),
});

const ChildReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  displayName: z.string().optional(),
  pipelineTaskName: z.string(),
  whenExpressions: z.array(WhenExpressionSchema).optional(),
});

/** PipelineRun status (written by the controller). */
export const PipelineRunStatusSchema = z.looseObject({
  ...runStatusBase,
  results: z.array(z.looseObject({ name: z.string(), value: ParamValueSchema })).optional(),
  pipelineSpec: PipelineSpecSchema.optional(),
  skippedTasks: z.array(z.looseObject({ name: z.string(), reason: z.string(), whenExpressions: z.array(WhenExpressionSchema).optional() })).optional(),
  childReferences: z.array(ChildReferenceSchema).optional(),
  finallyStartTime: z.string().optional(),
});

/** tekton.dev/v1 PipelineRun (v1beta1 documents with the same shape are accepted). */
export const PipelineRunSchema = kubeObject(['tekton.dev/v1', 'tekton.dev/v1beta1'], 'PipelineRun', PipelineRunSpecSchema, PipelineRunStatusSchema);
