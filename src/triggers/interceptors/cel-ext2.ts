/**
 * More cel-go extension functions on top of cel-ext.ts, registered through the library's extension API:
 * ASCII-only `lowerAscii`/`upperAscii` (the library's builtin changes every letter and cannot be replaced, so
 * parsed expressions have those method calls renamed to ours — see {@link rewriteAst}), the lists macro
 * `sortBy(var, keyExpr)`, math (`sqrt`, `bitAnd/bitOr/bitXor/bitNot/bitShiftLeft/bitShiftRight`) and the strings
 * extension's `strings.quote` companions that cel-js lacks.
 */
import type { Environment } from '@marcbachmann/cel-js';

/** Method names the library already defines with different semantics → the names we register. */
const RENAMED: Record<string, string> = { lowerAscii: 'tektiteLowerAscii', upperAscii: 'tektiteUpperAscii' };
const UNRENAMED = new Map(Object.entries(RENAMED).map(([a, b]) => [b, a]));

const lowerAscii = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const upperAscii = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

interface AstLike { op: string; args: unknown; meta?: Record<string, unknown> }

function isAst(x: unknown): x is AstLike {
  return typeof x === 'object' && x !== null && typeof (x as AstLike).op === 'string' && 'args' in x;
}

/** Renames receiver calls of RENAMED methods in a parsed (not yet checked) AST, macro expansions included. */
export function rewriteAst(root: unknown): void {
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (isAst(x)) {
      const args = x.args;
      if (x.op === 'rcall' && Array.isArray(args) && typeof args[0] === 'string' && RENAMED[args[0]]) args[0] = RENAMED[args[0]];
      walk(args);
      const meta = x.meta;
      if (meta) { walk(meta.alternate); walk(meta.macro); }
      return;
    }
    if (Object.getPrototypeOf(x) === Object.prototype) Object.values(x).forEach(walk);
  };
  walk(root);
}

/** Error messages name the user's method, not the internal one. */
export function unrenameMessage(msg: string): string {
  return msg.replace(/tektite(Lower|Upper)Ascii/g, (m) => UNRENAMED.get(m) ?? m);
}

function sortKeyed(values: unknown[], keys: unknown[]): unknown[] {
  const kinds = new Set(keys.map((k) => (typeof k === 'bigint' ? 'number' : typeof k)));
  if (kinds.size > 1 || ![...kinds].every((k) => k === 'number' || k === 'string' || k === 'boolean')) {
    throw new Error('sortBy: the keys must all have the same comparable type (int, uint, double, string, bool)');
  }
  const idx = values.map((_v, i) => i);
  idx.sort((a, b) => { const x = keys[a] as number; const y = keys[b] as number; return x === y ? a - b : x < y ? -1 : 1; });
  return idx.map((i) => values[i]);
}

/* The macro contract of @marcbachmann/cel-js (lib/macros.js): an expander gets the parsed arguments and returns
 * `{typeCheck(checker, macro, ctx), evaluate(ev, macro, ctx)}`; an iteration variable is bound through
 * `ctx.forkWithVariable(name, type)` at check time and `bindCtx.reuse(ctx).setIterValue(v, ev)` at run time. */
interface MacroCtx { forkWithVariable(name: string, type: unknown): MacroCtx; reuse(parent: unknown): MacroCtx & { setIterValue(v: unknown, ev: unknown): unknown } }
interface Checker { check(node: unknown, ctx: unknown): { valueType?: unknown; kind?: string; name?: string }; getType(name: string): unknown; createError(code: string, msg: string, node: unknown): Error }
interface Ev { run(node: unknown, ctx: unknown): unknown }
interface SortByMacro { receiver: AstLike; varName: string; keyExpr: unknown; bindCtx?: MacroCtx }

function sortByExpander({ args, receiver }: { args: AstLike[]; receiver: AstLike }): Record<string, unknown> {
  const v = args[0];
  if (!v || v.op !== 'id' || typeof v.args !== 'string') throw new Error('sortBy(var, keyExpr): the first argument must be a variable name');
  const macro: SortByMacro & Record<string, unknown> = {
    receiver, varName: v.args, keyExpr: args[1], async: false,
    typeCheck(checker: Checker, m: SortByMacro, ctx: MacroCtx) {
      const listType = checker.check(m.receiver, ctx) as { valueType?: unknown };
      m.bindCtx = ctx.forkWithVariable(m.varName, listType.valueType ?? checker.getType('dyn'));
      checker.check(m.keyExpr, m.bindCtx);
      return listType;
    },
    evaluate(ev: Ev, m: SortByMacro, ctx: unknown) {
      const list = ev.run(m.receiver, ctx);
      if (!Array.isArray(list)) throw new Error('sortBy: receiver is not a list');
      const keys = list.map((item) => ev.run(m.keyExpr, (m.bindCtx as MacroCtx).reuse(ctx).setIterValue(item, ev)));
      return sortKeyed(list, keys);
    },
  };
  return macro;
}

function bitShift(x: bigint, n: bigint, left: boolean): bigint {
  if (n < 0n) throw new Error(`math.bitShift${left ? 'Left' : 'Right'}() negative offset: ${n}`);
  if (n >= 64n) return 0n;
  const u = BigInt.asUintN(64, x);
  return BigInt.asIntN(64, left ? u << n : u >> n);
}

/** Registers the functions of this module on `env`. */
export function registerMoreExtensions(env: Environment): void {
  env.registerFunction('string.tektiteLowerAscii(): string', lowerAscii);
  env.registerFunction('string.tektiteUpperAscii(): string', upperAscii);
  env.registerFunction('list.sortBy(ast, ast): list<dyn>', sortByExpander as never);
  env.registerFunction('MathNamespace.sqrt(double): double', (_n: unknown, x: number) => Math.sqrt(x));
  env.registerFunction('MathNamespace.sqrt(int): double', (_n: unknown, x: bigint) => Math.sqrt(Number(x)));
  env.registerFunction('MathNamespace.bitAnd(int, int): int', (_n: unknown, a: bigint, b: bigint) => a & b);
  env.registerFunction('MathNamespace.bitOr(int, int): int', (_n: unknown, a: bigint, b: bigint) => a | b);
  env.registerFunction('MathNamespace.bitXor(int, int): int', (_n: unknown, a: bigint, b: bigint) => a ^ b);
  env.registerFunction('MathNamespace.bitNot(int): int', (_n: unknown, a: bigint) => ~a);
  env.registerFunction('MathNamespace.bitShiftLeft(int, int): int', (_n: unknown, a: bigint, b: bigint) => bitShift(a, b, true));
  env.registerFunction('MathNamespace.bitShiftRight(int, int): int', (_n: unknown, a: bigint, b: bigint) => bitShift(a, b, false));
}
