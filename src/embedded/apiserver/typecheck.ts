/**
 * The first check of every write: the object's types (and the limits of limits.ts) before defaulting,
 * admission, the store, the garbage collector, watches or any controller see it. kube-apiserver gets this from
 * decoding into Go structs; here each kind's zod schema (Tekton/Triggers kinds) or core shape (core-shapes.ts)
 * is run and every issue except an unknown field (admission's fieldValidation decides about those) is a 422
 * Invalid naming the field path.
 */
import type { z } from 'zod';
import { apiVersionOf, type KindInfo } from '../../api/registry.js';
import { ObjectMetaSchema, schemaForKind } from '../../api/schemas/index.js';
import type { KubeObject } from '../../api/types.js';
import { convertIssues } from '../../api/validate/zod-issues.js';
import { coreShape } from './core-shapes.js';
import { invalid } from './errors.js';
import { checkDepth, dataIssues } from './limits.js';
import { jsonEqual } from '../../api/json-equal.js';
import { outputIsInput, typesHold } from '../../api/schemas/fast-types.js';
import { jsonCopy } from '../../kube/json-copy.js';
import { safeParse } from '../../api/schemas/parse.js';

function shapeOf(info: KindInfo): z.ZodType | undefined {
  return info.crd ? schemaForKind(apiVersionOf(info), info.kind) : coreShape(info.kind);
}

/** The type errors of `obj` under `schema`, unknown fields left out (zod is asked only when the fast check says no). */
function typeErrors(schema: z.ZodType, obj: unknown, prefix?: string): { path: string; message: string }[] {
  if (typesHold(schema, obj)) return [];
  return parsedOrErrors(schema, obj, prefix).errors;
}

/** The schema's output for `obj` when it holds (no unknown field either), else its type errors (unknown fields left out). */
function parsedOrErrors(schema: z.ZodType, obj: unknown, prefix?: string): { data?: unknown; errors: { path: string; message: string }[] } {
  const r = safeParse(schema, obj, { reportInput: true });
  if (r.success) return { data: r.data, errors: [] };
  const issues = r.error.issues.filter((i) => i.code !== 'unrecognized_keys').map((i) => (prefix ? { ...i, path: [prefix, ...i.path] } : i));
  return { errors: convertIssues(issues, schema).errors };
}

/**
 * The type errors of `value` (a part of an object: its status, or the spec of an update) under `part`, checking
 * only its fields that differ from `old` (a PipelineRun of 5,000 tasks rewrites its status many times, and a
 * cancel patch changes two fields of a TaskRun's spec; the unchanged ones were checked when written).
 */
function changedErrors(part: z.ZodType, value: unknown, old: unknown, prefix: string): { path: string; message: string }[] {
  if (!isRecord(value) || !isRecord(old)) return typeErrors(part, value, prefix);
  const changed: Record<string, unknown> = {};
  const errors: { path: string; message: string }[] = [];
  for (const k in value) {
    const v = value[k];
    if (k in old && jsonEqual(v, old[k])) continue;
    const element = Array.isArray(v) && Array.isArray(old[k]) ? plainArrayElement(fieldOf(part, k)) : undefined;
    if (element) errors.push(...changedElementErrors(element, v as unknown[], old[k] as unknown[], [prefix, k]));
    else changed[k] = v;
  }
  if (Object.keys(changed).length === 0 || fieldsHold(part, changed)) return errors;
  const r = safeParse(part, changed, { reportInput: true });
  if (r.success) return errors;
  // only issues inside changed fields: object-level rules may not hold for the partial object
  const issues = r.error.issues.filter((i) => i.code !== 'unrecognized_keys' && i.path.length > 0 && String(i.path[0]) in changed);
  return [...errors, ...convertIssues(issues.map((i) => ({ ...i, path: [prefix, ...i.path] })), part).errors];
}

/**
 * The type errors of the elements of an array field that differ from the stored ones (by position): a
 * PipelineRun of 5,000 tasks adds a few childReferences per status write, and checking all 5,000 cost 40 ms.
 */
function changedElementErrors(element: z.ZodType, next: unknown[], before: unknown[], at: (string | number)[]): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  for (let i = 0; i < next.length; i++) {
    if ((i < before.length && jsonEqual(next[i], before[i])) || typesHold(element, next[i])) continue;
    const r = safeParse(element, next[i], { reportInput: true });
    if (r.success) continue;
    const issues = r.error.issues.filter((x) => x.code !== 'unrecognized_keys').map((x) => ({ ...x, path: [...at, i, ...x.path] }));
    errors.push(...convertIssues(issues, element).errors);
  }
  return errors;
}

