/**
 * The OpenAPI schema of every served kind, by group/version/kind, for `/openapi/v3/<gv>` and `/openapi/v2`
 * (what `kubectl explain` walks): Tekton/Triggers kinds take their CRD schema (the one in crds/), core kinds
 * the type shapes admission checks (core-shapes.ts); `metadata` is ObjectMeta's schema. Built once, lazily.
 */
import { crdFor } from '../../api/crd.js';
import { structuralSchema, type JsonSchema } from '../../api/crd-schema.js';
import { type KindInfo } from '../../api/registry.js';
import { ObjectMetaSchema } from '../../api/schemas/index.js';
import { coreShape } from './core-shapes.js';

/** The name Kubernetes gives a kind's definition (`io.k8s.api.core.v1.Pod`, `dev.tekton.v1.PipelineRun`). */
export function definitionName(info: KindInfo, version: string): string {
  if (info.crd) return [...info.group.split('.').reverse(), version, info.kind].join('.');
  if (info.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${info.kind}`;
  const g = info.group === '' ? 'core' : info.group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '');
  return `io.k8s.api.${g}.${version}.${info.kind}`;
}

let meta: JsonSchema | undefined;
const cache = new Map<string, JsonSchema>();

function objectMeta(): JsonSchema {
  meta ??= { ...structuralSchema(ObjectMetaSchema), description: 'Standard object metadata (name, namespace, labels, annotations, ownerReferences ...).' };
  return meta;
}

function crdVersionSchema(info: KindInfo, version: string): JsonSchema | undefined {
  const versions = (crdFor(info).spec as { versions: { name: string; schema: { openAPIV3Schema: JsonSchema } }[] }).versions;
  return versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
}

function baseSchema(info: KindInfo, version: string): JsonSchema | undefined {
  if (info.crd) return crdVersionSchema(info, version);
  const shape = coreShape(info.kind);
  return shape ? structuralSchema(shape) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

/** The schema of `info` under `version`, tagged with `x-kubernetes-group-version-kind`. */
export function kindSchema(info: KindInfo, version: string): JsonSchema | undefined {
  const key = `${info.group}/${version}/${info.kind}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const base = baseSchema(info, version);
  if (!base) return undefined;
  const props = { ...(base.properties as Record<string, JsonSchema> | undefined) };
  props.apiVersion = { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' };
  props.kind = { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' };
  props.metadata = objectMeta();
  const out: JsonSchema = {
    ...base, type: 'object', properties: props,
    description: `${info.kind} (${info.group || 'core'}/${version}), as served by tektite.`,
    'x-kubernetes-group-version-kind': [{ group: info.group, kind: info.kind, version }],
  };
  cache.set(key, out);
  return out;
}
