/**
 * A fast "the types hold" for the API server's type check (src/embedded/apiserver/typecheck.ts): a zod schema
 * turned once into a tree of small predicates that read a value and allocate nothing. zod's parse builds a full copy
 * of its input and, when it fails, its issues; for the writes of a busy server (a Pod of a few KiB, a status patch)
 * that copy was most of the type check's cost and a fair share of all garbage made. The predicate only ever
 * answers yes when zod would raise no issue but unknown keys (which the type check leaves to admission's field
 * validation); any other answer, and any schema part it does not know exactly (refinements, formats other than
 * regexes, transforms other than a pipe's last step, coercion), means "ask zod", which names the errors.
 *
 * Written here rather than compiled by ajv from z.toJSONSchema: ajv's code generation took 85–410 ms per kind's
 * schema (a Pod, a TaskRun) on the thread that serves the API, and the check must mirror zod's rules (unknown keys
 * of a strict object fail a union's option but nothing else), which a JSON Schema does not say.
 */
import type { z } from 'zod';

/** A predicate over a value: true when zod's parse would raise no issue but unknown keys. */
type Holds = (v: unknown) => boolean;

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  inclusive?: boolean;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  coerce?: boolean;
  format?: string;
  check?: string;
  transform?: (...args: never[]) => unknown;
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number | bigint;
  inclusive?: boolean;
  when?: unknown;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Thrown while building a predicate: this part has no exact fast check. */
class Unsupported extends Error {}

const cache = new WeakMap<z.ZodType, Holds | null>();

/**
 * The predicates being built, by schema, outside and inside a union's option (the two differ: see make). `exact`:
 * predicates that also say zod's output equals the input (see {@link outputIsInput}); `valid` builds the plain ones
 * an exact union needs.
 */
interface Building {
  maps: [Map<z.ZodType, Holds>, Map<z.ZodType, Holds>];
  exact: boolean;
  valid?: Building;
}

const newBuilding = (exact: boolean): Building => ({ maps: [new Map(), new Map()], exact, ...(exact ? { valid: newBuilding(false) } : {}) });

/**
 * True when zod's parse of `value` under `schema` would raise no issue except unknown keys; false when it would,
 * or when the schema has parts this check does not mirror: then zod must be asked.
 */
export function typesHold(schema: z.ZodType, value: unknown): boolean {
  return predicateOf(schema, cache, false)(value);
}

const exactCache = new WeakMap<z.ZodType, Holds | null>();

/**
 * True when zod's parse of `value` would raise no issue and answer a value equal to `value` (no default filled in,
 * no key dropped, no transform, no catch value), so that a copy of `value` can stand for zod's output; false
 * otherwise, or when the schema has parts this check does not mirror.
 */
export function outputIsInput(schema: z.ZodType, value: unknown): boolean {
  return predicateOf(schema, exactCache, true)(value);
}

function predicateOf(schema: z.ZodType, memo: WeakMap<z.ZodType, Holds | null>, exact: boolean): Holds {
  let holds = memo.get(schema);
  if (holds === undefined) {
    try {
      holds = build(schema, false, newBuilding(exact));
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      holds = null; // no exact predicate: zod decides
    }
    memo.set(schema, holds);
  }
  return holds ?? never;
}

const never: Holds = () => false;

/** The predicate of `schema`; inside a union's option (`inUnion`) unknown keys of a strict object count. */
function build(schema: z.ZodType, inUnion: boolean, building: Building): Holds {
  const map = building.maps[inUnion ? 1 : 0];
  const seen = map.get(schema);
  if (seen) return seen;
  // a recursive schema (z.lazy) reaches itself: the call goes through the slot filled below
  const ref: { built?: Holds } = {};
  map.set(schema, (v) => (ref.built as Holds)(v));
  ref.built = make(schema, inUnion, building);
  map.set(schema, ref.built);
  return ref.built;
}