/**
 * True when each of `changed`'s fields holds under its own schema in `part` (an object schema without rules of its
 * own): what zod's parse of the partial object would say of them. Otherwise (a field unknown to `part`, which then
 * decides how unknown keys go, or a field that does not hold) zod is asked.
 */
function fieldsHold(part: z.ZodType, changed: Record<string, unknown>): boolean {
  const s = unwrapped(part);
  if (!s || defOf(s)?.type !== 'object' || (defOf(s)?.checks ?? []).length > 0) return false;
  for (const k in changed) {
    const field = fieldOf(s, k);
    if (!field || !typesHold(field, changed[k])) return false;
  }
  return true;
}

type ZodDef = { type?: string; innerType?: z.ZodType; element?: z.ZodType; checks?: unknown[] };
const defOf = (s: z.ZodType | undefined): ZodDef | undefined => (s as unknown as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;

/** The schema of field `k` of an object schema (optional or nullable wrappers of the object looked through). */
function fieldOf(schema: z.ZodType, k: string): z.ZodType | undefined {
  return (unwrapped(schema) as { shape?: Record<string, z.ZodType> } | undefined)?.shape?.[k];
}

/** `schema` with its optional and nullable wrappers looked through. */
function unwrapped(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s && (defOf(s)?.type === 'optional' || defOf(s)?.type === 'nullable')) s = defOf(s)?.innerType;
  return s;
}

/** The element schema of an array schema without array-level rules (length, refinements); else undefined. */
function plainArrayElement(schema: z.ZodType | undefined): z.ZodType | undefined {
  const def = defOf(unwrapped(schema));
  return def?.type === 'array' && (def.checks ?? []).length === 0 ? def.element : undefined;
}

function partOf(schema: z.ZodType, key: string): z.ZodType | undefined {
  return (schema as { shape?: Record<string, z.ZodType> }).shape?.[key];
}

/** The type errors of a write over `old`: metadata in full, spec (or status) where it changed. */
function updateErrors(schema: z.ZodType, obj: KubeObject, old: KubeObject, statusOnly: boolean): { path: string; message: string }[] {
  const key = statusOnly ? 'status' : 'spec';
  const part = partOf(schema, key);
  if (!part) return statusOnly ? [] : typeErrors(schema, { ...obj, status: undefined });
  const errors = statusOnly ? [] : typeErrors(ObjectMetaSchema, obj.metadata, 'metadata');
  errors.push(...changedErrors(part, (obj as Record<string, unknown>)[key], (old as Record<string, unknown>)[key], key));
  return errors;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Throws 400 for an object nested too deeply and 422 for wrong types, oversized ConfigMap/Secret data or
 * malformed data keys. `sub` is the subresource written (`status`: only the status is the client's, checked
 * where it differs from `old`'s). Answers the schema's output for the object without its status when the whole
 * object was checked and holds, unknown fields included (a create of a Tekton kind): defaulting and admission
 * start from it instead of running the schema again.
 */
export function checkTypes(info: KindInfo, obj: KubeObject, sub?: string, old?: KubeObject): object | undefined {
  checkDepth(obj);
  const schema = shapeOf(info);
  const statusOnly = sub === 'status';
  let errors: { path: string; message: string }[] = [];
  let parsed: unknown;
  if (schema && old && info.crd) errors = updateErrors(schema, obj, old, statusOnly);
  else if (schema && statusOnly) errors = partOf(schema, 'status') ? typeErrors(partOf(schema, 'status') as z.ZodType, obj.status, 'status') : [];
  else if (schema && !info.crd) errors = typeErrors(schema, obj); // nothing uses the schema's output of a core kind
  else if (schema) {
    const input: Record<string, unknown> = { ...obj };
    delete input.status; // controllers own status; spec writes keep the stored one (see mergeServerFields)
    // zod's output would equal the input: its JSON copy stands for it (defaulting changes what it gets) without zod's
    // work; a value JSON cannot carry as it is (jsonCopy declines) goes through zod
    if (outputIsInput(schema, input)) parsed = jsonCopy(input, Infinity);
    if (parsed === undefined) ({ data: parsed, errors } = parsedOrErrors(schema, input));
  }
  if (!statusOnly) errors.push(...dataIssues(info.kind, obj as unknown as Record<string, unknown>));
  if (errors.length > 0) throw invalid(info, obj.metadata?.name ?? '', errors);
  return info.crd && parsed !== null && typeof parsed === 'object' ? parsed : undefined;
}
