/**
 * Small pure helpers of the conversion module: JSON-shaped objects, key renames that keep key order, and the
 * metadata annotations Tekton uses to stash fields one version has and the other lacks.
 */

/** A JSON object. */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A copy of `o` with key `from` renamed to `to` (same position), its value passed through `fn`. */
export function renameKey(o: Obj, from: string, to: string, fn: (v: unknown) => unknown = (v) => v): Obj {
  if (!(from in o)) return o;
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === from) out[to] = fn(v);
    else if (k !== to) out[k] = v;
  }
  return out;
}

/** A copy of `o` with `key` mapped through `fn` when present (undefined drops it). */
export function mapKey(o: Obj, key: string, fn: (v: unknown) => unknown): Obj {
  if (!(key in o)) return o;
  const out: Obj = { ...o };
  const v = fn(o[key]);
  if (v === undefined) delete out[key];
  else out[key] = v;
  return out;
}

/** Maps every element of an array value (other values are returned as they are). */
export function mapList(v: unknown, fn: (item: Obj, i: number) => Obj): unknown {
  return Array.isArray(v) ? v.map((item, i) => (isObj(item) ? fn(item, i) : item)) : v;
}

/** A copy without the given keys. */
export function omit(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = { ...o };
  for (const k of keys) delete out[k];
  return out;
}

/** Is a value "set" in Go's sense (not the zero value: empty string, false, empty list, null)? */
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return false;
  return !(Array.isArray(v) && v.length === 0);
}

/** The stash: metadata annotations read and written while one object is converted. */
export class Annotations {
  private readonly map: Record<string, string>;

  constructor(meta: unknown) {
    const a = isObj(meta) && isObj(meta.annotations) ? meta.annotations : {};
    this.map = { ...(a as Record<string, string>) };
  }

  /** Stores `value` as JSON under `key` (Tekton's version.SerializeToMetadata). */
  put(key: string, value: unknown): void {
    this.map[key] = JSON.stringify(value);
  }

  /** Reads and removes `key` (Tekton's DeserializeFromMetadata); undefined when absent or not JSON (then kept). */
  take(key: string): unknown {
    const raw = this.map[key];
    if (raw === undefined) return undefined;
    try {
      const v = JSON.parse(raw) as unknown;
      delete this.map[key];
      return v;
    } catch {
      return undefined;
    }
  }

  /** Reads `key` without removing it. */
  peek(key: string): unknown {
    const raw = this.map[key];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }

  remove(key: string): void {
    delete this.map[key];
  }

  /** Metadata with the annotations as they are now (none: the key is dropped, as Go leaves a nil map). */
  apply(meta: unknown): Obj {
    const m: Obj = isObj(meta) ? { ...meta } : {};
    if (Object.keys(this.map).length === 0) delete m.annotations;
    else m.annotations = { ...this.map };
    return m;
  }
}

/** Keys whose value is kept verbatim (Go `runtime.RawExtension`): an embedded custom task's spec. */
const RAW_UNDER = new Set(['taskSpec', 'customSpec']);

/**
 * The object without null-valued fields, as Tekton's Go types decode it (`null` leaves a field at its zero value,
 * so `default:` with nothing after it is no default). Raw extensions (an embedded custom task's `spec`) are kept.
 */
export function withoutNulls<T>(v: T): T {
  return hasNull(v, '') ? dropNulls(v, '') : v; // the common case (no null) allocates nothing
}

function hasNull(v: unknown, parent: string): boolean {
  if (Array.isArray(v)) return v.some((x) => hasNull(x, ''));
  if (!isObj(v)) return false;
  for (const k in v) {
    const x = v[k];
    if (x === null) return true;
    if (typeof x === 'object' && !(k === 'spec' && RAW_UNDER.has(parent)) && hasNull(x, k)) return true;
  }
  return false;
}

function dropNulls<T>(v: T, parent: string): T {
  if (Array.isArray(v)) return v.map((x) => dropNulls(x, '')) as T;
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    out[k] = k === 'spec' && RAW_UNDER.has(parent) ? x : dropNulls(x, k);
  }
  return out as T;
}

/**
 * {@link withoutNulls} over what users write (metadata and spec); status is the controllers' and is left as it
 * is, which keeps this off the cost of their frequent status writes.
 */
export function objectWithoutNulls<T extends { metadata?: unknown; spec?: unknown }>(obj: T): T {
  const metadata = withoutNulls(obj.metadata);
  const spec = withoutNulls(obj.spec);
  if (metadata === obj.metadata && spec === obj.spec) return obj;
  return { ...obj, ...(obj.metadata !== undefined ? { metadata } : {}), ...(obj.spec !== undefined ? { spec } : {}) };
}