function make(schema: z.ZodType, inUnion: boolean, building: Building): Holds {
  const def = defOf(schema);
  const sub = (s: z.ZodType | undefined, u = inUnion): Holds => {
    if (!s) throw new Unsupported();
    return build(s, u, building);
  };
  if (def.coerce) throw new Unsupported();
  const own = valueChecks(def);
  switch (def.type) {
    case 'any':
    case 'unknown':
      return () => true;
    case 'never':
      return () => false;
    case 'null':
      return (v) => v === null;
    case 'undefined':
      return (v) => v === undefined;
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'string':
      return own ? (v) => typeof v === 'string' && own(v) : (v) => typeof v === 'string';
    case 'number':
      return own ? (v) => typeof v === 'number' && Number.isFinite(v) && own(v) : (v) => typeof v === 'number' && Number.isFinite(v);
    case 'template_literal': {
      const pattern = (schema as unknown as { _zod: { pattern?: RegExp } })._zod.pattern;
      if (!pattern) throw new Unsupported();
      return (v) => {
        if (typeof v !== 'string') return false;
        pattern.lastIndex = 0;
        return pattern.test(v);
      };
    }
    case 'literal':
    case 'enum': {
      const values = (schema as unknown as { _zod: { values?: Set<unknown> } })._zod.values;
      if (!values) throw new Unsupported();
      return (v) => values.has(v);
    }
    case 'optional':
      return nullary(sub(def.innerType), (v) => v === undefined);
    case 'nullable':
      return nullary(sub(def.innerType), (v) => v === null);
    case 'default':
    case 'prefault': {
      // undefined takes the default (a value the schema's author chose): not the input then
      const inner = sub(def.innerType);
      return building.exact ? (v) => v !== undefined && inner(v) : nullary(inner, (v) => v === undefined);
    }
    case 'nonoptional': {
      const inner = sub(def.innerType);
      return (v) => v !== undefined && inner(v);
    }
    case 'readonly':
      return sub(def.innerType);
    case 'catch':
      // zod answers the catch value for anything the inner schema refuses
      return building.exact ? sub(def.innerType) : () => true;
    case 'pipe':
      // a transform's input is checked by the pipe's first part; a transform adds no issue of its own here
      // (one that takes zod's context may add issues: not mirrored). Its output is not the input (exact: no; an
      // absent key of this type is judged by zod itself, see objectOf)
      if (building.exact) return never;
      if (!def.out || defOf(def.out).type !== 'transform' || (defOf(def.out).transform?.length ?? 2) >= 2) throw new Unsupported();
      return sub(def.in);
    case 'lazy':
      if (!def.getter) throw new Unsupported();
      return sub(def.getter());
    case 'array':
      return arrayOf(sub(def.element), own);
    case 'object':
      return objectOf(def, inUnion, sub, building.exact);
    case 'record':
      return recordOf(def, sub);
    case 'union': {
      if (def.inclusive === false || !def.options) throw new Unsupported();
      const options = def.options.map((o) => sub(o, true));
      if (building.exact && building.valid) {
        // zod answers the first option without issues: its output must be the input
        const valid = building.valid;
        const plain = def.options.map((o) => build(o, true, valid));
        return (v) => {
          for (let i = 0; i < plain.length; i++) if ((plain[i] as Holds)(v)) return (options[i] as Holds)(v);
          return false;
        };
      }
      return (v) => {
        for (const o of options) if (o(v)) return true;
        return false;
      };
    }
    default:
      throw new Unsupported();
  }
}

/** A wrapper's predicate: `empty` values pass, anything else goes to the wrapped schema. */
function nullary(inner: Holds, empty: (v: unknown) => boolean): Holds {
  return (v) => empty(v) || inner(v);
}

