/**
 * cel-go extension functions that Tekton Triggers enables and @marcbachmann/cel-js lacks, registered through the
 * library's own extension API (no second evaluator): strings (`replace`, `charAt`, `reverse`, `strings.quote`),
 * lists (`slice`, `flatten`), sets (`sets.contains/equivalent/intersects`),
 * math (`math.greatest`/`least`/`abs`/`sign`/`ceil`/`floor`/`round`/`trunc`/`isNaN`/`isInf`/`isFinite`),
 * lists (`lists.range`, `sort`, `distinct`, `reverse`), and Triggers' deprecated `decodeb64`.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { celFormat } from './cel-format.js';

class StringsNamespace {}
class SetsNamespace {}
class MathNamespace {}
class ListsNamespace {}

const codePoints = (s: string): string[] => Array.from(s);

function charAt(s: string, i: bigint): string {
  const cps = codePoints(s);
  if (i < 0n || i > BigInt(cps.length)) throw new Error(`index out of range: ${i}`);
  return cps[Number(i)] ?? '';
}

function replace(s: string, from: string, to: string, n = -1n): string {
  if (n < 0n) return s.split(from).join(to);
  let out = s;
  let at = 0;
  for (let k = 0n; k < n; k++) {
    const i = out.indexOf(from, at);
    if (i < 0) break;
    out = out.slice(0, i) + to + out.slice(i + from.length);
    at = i + to.length + (from === '' ? 1 : 0);
  }
  return out;
}

const QUOTE_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };

/** cel-go's strings.quote: double quotes, C-style escapes for control characters, the rest as is. */
function quote(s: string): string {
  return `"${codePoints(s).map((c) => QUOTE_ESCAPES[c] ?? (/^[\uD800-\uDFFF]$/.test(c) ? '\ufffd' : c)).join('')}"`;
}

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

/** CEL equality for set membership: numbers compare across int/uint/double; aggregates by JSON form. */
function key(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return `n:${Number(v)}`;
  if (typeof v === 'object' && v !== null && 'valueOf' in v && typeof (v as { valueOf(): unknown }).valueOf() === 'number') return `n:${Number(v)}`;
  return `j:${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x instanceof Map ? Object.fromEntries(x) : x))}`;
}
const contains = (a: unknown[], b: unknown[]): boolean => { const s = new Set(a.map(key)); return b.every((x) => s.has(key(x))); };
const intersects = (a: unknown[], b: unknown[]): boolean => { const s = new Set(a.map(key)); return b.some((x) => s.has(key(x))); };

function extreme(values: unknown[], greatest: boolean): unknown {
  if (values.length === 0) throw new Error(`math.${greatest ? 'greatest' : 'least'}() requires at least one argument`);
  return values.reduce((best, v) => ((greatest ? Number(v) > Number(best) : Number(v) < Number(best)) ? v : best));
}

function sortList(l: unknown[]): unknown[] {
  const kinds = new Set(l.map((x) => (typeof x === 'bigint' ? 'number' : typeof x)));
  if (kinds.size > 1 || ![...kinds].every((k) => k === 'number' || k === 'string' || k === 'boolean')) {
    throw new Error('list elements must have the same comparable type to sort');
  }
  return [...l].sort((a, b) => (a === b ? 0 : (a as number) < (b as number) ? -1 : 1));
}

function distinct(l: unknown[]): unknown[] {
  const seen = new Set<string>();
  return l.filter((x) => { const k = key(x); if (seen.has(k)) return false; seen.add(k); return true; });
}

const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

function registerMathAndLists(env: Environment): void {
  env.registerType('ListsNamespace', ListsNamespace).registerConstant('lists', 'ListsNamespace', new ListsNamespace());
  env.registerFunction('ListsNamespace.range(int): list<int>', (_n: unknown, n: bigint) => Array.from({ length: Number(n > 0n ? n : 0n) }, (_x, i) => BigInt(i)));
  env.registerFunction('list.sort(): list', sortList);
  env.registerFunction('list.distinct(): list', distinct);
  env.registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse());
  env.registerFunction('MathNamespace.abs(int): int', (_n: unknown, x: bigint) => (x < 0n ? -x : x));
  env.registerFunction('MathNamespace.abs(double): double', (_n: unknown, x: number) => Math.abs(x));
  env.registerFunction('MathNamespace.sign(int): int', (_n: unknown, x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n));
  env.registerFunction('MathNamespace.sign(double): double', (_n: unknown, x: number) => Math.sign(x));
  const dbl: Array<[string, (x: number) => unknown, string]> = [
    ['ceil', Math.ceil, 'double'], ['floor', Math.floor, 'double'], ['round', roundHalfAway, 'double'], ['trunc', Math.trunc, 'double'],
    ['isNaN', Number.isNaN, 'bool'], ['isInf', (x) => x === Infinity || x === -Infinity, 'bool'], ['isFinite', Number.isFinite, 'bool'],
  ];
  for (const [name, fn, ret] of dbl) env.registerFunction(`MathNamespace.${name}(double): ${ret}`, (_n: unknown, x: number) => fn(x));
}

/** Registers the extension functions on `env`. */
export function registerExtensions(env: Environment): void {
  env.registerType('StringsNamespace', StringsNamespace).registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  env.registerType('SetsNamespace', SetsNamespace).registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  env.registerType('MathNamespace', MathNamespace).registerConstant('math', 'MathNamespace', new MathNamespace());
  env.registerFunction('string.charAt(int): string', charAt);
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b));
  env.registerFunction('string.replace(string, string, int): string', replace);
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => celFormat(s, args));
  env.registerFunction('string.reverse(): string', (s: string) => codePoints(s).reverse().join(''));
  env.registerFunction('StringsNamespace.quote(string): string', (_n: unknown, s: string) => quote(s));
  env.registerFunction('string.decodeb64(): string', (s: string) => Buffer.from(s, 'base64').toString('utf8'));
  env.registerFunction('list.slice(int, int): list', slice);
  env.registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list.flatten(int): list', flatten);
  env.registerFunction('SetsNamespace.contains(list, list): bool', (_n: unknown, a: unknown[], b: unknown[]) => contains(a, b));
  env.registerFunction('SetsNamespace.equivalent(list, list): bool', (_n: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a));
  env.registerFunction('SetsNamespace.intersects(list, list): bool', (_n: unknown, a: unknown[], b: unknown[]) => intersects(a, b));
  registerMathAndLists(env);
  for (const [name, g] of [['greatest', true], ['least', false]] as const) {
    env.registerFunction(`MathNamespace.${name}(list): dyn`, (_n: unknown, l: unknown[]) => extreme(l, g));
    for (const t of ['int', 'double', 'uint']) {
      env.registerFunction(`MathNamespace.${name}(${t}): ${t}`, (_n: unknown, a: unknown) => a);
      env.registerFunction(`MathNamespace.${name}(${t}, ${t}): ${t}`, (_n: unknown, ...v: unknown[]) => extreme(v, g));
      env.registerFunction(`MathNamespace.${name}(${t}, ${t}, ${t}): ${t}`, (_n: unknown, ...v: unknown[]) => extreme(v, g));
    }
  }
}
