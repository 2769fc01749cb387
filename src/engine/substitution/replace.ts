/**
 * Tekton's variable substitution mechanics: `$(path)` references replaced in a single pass, no recursion,
 * no escaping; unknown references stay verbatim (Tekton #2093: one pass, so a value that itself contains
 * `$(...)` is never expanded again).
 *
 * References are parsed into a canonical key so that `params.x`, `params['x']` and `params["x"]` are the same
 * variable: segments joined by '.', with `[N]` and `[*]` kept as suffixes (`params.a[1]`, `tasks.t.results.r[*]`).
 */
import { tokenizeExpr } from '../../api/validate/refs.js';

/** The values one substitution pass may insert. Keys are canonical (see {@link canonicalKey}). */
export interface Replacements {
  /** Variables that become a string wherever they appear. */
  strings: Map<string, string>;
  /** Variables that expand to several elements when they are a whole element of a string array (`[*]` form). */
  arrays: Map<string, string[]>;
  /** Object variables usable whole (`$(params.o[*])`) where an object is expected. */
  objects: Map<string, Record<string, string>>;
}

/** An empty set of replacements. */
export function emptyReplacements(): Replacements {
  return { strings: new Map(), arrays: new Map(), objects: new Map() };
}

/** Merges several replacement sets; later sets win on equal keys. */
export function mergeReplacements(...sets: Replacements[]): Replacements {
  const out = emptyReplacements();
  for (const s of sets) {
    for (const [k, v] of s.strings) out.strings.set(k, v);
    for (const [k, v] of s.arrays) out.arrays.set(k, v);
    for (const [k, v] of s.objects) out.objects.set(k, v);
  }
  return out;
}

/** `$( ... )` with no parentheses inside. */
export const REFERENCE = /\$\(([^()$]+)\)/g;

/**
 * Turns the text inside `$( )` into its canonical key, or undefined when it is not a variable path.
 * `params['a.b'].c[0]` → `params.a.b.c[0]`; whitespace around the path is not allowed (as Tekton).
 */
export function canonicalKey(expr: string): string | undefined {
  const tokens = tokenizeExpr(expr);
  if (!tokens) return undefined;
  const key = tokens.map((t) => ('name' in t ? `.${t.name}` : `[${t.index}]`)).join('').replace(/^\./, '');
  return key === '' ? undefined : key;
}

/** Lists the canonical keys of every `$(...)` reference in a string. */
export function findReferences(s: string): string[] {
  const keys: string[] = [];
  for (const m of s.matchAll(REFERENCE)) {
    const k = canonicalKey(m[1] ?? '');
    if (k !== undefined) keys.push(k);
  }
  return keys;
}

/** Replaces every known string variable in `s`, in one pass. Unknown references are left as written. */
export function replaceString(s: string, r: Replacements): string {
  if (!s.includes('$(')) return s;
  return s.replace(REFERENCE, (whole, expr: string) => {
    const key = canonicalKey(expr);
    if (key === undefined) return whole;
    const v = r.strings.get(key);
    return v === undefined ? whole : v;
  });
}

/** When `s` is exactly one reference to an array variable (`$(params.a[*])` or `$(params.a)`), its elements. */
export function wholeArrayOf(s: string, r: Replacements): string[] | undefined {
  const m = /^\$\(([^()$]+)\)$/.exec(s);
  if (!m) return undefined;
  const key = canonicalKey(m[1] ?? '');
  if (key === undefined) return undefined;
  return r.arrays.get(key.endsWith('[*]') ? key.slice(0, -3) : key);
}

/** When `s` is exactly one reference to an object variable (`$(params.o[*])`), the object. */
export function wholeObjectOf(s: string, r: Replacements): Record<string, string> | undefined {
  const m = /^\$\(([^()$]+)\)$/.exec(s);
  if (!m) return undefined;
  const key = canonicalKey(m[1] ?? '');
  if (key === undefined) return undefined;
  return r.objects.get(key.endsWith('[*]') ? key.slice(0, -3) : key);
}

/** Replaces in a string array: an element that is exactly a whole-array reference expands in place. */
export function replaceStringArray(list: readonly string[], r: Replacements): string[] {
  const out: string[] = [];
  for (const el of list) {
    const arr = wholeArrayOf(el, r);
    if (arr) out.push(...arr);
    else out.push(replaceString(el, r));
  }
  return out;
}

/**
 * Replaces throughout a JSON-like value: strings are substituted, string arrays expand whole-array elements.
 * Keys listed in `skipKeys` (at any depth) are copied unchanged — e.g. `script` when arrays are not allowed there.
 */
export function replaceDeep<T>(value: T, r: Replacements, skipKeys: ReadonlySet<string> = new Set()): T {
  return walk(value, r, skipKeys) as T;
}

function walk(value: unknown, r: Replacements, skip: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return replaceString(value, r);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return replaceStringArray(value as string[], r);
    return value.map((v) => walk(v, r, skip));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = skip.has(k) ? v : walk(v, r, skip);
    return out;
  }
  return value;
}

/**
 * Adds a param-like value under `prefix.name` with every form Tekton allows: a string as is; an array whole
 * (`[*]`) and by index (`[i]`); an object whole and by key (`.key`).
 */
export function addValue(r: Replacements, key: string, value: string | readonly string[] | Record<string, string>): void {
  if (typeof value === 'string') {
    r.strings.set(key, value);
  } else if (Array.isArray(value)) {
    r.arrays.set(key, [...value]);
    value.forEach((v, i) => r.strings.set(`${key}[${i}]`, v));
  } else {
    const obj = value as Record<string, string>;
    r.objects.set(key, { ...obj });
    for (const [k, v] of Object.entries(obj)) r.strings.set(`${key}.${k}`, v);
  }
}
