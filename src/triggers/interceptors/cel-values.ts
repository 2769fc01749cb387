/**
 * The runtime value classes of @marcbachmann/cel-js that the package does not export (uint, duration, type),
 * found once from evaluated literals, and CEL's cross-type numeric equality as a canonical key (sets, distinct).
 */
import { Environment } from '@marcbachmann/cel-js';

const probe = new Environment();
const sample = (expr: string): object => probe.evaluate(expr) as object;

/** The library's uint class (`1u`). */
export const UintClass = sample('0u').constructor as new (v: bigint) => { valueOf(): bigint };
/** The library's duration class (`duration('1s')`). */
export const DurationClass = sample("duration('1s')").constructor as new (s: bigint, n?: number) => { seconds: bigint; nanos: number };
/** The library's type class (`type(1)`). */
export const TypeClass = sample('type(1)').constructor as new (...a: never[]) => object;

/** A uint value. */
export type Uint = InstanceType<typeof UintClass>;

export const isUint = (v: unknown): v is Uint => v instanceof UintClass;
export const uint = (v: bigint): Uint => new UintClass(BigInt.asUintN(64, v));
export const isInt = (v: unknown): v is bigint => typeof v === 'bigint';
export const isDouble = (v: unknown): v is number => typeof v === 'number';
export const isNumeric = (v: unknown): boolean => isInt(v) || isDouble(v) || isUint(v);

/** CEL's type name of a runtime value (for error messages). */
export function celTypeName(v: unknown): string {
  if (v === null) return 'null_type';
  if (isInt(v)) return 'int';
  if (isUint(v)) return 'uint';
  if (isDouble(v)) return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  if (v instanceof DurationClass) return 'google.protobuf.Duration';
  if (v instanceof TypeClass) return 'type';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map || typeof v === 'object') return 'map';
  return typeof v;
}

/** The name of a type value (`type(1)` → `int`). */
export function typeValueName(v: object): string {
  const s = String(v);
  return /^Type<(.*)>$/.exec(s)?.[1] ?? s;
}

/** Compares two numbers of any CEL numeric type: -1, 0, 1 (NaN compares as unordered → 0). */
export function compareNumeric(a: unknown, b: unknown): number {
  const x = isUint(a) ? a.valueOf() : a;
  const y = isUint(b) ? b.valueOf() : b;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const fx = Number(x);
  const fy = Number(y);
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

/** A string equal for CEL-equal values: 1, 1u and 1.0 share a key; lists and maps compare element-wise. */
export function equalityKey(v: unknown): string {
  if (isInt(v) || isUint(v)) return `n:${v.valueOf()}`;
  if (isDouble(v)) return Number.isInteger(v) ? `n:${BigInt(v)}` : `n:${v}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (v instanceof Uint8Array) return `b:${Buffer.from(v).toString('hex')}`;
  if (v instanceof Date) return `t:${v.getTime()}`;
  if (v instanceof DurationClass) return `d:${v.seconds}.${v.nanos}`;
  if (Array.isArray(v)) return `l:[${v.map(equalityKey).join(',')}]`;
  if (v instanceof Map) return `m:{${[...v].map(([k, x]) => `${equalityKey(k)}=${equalityKey(x)}`).sort().join(',')}}`;
  if (v !== null && typeof v === 'object' && !(v instanceof TypeClass)) {
    return `m:{${Object.entries(v).map(([k, x]) => `${equalityKey(k)}=${equalityKey(x)}`).sort().join(',')}}`;
  }
  return `o:${String(v)}`;
}
