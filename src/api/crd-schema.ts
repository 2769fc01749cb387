/**
 * Turns a zod schema into a Kubernetes *structural* OpenAPI v3 schema (apiextensions.k8s.io/v1 rules):
 * `$ref`s inlined (a recursive reference becomes an open object), no `additionalProperties: false`, never
 * `properties` with `additionalProperties`, every node typed — values that may be string | array | object get
 * `x-kubernetes-preserve-unknown-fields` (so do quantities, which YAML may write as 0.5), int-or-string values
 * `x-kubernetes-int-or-string`, open objects keep
 * their known properties and preserve the rest.
 */
import { z } from 'zod';

/** A JSON schema node (as produced by zod and as written into a CRD). */
export type JsonSchema = Record<string, unknown>;

const DROP = new Set(['$schema', '$id', 'id', 'definitions', '$defs', 'propertyNames', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/** The structural schema of `schema`'s input side. */
export function structuralSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0', cycles: 'ref' }) as JsonSchema;
  const defs = (raw.definitions ?? raw.$defs ?? {}) as Record<string, JsonSchema>;
  return convert(raw, defs, new Set());
}

const OPEN: JsonSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function convert(node: JsonSchema, defs: Record<string, JsonSchema>, seen: ReadonlySet<string>): JsonSchema {
  if (Array.isArray(node.allOf) && node.allOf.length === 1) {
    const { allOf, ...rest } = node;
    return convert({ ...rest, ...(allOf[0] as JsonSchema) }, defs, seen);
  }
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/(definitions|\$defs)\//, '');
    const target = defs[name];
    if (!target || seen.has(name)) return { ...OPEN };
    return convert(target, defs, new Set([...seen, name]));
  }
  if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) return convertUnion((node.anyOf ?? node.oneOf) as JsonSchema[], node, defs, seen);
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k)) continue;
    if (k === 'properties') out.properties = mapValues(v as Record<string, JsonSchema>, (p) => convert(p, defs, seen));
    else if (k === 'items') out.items = convert(v as JsonSchema, defs, seen);
    else if (k === 'additionalProperties') Object.assign(out, convertAdditional(v, node, defs, seen));
    else if (k === 'const') out.enum = [v];
    else out[k] = v;
  }
  if (out.type === undefined && out['x-kubernetes-preserve-unknown-fields'] === undefined) {
    if (out.enum && (out.enum as unknown[]).every((e) => typeof e === 'string')) out.type = 'string';
    else return { 'x-kubernetes-preserve-unknown-fields': true };
  }
  return out;
}

/** `additionalProperties`: false is dropped; `{}` (open object) becomes preserve-unknown-fields; a typed map is kept unless properties exist. */
function convertAdditional(v: unknown, node: JsonSchema, defs: Record<string, JsonSchema>, seen: ReadonlySet<string>): JsonSchema {
  if (v === false) return {};
  const schema = v as JsonSchema;
  if (v === true || Object.keys(schema).length === 0 || node.properties !== undefined) return { 'x-kubernetes-preserve-unknown-fields': true };
  return { additionalProperties: convert(schema, defs, seen) };
}

function convertUnion(options: JsonSchema[], node: JsonSchema, defs: Record<string, JsonSchema>, seen: ReadonlySet<string>): JsonSchema {
  const branches = options.map((o) => convert(o, defs, seen));
  const types = new Set(branches.map((b) => b.type));
  const extra: JsonSchema = node.nullable === true ? { nullable: true } : {};
  if (types.size === 1 && types.has('string')) return { type: 'string', ...extra };
  if (types.size === 2 && types.has('string') && types.has('integer')) {
    return { 'x-kubernetes-int-or-string': true, ...extra };
  }
  return { 'x-kubernetes-preserve-unknown-fields': true, ...extra };
}

function mapValues<A, B>(o: Record<string, A>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/**
 * Problems that would make the API server reject a CRD schema as non-structural (empty when fine):
 * an untyped node without preserve-unknown-fields / int-or-string, `additionalProperties: false`, or
 * `properties` together with `additionalProperties`. Paths are JSON-pointer-like.
 */
export function structuralProblems(node: unknown, path = ''): string[] {
  if (node === null || typeof node !== 'object') return [`${path}: not a schema object`];
  const s = node as JsonSchema;
  const out: string[] = [];
  const open = s['x-kubernetes-preserve-unknown-fields'] === true || s['x-kubernetes-int-or-string'] === true;
  if (s.type === undefined && !open) out.push(`${path}: no type`);
  if (s.additionalProperties === false) out.push(`${path}: additionalProperties: false`);
  if (s.additionalProperties !== undefined && s.properties !== undefined) out.push(`${path}: properties together with additionalProperties`);
  for (const k of ['$ref', 'anyOf', 'oneOf', 'allOf', 'definitions', '$defs']) if (k in s) out.push(`${path}: uses ${k}`);
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) out.push(...structuralProblems(v, `${path}/properties/${k}`));
  if (s.items !== undefined) out.push(...structuralProblems(s.items, `${path}/items`));
  if (s.additionalProperties !== undefined && typeof s.additionalProperties === 'object') {
    out.push(...structuralProblems(s.additionalProperties, `${path}/additionalProperties`));
  }
  return out;
}
