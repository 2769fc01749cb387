/**
 * Zod schemas for Tekton's small shared types: params and their values, results, workspaces (declarations,
 * usages and bindings), references (taskRef, pipelineRef, step ref with resolvers) and when expressions.
 */
import { z } from 'zod';
import { PersistentVolumeClaimSchema, VolumeSchema } from './core.schema.js';

/**
 * Tekton's ParamValue: a string, an array of strings, or an object of strings. Like Tekton's JSON decoder,
 * a YAML number or boolean given where a string is expected is accepted and kept as its text.
 */
export const ParamValueSchema = z.union([
  z.string(),
  z.number().transform((n) => String(n)),
  z.boolean().transform((b) => String(b)),
  z.array(z.string()),
  z.record(z.string(), z.string()),
], { error: 'must be a string, a list of strings, or an object whose values are strings' });

/** `string` | `array` | `object`. */
export const ParamTypeSchema = z.enum(['string', 'array', 'object']);

/** The key declarations of an object param or result (only `string` keys exist). */
export const PropertiesSchema = z.record(z.string(), z.strictObject({ type: z.enum(['string']).optional() }));

/** A declared parameter (Task, Pipeline, StepAction). */
export const ParamSpecSchema = z.strictObject({
  name: z.string(),
  type: ParamTypeSchema.optional(),
  description: z.string().optional(),
  properties: PropertiesSchema.optional(),
  default: ParamValueSchema.optional(),
  enum: z.array(z.string()).optional(),
});

/** A supplied parameter `{name, value}`. */
export const ParamSchema = z.strictObject({ name: z.string(), value: ParamValueSchema });

/** A Task result declaration. `value` surfaces a step result (`$(steps.s.results.r)`). */
export const TaskResultSchema = z.strictObject({
  name: z.string(),
  type: ParamTypeSchema.optional(),
  properties: PropertiesSchema.optional(),
  description: z.string().optional(),
  value: ParamValueSchema.optional(),
});

/** A Step (or StepAction) result declaration. */
export const StepResultSchema = z.strictObject({
  name: z.string(),
  type: ParamTypeSchema.optional(),
  properties: PropertiesSchema.optional(),
  description: z.string().optional(),
});

/** A Pipeline result: a value built from task results. */
export const PipelineResultSchema = z.strictObject({
  name: z.string(),
  type: ParamTypeSchema.optional(),
  description: z.string().optional(),
  value: ParamValueSchema,
});

/** A Task workspace declaration. */
export const WorkspaceDeclarationSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  mountPath: z.string().optional(),
  readOnly: z.boolean().optional(),
  optional: z.boolean().optional(),
});

/** A Step/Sidecar workspace usage (isolated workspaces). */
export const WorkspaceUsageSchema = z.strictObject({ name: z.string(), mountPath: z.string().optional() });

/** A Pipeline workspace declaration. */
export const PipelineWorkspaceDeclarationSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  optional: z.boolean().optional(),
});

/** A PipelineTask's binding of a task workspace to a pipeline workspace. */
export const WorkspacePipelineTaskBindingSchema = z.strictObject({
  name: z.string(),
  workspace: z.string().optional(),
  subPath: z.string().optional(),
});

const vol = VolumeSchema.shape;

/** A run's workspace binding: exactly one volume source (checked semantically). */
export const WorkspaceBindingSchema = z.strictObject({
  name: z.string(),
  subPath: z.string().optional(),
  volumeClaimTemplate: PersistentVolumeClaimSchema.optional(),
  persistentVolumeClaim: vol.persistentVolumeClaim,
  emptyDir: vol.emptyDir,
  configMap: vol.configMap,
  secret: vol.secret,
  projected: vol.projected,
  csi: vol.csi,
});

/** taskRef / pipelineRef: a name, or a resolver with params; `kind`/`apiVersion` for custom tasks. */
export const RefSchema = z.strictObject({
  name: z.string().optional(),
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
  resolver: z.string().optional(),
  params: z.array(ParamSchema).optional(),
});

/** A Step's StepAction reference: a name, or a resolver with params. */
export const StepRefSchema = z.strictObject({
  name: z.string().optional(),
  resolver: z.string().optional(),
  params: z.array(ParamSchema).optional(),
});

/** A when expression: `input` `operator` `values`, or `cel`. */
export const WhenExpressionSchema = z.strictObject({
  input: z.string().optional(),
  operator: z.enum(['in', 'notin']).optional(),
  values: z.array(z.string()).optional(),
  cel: z.string().optional(),
});
