/**
 * cel-go's strings extension (ext.Strings, latest version, as Tekton Triggers enables it) on code points, as
 * cel-go counts: `charAt`, `indexOf`, `lastIndexOf`, `substring`, `split`, `replace`, `trim` (Go's Unicode
 * whitespace), `lowerAscii`/`upperAscii` (ASCII letters only), `reverse`, `strings.quote`, `format` and Triggers'
 * deprecated `decodeb64`. Methods the CEL library already defines with other semantics are registered under
 * internal names that parsed expressions are rewritten to (see cel-ext2.ts `rewriteAst`).
 */
import type { Environment } from '@marcbachmann/cel-js';
import { celFormat } from './cel-format.js';

class StringsNamespace {}

/** Method names the library already defines with different semantics → the names we register. */
export const RENAMED: Record<string, string> = {
  lowerAscii: 'tektiteLowerAscii', upperAscii: 'tektiteUpperAscii', indexOf: 'tektiteIndexOf', lastIndexOf: 'tektiteLastIndexOf',
  substring: 'tektiteSubstring', trim: 'tektiteTrim', split: 'tektiteSplit',
};

const cps = (s: string): string[] => Array.from(s);
const outOfRange = (i: bigint): Error => new Error(`index out of range: ${i}`);

function charAt(s: string, i: bigint): string {
  const c = cps(s);
  if (i < 0n || i > BigInt(c.length)) throw outOfRange(i);
  return c[Number(i)] ?? '';
}

function matchesAt(hay: string[], needle: string[], i: number): boolean {
  for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) return false;
  return true;
}

function indexOf(s: string, sub: string, offset = 0n): bigint {
  if (offset < 0n) throw outOfRange(offset);
  const h = cps(s);
  const n = cps(sub);
  if (n.length === 0) return offset > BigInt(h.length) ? BigInt(h.length) : offset;
  if (offset >= BigInt(h.length)) return -1n;
  for (let i = Number(offset); i <= h.length - n.length; i++) if (matchesAt(h, n, i)) return BigInt(i);
  return -1n;
}

function lastIndexOf(s: string, sub: string, offset?: bigint): bigint {
  const h = cps(s);
  const n = cps(sub);
  if (offset === undefined) {
    if (n.length === 0) return BigInt(h.length);
    if (Buffer.byteLength(s) < Buffer.byteLength(sub)) return -1n;
    offset = BigInt(h.length - 1);
  }
  if (offset < 0n) throw outOfRange(offset);
  if (n.length === 0) return offset > BigInt(h.length) ? BigInt(h.length) : offset;
  if (offset >= BigInt(h.length)) return -1n;
  for (let i = Math.min(Number(offset), h.length - n.length); i >= 0; i--) if (matchesAt(h, n, i)) return BigInt(i);
  return -1n;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const c = cps(s);
  const len = BigInt(c.length);
  if (end !== undefined && start > end) throw new Error(`invalid substring range. start: ${start}, end: ${end}`);
  if (start < 0n || start > len) throw outOfRange(start);
  if (end !== undefined && (end < 0n || end > len)) throw outOfRange(end);
  return c.slice(Number(start), end === undefined ? undefined : Number(end)).join('');
}

/** Go's strings.SplitN: n < 0 all, n == 0 none, else at most n parts; an empty separator splits code points. */
function split(s: string, sep: string, n = -1n): string[] {
  if (n === 0n) return [];
  const parts = sep === '' ? cps(s) : s.split(sep);
  if (n < 0n || BigInt(parts.length) <= n) return parts;
  const k = Number(n);
  return [...parts.slice(0, k - 1), parts.slice(k - 1).join(sep)];
}

/** Go's strings.Replace: n < 0 all; an empty `from` matches before every code point and at the end. */
function replace(s: string, from: string, to: string, n = -1n): string {
  if (n === 0n) return s;
  if (from === '') {
    const c = cps(s);
    let out = '';
    let left = n;
    for (let i = 0; i <= c.length; i++) {
      if (left !== 0n) { out += to; left--; }
      out += c[i] ?? '';
    }
    return out;
  }
  if (n < 0n) return s.split(from).join(to);
  const parts = s.split(from);
  const k = Number(n < BigInt(parts.length - 1) ? n : BigInt(parts.length - 1));
  return parts.slice(0, k + 1).join(to) + (k + 1 < parts.length ? from + parts.slice(k + 1).join(from) : '');
}

/** Go's unicode.IsSpace set (Latin-1 spaces, NEL, NBSP and the Unicode Z categories). */
const SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');

const QUOTE_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };

/** cel-go's strings.quote: double quotes, C-style escapes for control characters, the rest as is. */
function quote(s: string): string {
  return `"${cps(s).map((c) => QUOTE_ESCAPES[c] ?? (/^[\uD800-\uDFFF]$/.test(c) ? '\ufffd' : c)).join('')}"`;
}

type Fn = (...a: never[]) => unknown;

/** Registers the strings extension on `env`. */
export function registerStrings(env: Environment): void {
  env.registerType('StringsNamespace', StringsNamespace).registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  const r = RENAMED;
  const fns: Array<[string, Fn]> = [
    ['string.charAt(int): string', charAt],
    [`string.${r.indexOf}(string): int`, (s: string, x: string) => indexOf(s, x)],
    [`string.${r.indexOf}(string, int): int`, indexOf],
    [`string.${r.lastIndexOf}(string): int`, (s: string, x: string) => lastIndexOf(s, x)],
    [`string.${r.lastIndexOf}(string, int): int`, lastIndexOf],
    [`string.${r.substring}(int): string`, (s: string, a: bigint) => substring(s, a)],
    [`string.${r.substring}(int, int): string`, substring],
    [`string.${r.split}(string): list<string>`, (s: string, sep: string) => split(s, sep)],
    [`string.${r.split}(string, int): list<string>`, split],
    [`string.${r.trim}(): string`, (s: string) => s.replace(TRIM, '')],
    [`string.${r.lowerAscii}(): string`, (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase())],
    [`string.${r.upperAscii}(): string`, (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase())],
    ['string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b)],
    ['string.replace(string, string, int): string', replace],
    ['string.format(list): string', (s: string, args: unknown[]) => celFormat(s, args)],
    ['string.reverse(): string', (s: string) => cps(s).reverse().join('')],
    ['string.decodeb64(): string', (s: string) => Buffer.from(s, 'base64').toString('utf8')],
  ];
  for (const [sig, fn] of fns) env.registerFunction(sig, fn as (...a: unknown[]) => unknown);
  env.registerFunction('StringsNamespace.quote(string): string', (_n: unknown, s: string) => quote(s));
}
