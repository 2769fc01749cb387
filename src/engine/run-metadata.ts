/**
 * Labels and annotations a run takes from what it runs, and `status.provenance`, as Tekton's reconcilers set them
 * (storeTaskSpecAndMergeMeta, storePipelineSpecAndMergeMeta, propagatePipelineNameLabelToPipelineRun). Pure.
 */
import type { ObjectMeta, PipelineRun } from '../api/types.js';

/** The definition's metadata as resolution found it (Task or Pipeline, local or remote). */
export interface DefinitionMeta {
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Where a remotely resolved definition came from (Tekton's RefSource). */
export interface RefSource {
  uri: string;
  digest?: Record<string, string>;
  entryPoint?: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The run's labels/annotations after merging the definition's; the run's own win (kmap.Union). */
function merged(run: ObjectMeta, def: DefinitionMeta | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  const defAnnotations = { ...(def?.annotations ?? {}) };
  delete defAnnotations[LAST_APPLIED];
  return { labels: { ...(def?.labels ?? {}), ...(run.labels ?? {}) }, annotations: { ...defAnnotations, ...(run.annotations ?? {}) } };
}

/** Tekton's RestrictLength: at most 63 characters, trailing non-alphanumerics removed. */
function restrictLength(base: string): string {
  return base.slice(0, 63).replace(/[^a-zA-Z0-9]+$/, '');
}

/**
 * The `tekton.dev/pipeline` label a PipelineRun gets before anything is resolved: the pipelineRef's name; for an
 * embedded pipelineSpec the generateName (shortened) or the run's name; for a resolver ref the run's name, or the
 * `name` param of a cluster resolver ref of kind pipeline. Undefined when the label is already there.
 */
export function pipelineNameLabel(pr: PipelineRun): string | undefined {
  if (pr.metadata.labels?.['tekton.dev/pipeline'] !== undefined) return undefined;
  const ref = pr.spec.pipelineRef;
  if (ref?.name) return ref.name;
  if (pr.spec.pipelineSpec) return (pr.metadata.generateName ? restrictLength(pr.metadata.generateName) : '') || pr.metadata.name;
  if (ref?.resolver) {
    const param = (n: string): unknown => ref.params?.find((p) => p.name === n)?.value;
    return param('kind') === 'pipeline' && typeof param('name') === 'string' ? (param('name') as string) : pr.metadata.name;
  }
  return undefined;
}

/**
 * PipelineRun metadata once its Pipeline is known (storePipelineSpecAndMergeMeta). For an embedded pipelineSpec
 * `def` is the run's own metadata, as in Tekton.
 */
export function pipelineRunMetadata(pr: PipelineRun, def: DefinitionMeta | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  const out = merged(pr.metadata, def);
  const early = pipelineNameLabel(pr);
  if (early !== undefined) out.labels['tekton.dev/pipeline'] = early;
  const current = out.labels['tekton.dev/pipeline'];
  if (def?.name && (!current || !def.generateName)) out.labels['tekton.dev/pipeline'] = def.name;
  return out;
}

/**
 * TaskRun metadata once its Task is known (storeTaskSpecAndMergeMeta): `tekton.dev/task` only for a taskRef, and
 * `app.kubernetes.io/managed-by` when the run has none (Tekton's webhook defaults it; here the first reconcile does).
 */
export function taskRunMetadata(meta: ObjectMeta, def: DefinitionMeta | undefined, hasTaskRef: boolean, managedBy: string): { labels: Record<string, string>; annotations: Record<string, string> } {
  const out = merged(meta, def);
  if (hasTaskRef && def?.name) out.labels['tekton.dev/task'] = def.name;
  out.labels['app.kubernetes.io/managed-by'] ??= managedBy;
  return out;
}

/** `status.provenance` as Tekton records it: the feature flags in effect, and the refSource of a remote definition (kept once set). */
export function provenance(previous: unknown, featureFlags: Record<string, unknown>, source: RefSource | undefined): Record<string, unknown> {
  const prev = previous !== null && typeof previous === 'object' ? (previous as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...prev, featureFlags };
  if (source && out.refSource === undefined) out.refSource = { ...source };
  return out;
}
