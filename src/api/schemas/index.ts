/**
 * The schema of every kind tektite validates, by kind, plus compile-time proof that what the schemas accept
 * fits the shared interfaces of `src/api/types.ts` (so a schema can never drift from the types others use).
 */
import type { z } from 'zod';
import type * as T from '../types.js';
import { CustomRunSchema } from './customrun.schema.js';
import { PipelineSchema } from './pipeline.schema.js';
import { PipelineRunSchema, TaskRunSchema } from './runs.schema.js';
import { StepActionSchema, TaskSchema } from './task.schema.js';
import {
  ClusterInterceptorSchema, ClusterTriggerBindingSchema, EventListenerSchema, InterceptorSchema, TriggerBindingSchema,
  TriggerSchema, TriggerTemplateSchema,
} from './triggers.schema.js';

export * from './core.schema.js';
export * from './customrun.schema.js';
export * from './meta.schema.js';
export * from './params.schema.js';
export * from './pipeline.schema.js';
export * from './runs.schema.js';
export * from './task.schema.js';
export * from './triggers.schema.js';

/** Schemas by `<group>/<kind>`; the apiVersion enum inside each schema says which versions are accepted. */
export const KIND_SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['tekton.dev/Task', TaskSchema],
  ['tekton.dev/TaskRun', TaskRunSchema],
  ['tekton.dev/Pipeline', PipelineSchema],
  ['tekton.dev/PipelineRun', PipelineRunSchema],
  ['tekton.dev/StepAction', StepActionSchema],
  ['tekton.dev/CustomRun', CustomRunSchema],
  ['triggers.tekton.dev/EventListener', EventListenerSchema],
  ['triggers.tekton.dev/Trigger', TriggerSchema],
  ['triggers.tekton.dev/TriggerBinding', TriggerBindingSchema],
  ['triggers.tekton.dev/ClusterTriggerBinding', ClusterTriggerBindingSchema],
  ['triggers.tekton.dev/TriggerTemplate', TriggerTemplateSchema],
  ['triggers.tekton.dev/Interceptor', InterceptorSchema],
  ['triggers.tekton.dev/ClusterInterceptor', ClusterInterceptorSchema],
]);

/** The schema for an object's apiVersion group and kind, or undefined for kinds we do not validate (core). */
export function schemaForKind(apiVersion: string, kind: string): z.ZodType | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return KIND_SCHEMAS.get(`${group}/${kind}`);
}

// ------------------------------------------------------------- compile-time checks: schema output ⊆ interface

type Fits<A extends B, B> = [A, B];
/** Never used at run time: fails to compile if a schema's output is not assignable to its interface. */
export type SchemaFitsTypes = [
  Fits<z.output<typeof TaskSchema>, T.Task>,
  Fits<z.output<typeof TaskRunSchema>, T.TaskRun>,
  Fits<z.output<typeof PipelineSchema>, T.Pipeline>,
  Fits<z.output<typeof PipelineRunSchema>, T.PipelineRun>,
  Fits<z.output<typeof StepActionSchema>, T.StepAction>,
  Fits<z.output<typeof CustomRunSchema>, T.CustomRun>,
  Fits<z.output<typeof EventListenerSchema>, T.EventListener>,
  Fits<z.output<typeof TriggerSchema>, T.Trigger>,
  Fits<z.output<typeof TriggerBindingSchema>, T.TriggerBinding>,
  Fits<z.output<typeof ClusterTriggerBindingSchema>, T.ClusterTriggerBinding>,
  Fits<z.output<typeof TriggerTemplateSchema>, T.TriggerTemplate>,
  Fits<z.output<typeof InterceptorSchema>, T.Interceptor>,
  Fits<z.output<typeof ClusterInterceptorSchema>, T.ClusterInterceptor>,
];
