/**
 * Zod schemas for the object envelope shared by every kind: ObjectMeta and OwnerReference.
 * Strict, because kubectl's default `fieldValidation=Strict` reports unknown metadata fields too.
 */
import { z } from 'zod';

/** A string map such as labels and annotations. */
export const StringMap = z.record(z.string(), z.string());

/** `metadata.ownerReferences[]` (apimachinery OwnerReference). */
export const OwnerReferenceSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/** A timestamp that may be written as `null` (kubectl `--dry-run -o yaml` prints `creationTimestamp: null`). */
const Timestamp = z.string().nullish().transform((v) => v ?? undefined);

/** `metadata` of every object (apimachinery ObjectMeta); `name` is checked semantically, not here. */
export const ObjectMetaSchema = z.strictObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  selfLink: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: Timestamp,
  deletionTimestamp: Timestamp,
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
  finalizers: z.array(z.string()).optional(),
  managedFields: z.array(z.unknown()).optional(),
});

/** The `metadata` allowed inside embedded specs (PipelineTask.taskSpec.metadata, taskRunSpecs[].metadata). */
export const EmbeddedMetaSchema = z.strictObject({
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
});

/** A knative-style condition as found in run statuses. */
export const ConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  severity: z.string().optional(),
});

/**
 * Builds the schema of a whole object: apiVersion (one of `apiVersions`), the literal kind, metadata, and
 * the given spec/status (so each kind file only describes its own spec).
 */
export function kubeObject<K extends string, S extends z.ZodType, T extends z.ZodType>(
  apiVersions: readonly [string, ...string[]], kind: K, spec: S, status: T,
) {
  return z.strictObject({
    apiVersion: z.enum(apiVersions),
    kind: z.literal(kind),
    metadata: ObjectMetaSchema,
    spec,
    status: status.optional(),
  });
}
