/**
 * Zod schemas for tekton.dev/v1 Task (Step, StepTemplate, Sidecar, TaskSpec) and tekton.dev/v1beta1 StepAction.
 * Steps, sidecars, step templates and task specs are strict: a misspelt field is reported, never ignored.
 */
import { z } from 'zod';
import {
  ContainerPortSchema, EnvFromSourceSchema, EnvVarSchema, ProbeSchema, ResourceRequirementsSchema,
  SecurityContextSchema, VolumeDeviceSchema, VolumeMountSchema, VolumeSchema,
} from './core.schema.js';
import { ConditionSchema, kubeObject } from './meta.schema.js';
import {
  ParamSchema, ParamSpecSchema, StepRefSchema, StepResultSchema, TaskResultSchema, WhenExpressionSchema,
  WorkspaceDeclarationSchema, WorkspaceUsageSchema,
} from './params.schema.js';

/** `continue` | `stopAndFail`. */
export const OnErrorSchema = z.enum(['continue', 'stopAndFail']);

/**
 * A step's onError: `continue` | `stopAndFail`, or a `$(params.x)` reference that substitution turns into one
 * (Tekton allows it; e.g. examples/v1/pipelineruns/ignore-step-error.yaml). Typed as the resolved values because
 * the engine substitutes params before anything reads the field.
 */
export const StepOnErrorSchema = z
  .union([OnErrorSchema, z.templateLiteral(['$(params', z.string(), ')'])], { error: 'must be "continue" or "stopAndFail" (or a $(params.x) reference)' })
  .transform((v) => v as z.infer<typeof OnErrorSchema>);

/** The container fields a Step and a StepTemplate share (Tekton's StepTemplate). */
export const stepTemplateShape = {
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  env: z.array(EnvVarSchema).optional(),
  envFrom: z.array(EnvFromSourceSchema).optional(),
  computeResources: ResourceRequirementsSchema.optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  volumeDevices: z.array(VolumeDeviceSchema).optional(),
  imagePullPolicy: z.string().optional(),
  securityContext: SecurityContextSchema.optional(),
};

const OutputConfig = z.strictObject({ path: z.string().optional() });

/** A Step: container fields plus script, timeout, isolated workspaces, onError, output capture, StepAction ref. */
export const StepSchema = z.strictObject({
  name: z.string().optional(),
  displayName: z.string().optional(),
  ...stepTemplateShape,
  script: z.string().optional(),
  timeout: z.string().optional(),
  workspaces: z.array(WorkspaceUsageSchema).optional(),
  onError: StepOnErrorSchema.optional(),
  stdoutConfig: OutputConfig.optional(),
  stderrConfig: OutputConfig.optional(),
  ref: StepRefSchema.optional(),
  params: z.array(ParamSchema).optional(),
  results: z.array(StepResultSchema).optional(),
  when: z.array(WhenExpressionSchema).optional(),
});

/** Defaults merged into every step (step fields win; env and volumeMounts merge by key). */
export const StepTemplateSchema = z.strictObject(stepTemplateShape);

/** A Sidecar: the full container field set plus script, workspaces and restartPolicy. */
export const SidecarSchema = z.strictObject({
  name: z.string().optional(),
  ...stepTemplateShape,
  ports: z.array(ContainerPortSchema).optional(),
  livenessProbe: ProbeSchema.optional(),
  readinessProbe: ProbeSchema.optional(),
  startupProbe: ProbeSchema.optional(),
  lifecycle: z.record(z.string(), z.unknown()).optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.string().optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
  script: z.string().optional(),
  workspaces: z.array(WorkspaceUsageSchema).optional(),
  restartPolicy: z.string().optional(),
});

/** The fields of a TaskSpec, reused by PipelineTask's EmbeddedTask (where `steps` becomes optional). */
export const taskSpecShape = {
  displayName: z.string().optional(),
  description: z.string().optional(),
  params: z.array(ParamSpecSchema).optional(),
  steps: z.array(StepSchema),
  volumes: z.array(VolumeSchema).optional(),
  stepTemplate: StepTemplateSchema.optional(),
  sidecars: z.array(SidecarSchema).optional(),
  workspaces: z.array(WorkspaceDeclarationSchema).optional(),
  results: z.array(TaskResultSchema).optional(),
};

/** A Task's spec (also inline as TaskRun.spec.taskSpec). */
export const TaskSpecSchema = z.strictObject(taskSpecShape);

/** tekton.dev/v1 Task (v1beta1 documents with the same shape are accepted). */
export const TaskSchema = kubeObject(['tekton.dev/v1', 'tekton.dev/v1beta1'], 'Task', TaskSpecSchema, z.looseObject({}));

/** A StepAction's spec. */
export const StepActionSpecSchema = z.strictObject({
  description: z.string().optional(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).optional(),
  script: z.string().optional(),
  workingDir: z.string().optional(),
  params: z.array(ParamSpecSchema).optional(),
  results: z.array(StepResultSchema).optional(),
  securityContext: SecurityContextSchema.optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
});

/** tekton.dev/v1beta1 (and v1alpha1) StepAction. */
export const StepActionSchema = kubeObject(
  ['tekton.dev/v1beta1', 'tekton.dev/v1alpha1'], 'StepAction', StepActionSpecSchema, z.looseObject({ conditions: z.array(ConditionSchema).optional() }),
);
