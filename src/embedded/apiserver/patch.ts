/**
 * The three patch types: JSON merge patch (RFC 7386), JSON patch (RFC 6902, via fast-json-patch) and
 * strategic merge patch (lists of known core fields merged by key, `$patch`, `$retainKeys`,
 * `$setElementOrder/…`, `$deleteFromPrimitiveList/…` directives).
 */
import jsonpatch from 'fast-json-patch';
import { badRequest, StatusError, unsupportedMediaType } from './errors.js';

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A copy of a patch value (a string, number, boolean or null is its own copy). */
const copyOf = <T>(v: T): T => (typeof v === 'object' && v !== null ? structuredClone(v) : v);

/** RFC 7386 merge patch. Answers a new value; inputs are not changed. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return copyOf(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch; throws 400 for a malformed patch and 422 when an operation fails. */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('the JSON patch must be an array of operations');
  try {
    return jsonpatch.applyPatch(structuredClone(target), ops as jsonpatch.Operation[], true, true).newDocument;
  } catch (err) {
    const e = err as { name?: string; message?: string };
    const msg = (e.message ?? String(err)).split('\n')[0] ?? '';
    throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${msg}`);
  }
}

/** List fields merged by key in strategic merge patch (core kinds). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', env: 'name',
  volumeMounts: 'mountPath', volumeDevices: 'devicePath', imagePullSecrets: 'name', hostAliases: 'ip',
  conditions: 'type', ownerReferences: 'uid', topologySpreadConstraints: 'topologyKey', resourceClaims: 'name',
  secrets: 'name',
};
/** Primitive lists merged as sets. */
const MERGE_PRIMITIVES = new Set(['finalizers']);

function mergeKeyOf(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

/** Strategic merge patch. Answers a new value; inputs are not changed. */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return copyOf(patch);
  return smpObject(isObject(target) ? target : {}, patch);
}

function smpObject(target: JsonObject, patch: JsonObject): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const body = stripDirectives(patch);
  if (directive === 'replace') return structuredClone(body);
  const out: JsonObject = { ...target };
  for (const [k, v] of Object.entries(body)) {
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = smpList(k, out[k], v);
    else if (isObject(v)) {
      const merged = smpObject(isObject(out[k]) ? (out[k] as JsonObject) : {}, v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v) && Array.isArray(out[k.slice(25)])) {
      out[k.slice(25)] = (out[k.slice(25)] as unknown[]).filter((x) => !v.includes(x));
    }
    if (k.startsWith('$setElementOrder/') && Array.isArray(v) && Array.isArray(out[k.slice(17)])) {
      out[k.slice(17)] = reorder(k.slice(17), out[k.slice(17)] as unknown[], v);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function stripDirectives(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) if (!k.startsWith('$')) out[k] = v;
  return out;
}

function smpList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const current = Array.isArray(target) ? target : [];
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map((p) => (isObject(p) ? stripDirectives(p) : p));
  }
  if (MERGE_PRIMITIVES.has(field)) return [...current, ...patch.filter((p) => !current.includes(p))];
  const key = mergeKeyOf(field, [...current, ...patch]);
  if (!key) return patch.map((p) => (isObject(p) ? stripDirectives(p) : copyOf(p)));
  const out = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = smpObject(out[idx] as JsonObject, item);
    } else {
      out.push(smpObject({}, item));
    }
  }
  return out.filter((x) => x !== undefined);
}

function reorder(field: string, list: unknown[], order: unknown[]): unknown[] {
  const key = mergeKeyOf(field, list);
  const keyOf = (x: unknown): unknown => (key && isObject(x) ? x[key] : isObject(order[0]) ? undefined : x);
  const orderKeys = order.map((o) => (key && isObject(o) ? o[key] : o));
  const pos = (x: unknown): number => {
    const i = orderKeys.indexOf(keyOf(x));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list.map((x, i) => ({ x, i })).sort((a, b) => pos(a.x) - pos(b.x) || a.i - b.i).map((e) => e.x);
}

/** The patch types by Content-Type. */
export type PatchKind = 'merge' | 'json' | 'strategic';

/** Maps a PATCH Content-Type to a patch kind; 415 for server-side apply and anything unknown. */
export function patchKind(contentType: string): PatchKind {
  switch (contentType) {
    case 'application/merge-patch+json': return 'merge';
    case 'application/json-patch+json': return 'json';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      throw unsupportedMediaType('server-side apply is not supported by the tektite API server; use client-side apply (kubectl apply without --server-side)');
    default:
      throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
  }
}

/** Applies a decoded patch of the given kind. */
export function applyPatch(kind: PatchKind, target: Json, patch: Json): Json {
  if (kind === 'json') return jsonPatch(target, patch);
  if (!isObject(patch)) throw badRequest('the patch must be a JSON object');
  return kind === 'merge' ? mergePatch(target, patch) : strategicMergePatch(target, patch);
}
