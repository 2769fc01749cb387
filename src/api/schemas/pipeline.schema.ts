/**
 * Zod schemas for tekton.dev/v1 Pipeline: PipelineSpec, PipelineTask (incl. EmbeddedTask, matrix, finally,
 * Pipelines-in-Pipelines), results and workspaces. PipelineTask and the embedded task spec are strict.
 */
import { z } from 'zod';
import { EmbeddedMetaSchema, kubeObject } from './meta.schema.js';
import {
  ParamSchema, ParamSpecSchema, PipelineResultSchema, PipelineWorkspaceDeclarationSchema, RefSchema,
  WhenExpressionSchema, WorkspacePipelineTaskBindingSchema,
} from './params.schema.js';
import { OnErrorSchema, taskSpecShape } from './task.schema.js';

/** A PipelineTask's matrix: cartesian `params` (arrays) plus explicit `include` combinations. */
export const MatrixSchema = z.strictObject({
  params: z.array(ParamSchema).optional(),
  include: z.array(z.strictObject({ name: z.string().optional(), params: z.array(ParamSchema).optional() })).optional(),
});

/** An inline task in a PipelineTask: a TaskSpec plus metadata, or a custom task's apiVersion/kind/spec. */
export const EmbeddedTaskSchema = z.strictObject({
  ...taskSpecShape,
  steps: taskSpecShape.steps.optional(),
  metadata: EmbeddedMetaSchema.optional(),
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
});

/** One task of a Pipeline (in `tasks` or `finally`). */
export const PipelineTaskSchema = z.strictObject({
  name: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  taskRef: RefSchema.optional(),
  taskSpec: EmbeddedTaskSchema.optional(),
  when: z.array(WhenExpressionSchema).optional(),
  retries: z.number().int().optional(),
  runAfter: z.array(z.string()).optional(),
  params: z.array(ParamSchema).optional(),
  matrix: MatrixSchema.optional(),
  workspaces: z.array(WorkspacePipelineTaskBindingSchema).optional(),
  timeout: z.string().optional(),
  pipelineRef: RefSchema.optional(),
  get pipelineSpec() {
    return PipelineSpecSchema.optional();
  },
  onError: OnErrorSchema.optional(),
});

/** A Pipeline's spec (also inline as PipelineRun.spec.pipelineSpec and PipelineTask.pipelineSpec). */
export const PipelineSpecSchema = z.strictObject({
  displayName: z.string().optional(),
  description: z.string().optional(),
  tasks: z.array(PipelineTaskSchema).optional(),
  params: z.array(ParamSpecSchema).optional(),
  workspaces: z.array(PipelineWorkspaceDeclarationSchema).optional(),
  results: z.array(PipelineResultSchema).optional(),
  finally: z.array(PipelineTaskSchema).optional(),
});

/** tekton.dev/v1 Pipeline (v1beta1 documents with the same shape are accepted). */
export const PipelineSchema = kubeObject(['tekton.dev/v1', 'tekton.dev/v1beta1'], 'Pipeline', PipelineSpecSchema, z.looseObject({}));
