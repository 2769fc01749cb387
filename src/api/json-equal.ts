/**
 * Deep equality of two values as JSON would serialise them: key order ignored, properties that are undefined or
 * functions absent, undefined array items null, `toJSON` applied, non-finite numbers null. Without serialising
 * them and without allocating (no key arrays, no closures): it runs on every reconcile and every API write. Pure.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const x = toJsonValue(a);
  const y = toJsonValue(b);
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  const xa = Array.isArray(x);
  if (xa !== Array.isArray(y)) return false;
  if (xa) {
    const xs = x as unknown[];
    const ys = y as unknown[];
    if (xs.length !== ys.length) return false;
    for (let i = 0; i < xs.length; i++) if (!jsonEqual(xs[i] ?? null, ys[i] ?? null)) return false;
    return true;
  }
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  let count = 0;
  for (const k in xo) {
    if (!Object.hasOwn(xo, k) || !present(xo[k])) continue;
    count += 1;
    if (!present(yo[k]) || !Object.hasOwn(yo, k) || !jsonEqual(xo[k], yo[k])) return false;
  }
  for (const k in yo) if (Object.hasOwn(yo, k) && present(yo[k])) count -= 1;
  return count === 0;
}

/** A property JSON.stringify writes. */
function present(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function';
}

/** What JSON.stringify would write for `v` at the top (its `toJSON()`, null for a non-finite number). */
export function toJsonValue(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return (v as { toJSON(): unknown }).toJSON();
  return v;
}
