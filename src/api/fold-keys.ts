/**
 * Go's encoding/json matches object keys to struct fields case-insensitively (an exact match wins), so Tekton
 * reads `mountpath` as `mountPath` (its own example isolated-workspaces.yaml relies on it). `foldKeys` gives the
 * same reading: a key the schema does not declare, equal to a declared one but for case, is renamed to it.
 * Pure: returns a copy; keys that match nothing are kept (validation reports them as unknown fields).
 */
import type { z } from 'zod';
import { type Def, defOf, unwrap } from './validate/zod-issues.js';

/** The schema an element of `d` at key/index `seg` has, or undefined. */
function childSchema(d: Def, seg: string | number): unknown {
  if (d.type === 'object' && typeof seg === 'string') return d.shape?.[seg];
  if (d.type === 'array') return d.element;
  if (d.type === 'record') return d.valueType;
  return undefined;
}

/** The branch of a union that fits the value (object or array), for walking into it. */
function branchFor(d: Def, value: unknown): Def | undefined {
  const want = Array.isArray(value) ? 'array' : 'object';
  for (const o of d.options ?? []) {
    const od = defOf(unwrap(o));
    if (od?.type === want) return od;
  }
  return undefined;
}

function foldValue(schema: unknown, value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  let d = defOf(unwrap(schema));
  if (d?.type === 'union') d = branchFor(d, value);
  if (!d) return value;
  if (Array.isArray(value)) return d.type === 'array' ? value.map((v) => foldValue(d.element, v, depth + 1)) : value;
  const src = value as Record<string, unknown>;
  const known = d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(src)) {
    let name = key;
    if (known.length > 0 && !known.includes(key)) {
      const match = known.find((k) => k.toLowerCase() === key.toLowerCase());
      if (match && !(match in src)) name = match;
    }
    out[name] = foldValue(childSchema(d, name), v, depth + 1);
  }
  return out;
}

/** A copy of `obj` with keys folded to the schema's spelling as Go's JSON decoder would read them. */
export function foldKeys<T>(schema: z.ZodType | undefined, obj: T): T {
  return schema ? (foldValue(schema, obj, 0) as T) : obj;
}

/** True when a failed parse reported unknown keys (which folding may fix). */
export function hasUnknownKeys(result: { success: boolean; error?: { issues: ReadonlyArray<{ code: string }> } }): boolean {
  return !result.success && !!result.error?.issues.some((i) => i.code === 'unrecognized_keys');
}
