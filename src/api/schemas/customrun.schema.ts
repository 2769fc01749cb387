/**
 * Zod schema for tekton.dev/v1beta1 CustomRun (Tekton serves it in v1beta1 only): a strict spec, a status open
 * beyond the fields the controllers and CLI read (custom-task controllers may add their own).
 */
import { z } from 'zod';
import { ConditionSchema, EmbeddedMetaSchema, kubeObject } from './meta.schema.js';
import { ParamSchema, RefSchema, WorkspaceBindingSchema } from './params.schema.js';

/** `spec.customSpec`: an embedded custom task (apiVersion, kind, metadata, opaque spec). */
export const EmbeddedCustomRunSpecSchema = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: EmbeddedMetaSchema.optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
});

/** CustomRun spec. */
export const CustomRunSpecSchema = z.strictObject({
  customRef: RefSchema.optional(),
  customSpec: EmbeddedCustomRunSpecSchema.optional(),
  params: z.array(ParamSchema).optional(),
  status: z.enum(['RunCancelled']).optional(),
  statusMessage: z.string().optional(),
  retries: z.number().int().optional(),
  serviceAccountName: z.string().optional(),
  timeout: z.string().optional(),
  workspaces: z.array(WorkspaceBindingSchema).optional(),
});

const customRunStatusBase = {
  conditions: z.array(ConditionSchema).optional(),
  observedGeneration: z.number().int().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  results: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
  extraFields: z.unknown().optional(),
};

/** CustomRun status (written by the custom-task controller). */
export const CustomRunStatusSchema = z.looseObject({
  ...customRunStatusBase,
  retriesStatus: z.array(z.looseObject(customRunStatusBase)).optional(),
});

/** tekton.dev/v1beta1 CustomRun. */
export const CustomRunSchema = kubeObject(['tekton.dev/v1beta1'], 'CustomRun', CustomRunSpecSchema, CustomRunStatusSchema);
