/**
 * cel-go's lists and sets extensions (ext.Lists and ext.Sets, latest versions, as Tekton Triggers enables them),
 * registered through the CEL library's extension API (no second evaluator): `slice`, `flatten`, `lists.range`,
 * `sort`, `distinct`, `reverse` (and the `sortBy` macro in cel-ext2.ts); `sets.contains`, `sets.equivalent`,
 * `sets.intersects` with CEL's cross-type numeric equality. Strings and math are in cel-strings.ts / cel-math.ts.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { registerMath } from './cel-math.js';
import { registerStrings } from './cel-strings.js';
import { DurationClass, equalityKey, isUint } from './cel-values.js';

class SetsNamespace {}
class ListsNamespace {}

function slice(l: unknown[], start: bigint, end: bigint): unknown[] {
  if (start < 0n || end < 0n) throw new Error(`cannot slice(${start}, ${end}), negative indexes not supported`);
  if (start > end) throw new Error(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
  if (end > BigInt(l.length)) throw new Error(`cannot slice(${start}, ${end}), list is length ${l.length}`);
  return l.slice(Number(start), Number(end));
}

function flatten(l: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new Error('level must be non-negative');
  return depth === 0n ? l : l.flatMap((x) => (Array.isArray(x) ? flatten(x, depth - 1n) : [x]));
}

const contains = (a: unknown[], b: unknown[]): boolean => { const s = new Set(a.map(equalityKey)); return b.every((x) => s.has(equalityKey(x))); };
const intersects = (a: unknown[], b: unknown[]): boolean => { const s = new Set(a.map(equalityKey)); return b.some((x) => s.has(equalityKey(x))); };

/** The sort key of a comparable value (int, uint, double, bool, string, bytes, timestamp, duration), by kind. */
function sortKind(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (isUint(v)) return 'uint';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'timestamp';
  if (v instanceof DurationClass) return 'duration';
  return 'other';
}

function comparable(v: unknown): bigint | number | string | boolean {
  if (isUint(v)) return v.valueOf();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  if (v instanceof Date) return v.getTime();
  if (v instanceof DurationClass) return v.seconds * 1_000_000_000n + BigInt(v.nanos);
  return v as bigint | number | string | boolean;
}

/** Stable sort of `values` by `keys`; every key must be of one comparable kind (cel-go's rule). */
export function sortByKeys(values: readonly unknown[], keys: readonly unknown[], what: string): unknown[] {
  const kinds = new Set(keys.map(sortKind));
  if (kinds.size > 1 || kinds.has('other')) throw new Error(`${what}: list elements must have the same type (int, uint, double, bool, string, bytes, timestamp or duration)`);
  const k = keys.map(comparable);
  const idx = values.map((_v, i) => i);
  idx.sort((a, b) => { const x = k[a] as number; const y = k[b] as number; return x === y ? a - b : x < y ? -1 : 1; });
  return idx.map((i) => values[i]);
}

function distinct(l: unknown[]): unknown[] {
  const seen = new Set<string>();
  return l.filter((x) => { const key = equalityKey(x); if (seen.has(key)) return false; seen.add(key); return true; });
}

/** Registers the extensions on `env` (lists, sets, strings, math). */
export function registerExtensions(env: Environment): void {
  env.registerType('SetsNamespace', SetsNamespace).registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  env.registerType('ListsNamespace', ListsNamespace).registerConstant('lists', 'ListsNamespace', new ListsNamespace());
  env.registerFunction('ListsNamespace.range(int): list<int>', (_n: unknown, n: bigint) => Array.from({ length: Number(n > 0n ? n : 0n) }, (_x, i) => BigInt(i)));
  env.registerFunction('list.sort(): list', (l: unknown[]) => sortByKeys(l, l, 'sort'));
  env.registerFunction('list.distinct(): list', distinct);
  env.registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse());
  env.registerFunction('list.slice(int, int): list', slice);
  env.registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list.flatten(int): list', flatten);
  env.registerFunction('SetsNamespace.contains(list, list): bool', (_n: unknown, a: unknown[], b: unknown[]) => contains(a, b));
  env.registerFunction('SetsNamespace.equivalent(list, list): bool', (_n: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a));
  env.registerFunction('SetsNamespace.intersects(list, list): bool', (_n: unknown, a: unknown[], b: unknown[]) => intersects(a, b));
  registerStrings(env);
  registerMath(env);
}