function arrayOf(element: Holds, own: Holds | undefined): Holds {
  return (v) => {
    if (!Array.isArray(v)) return false;
    if (own && !own(v)) return false;
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function objectOf(def: Def, inUnion: boolean, sub: (s: z.ZodType | undefined) => Holds, exact: boolean): Holds {
  if (!def.shape) throw new Unsupported();
  const keys = Object.keys(def.shape);
  const fields = keys.map((k) => sub(def.shape?.[k]));
  // zod's rule for an absent key: allowed only where the field's schema is optional on input (optin), and then
  // only if it is optional on output too or takes undefined without an issue
  const internals = keys.map((k) => (def.shape?.[k] as unknown as { _zod: { optin?: string; optout?: string } })._zod);
  const absentOk = internals.map((z, i): Holds => {
    if (z.optin === undefined) return () => false;
    // exact: zod runs the field's schema on undefined and leaves the key out if that answers undefined
    if (exact) {
      const r = (def.shape?.[keys[i] as string] as z.ZodType).safeParse(undefined);
      return r.success && r.data === undefined ? () => true : () => false;
    }
    return z.optout === 'optional' ? () => true : () => (fields[i] as Holds)(undefined);
  });
  const known = new Set(keys);
  const catchType = def.catchall ? defOf(def.catchall).type : undefined;
  // unknown keys: passed through (loose) or dropped (strip) pass; a strict object's are an issue only in a union
  let extra: Holds | undefined;
  if (catchType === 'never') extra = inUnion || exact ? () => false : undefined;
  else if (!def.catchall) extra = exact ? () => false : undefined; // stripped from the output
  else if (catchType !== 'unknown' && catchType !== 'any') extra = sub(def.catchall);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (!(k in o) ? !(absentOk[i] as Holds)(undefined) : !(fields[i] as Holds)(o[k])) return false;
    }
    if (extra) {
      for (const k in o) {
        if (!Object.prototype.hasOwnProperty.call(o, k) || known.has(k)) continue;
        if (!extra(o[k])) return false;
      }
    }
    return true;
  };
}

function recordOf(def: Def, sub: (s: z.ZodType | undefined) => Holds): Holds {
  // only records keyed by any string (zod checks other key types, e.g. an enum's, in ways not mirrored here)
  if (!def.keyType || defOf(def.keyType).type !== 'string' || (defOf(def.keyType).checks ?? []).length > 0) throw new Unsupported();
  const value = sub(def.valueType);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    const o = v as Record<string, unknown>;
    for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !value(o[k])) return false;
    return true;
  };
}

const NUMBER_FORMATS: Record<string, (n: number) => boolean> = {
  safeint: (n) => Number.isSafeInteger(n),
  int32: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
  uint32: (n) => Number.isInteger(n) && n >= 0 && n <= 4294967295,
  float32: (n) => n >= -3.4028234663852886e38 && n <= 3.4028234663852886e38,
  float64: () => true,
};

/**
 * The checks of a schema as one predicate (undefined: none). Only strings, numbers and arrays have checks mirrored
 * here: any check on another type (a refinement of an object, a wrapper, a union…) throws Unsupported.
 */
function valueChecks(def: Def): (Holds) | undefined {
  const preds: (Holds)[] = [];
  // z.int(), z.email() and friends: the schema is its own check
  if (def.check !== undefined) preds.push(checkOf(def.type, def as unknown as CheckDef));
  for (const c of def.checks ?? []) preds.push(checkOf(def.type, c._zod.def));
  if (preds.length === 0) return undefined;
  if (preds.length === 1) return preds[0];
  return (v) => {
    for (const p of preds) if (!p(v)) return false;
    return true;
  };
}

function numberFormat(format: string | undefined): Holds {
  const f = format !== undefined ? NUMBER_FORMATS[format] : undefined;
  if (!f) throw new Unsupported();
  return (v) => f(v as number);
}

function checkOf(type: string, c: CheckDef): Holds {
  if (c.when !== undefined) throw new Unsupported();
  const lengthy = type === 'string' || type === 'array';
  switch (c.check) {
    case 'number_format':
      if (type !== 'number') throw new Unsupported();
      return numberFormat(c.format);
    case 'greater_than':
    case 'less_than': {
      if (type !== 'number' || typeof c.value !== 'number') throw new Unsupported();
      const bound = c.value;
      if (c.check === 'greater_than') return c.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound;
      return c.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound;
    }
    case 'min_length':
      if (!lengthy || c.minimum === undefined) throw new Unsupported();
      return (v) => (v as { length: number }).length >= (c.minimum as number);
    case 'max_length':
      if (!lengthy || c.maximum === undefined) throw new Unsupported();
      return (v) => (v as { length: number }).length <= (c.maximum as number);
    case 'length_equals':
      if (!lengthy || c.length === undefined) throw new Unsupported();
      return (v) => (v as { length: number }).length === c.length;
    case 'string_format': {
      // only plain regexes (a global or sticky one keeps state between tests: zod resets it, as done here)
      if (type !== 'string' || c.format !== 'regex' || !c.pattern) throw new Unsupported();
      const re = c.pattern;
      return (v) => {
        re.lastIndex = 0;
        return re.test(v as string);
      };
    }
    default:
      throw new Unsupported();
  }
}
