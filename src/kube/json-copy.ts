/**
 * A copy of a value as JSON would carry it (JSON.parse(JSON.stringify(v))), made without the text: what an
 * in-process request hands the API server instead of its serialised body (see InProcessRequest.value).
 */

/** The copy would not fit the budget, or holds something only JSON.stringify knows how to write. */
const GIVE_UP = Symbol('give up');

/**
 * The JSON copy of `value`, or undefined when its JSON text may be longer than `budget` bytes (a bound, counted
 * generously: the caller then sends the text, whose real length decides) or it holds anything but plain objects,
 * arrays, strings, finite numbers, booleans and null (a Date, a Map, a class, a cycle: JSON.stringify's rules
 * apply then, on the text). Properties JSON leaves out (undefined, functions, symbols) are left out.
 */
export function jsonCopy(value: unknown, budget: number): unknown {
  const state = { left: budget, depth: 0 };
  const out = copy(value, state);
  return out === GIVE_UP ? undefined : out;
}

/** Deeper than this, the text path decides (the API server refuses such bodies anyway; see limits.ts). */
const MAX_DEPTH = 200;

function copy(v: unknown, s: { left: number; depth: number }): unknown {
  switch (typeof v) {
    case 'string':
      // a UTF-16 unit is at most 3 bytes of UTF-8, or 6 escaped (\u00XX): counted at 6
      s.left -= 6 * v.length + 2;
      return s.left < 0 ? GIVE_UP : v;
    case 'number':
      s.left -= 24;
      if (!Number.isFinite(v) || s.left < 0) return GIVE_UP;
      return v === 0 ? 0 : v; // -0 is written 0
    case 'boolean':
      s.left -= 5;
      return s.left < 0 ? GIVE_UP : v;
    case 'object':
      break;
    default:
      return GIVE_UP;
  }
  if (v === null) {
    s.left -= 4;
    return s.left < 0 ? GIVE_UP : null;
  }
  // an object with a toJSON (a Date) is written as what that answers: the text path does it
  if (++s.depth > MAX_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') return GIVE_UP;
  let out: unknown;
  if (Array.isArray(v)) out = copyArray(v, s);
  else if (isPlain(v)) out = copyObject(v as Record<string, unknown>, s);
  else out = GIVE_UP;
  s.depth -= 1;
  return out;
}

/** A plain object: JSON writes it property by property. */
function isPlain(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function copyArray(v: unknown[], s: { left: number; depth: number }): unknown {
  const out = new Array<unknown>(v.length);
  s.left -= 2;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    // JSON writes null for the holes and values it cannot write inside an array
    const c = e === undefined || typeof e === 'function' || typeof e === 'symbol' ? null : copy(e, s);
    if (c === GIVE_UP) return GIVE_UP;
    out[i] = c;
    s.left -= 1;
  }
  return out;
}

function copyObject(v: Record<string, unknown>, s: { left: number; depth: number }): unknown {
  const out: Record<string, unknown> = {};
  s.left -= 2;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const e = v[k];
    if (e === undefined || typeof e === 'function' || typeof e === 'symbol') continue;
    s.left -= 6 * k.length + 4;
    const c = copy(e, s);
    if (c === GIVE_UP) return GIVE_UP;
    if (k === '__proto__') Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
    else out[k] = c;
  }
  return out;
}
