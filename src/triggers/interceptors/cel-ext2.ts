/**
 * The parts of the CEL environment that work on parsed expressions: the rewrite of method calls the CEL library
 * defines with other semantics to ours ({@link RENAMED}), cel-go's parse-time checks of `math.greatest`/`least`,
 * the refusal of what Tekton Triggers' environment does not declare (`cel.bind` — Triggers does not enable
 * cel-go's bindings extension), the lists macro `sortBy(var, keyExpr)` and the time-zone accessors (cel-time.ts).
 */
import type { Environment } from '@marcbachmann/cel-js';
import { sortByKeys } from './cel-ext.js';
import { ANY_ARG, checkFormatCall } from './cel-format.js';
import { checkMathMacro } from './cel-math.js';
import { RENAMED } from './cel-strings.js';
import { registerTime, TZ_RENAMED } from './cel-time.js';

const UNRENAMED = new Map([...Object.entries(RENAMED), ...Object.entries(TZ_RENAMED)].map(([a, b]) => [b, a]));

interface AstLike { op: string; args: unknown; meta?: Record<string, unknown> }

function isAst(x: unknown): x is AstLike {
  return typeof x === 'object' && x !== null && typeof (x as AstLike).op === 'string' && 'args' in x;
}

const TWO_VAR = new Set(['all', 'exists', 'exists_one', 'existsOne', 'transformList', 'transformMap', 'transformMapEntry']);

/** Why optional syntax and functions are refused. */
export const OPTIONALS = "optional values (`x.?field`, `list[?i]`, `optional.of`) are not available: Tekton Triggers does not enable cel-go's optional types";

/** Checks one receiver call `recv.name(args)` before type checking. */
function checkCall(name: string, recv: unknown, args: unknown): void {
  if (!isAst(recv)) return;
  if (name === 'format' && recv.op === 'value' && typeof recv.args === 'string' && Array.isArray(args) && isAst(args[0]) && args[0].op === 'list' && Array.isArray(args[0].args)) {
    checkFormatCall(recv.args, (args[0].args as unknown[]).map((e) => (isAst(e) && e.op === 'value' ? e.args : ANY_ARG)));
  }
  if (TWO_VAR.has(name) && Array.isArray(args) && args.length === 3 && isAst(args[0]) && args[0].op === 'id' && isAst(args[1]) && args[1].op === 'id') {
    throw new Error(`${name}(var1, var2, expr): two-variable comprehensions are not available, Tekton Triggers does not enable cel-go's TwoVarComprehensions extension`);
  }
  if (recv.op !== 'id') return;
  if (recv.args === 'optional') throw new Error(OPTIONALS);
  if (recv.args === 'cel' && name === 'bind') {
    throw new Error("undeclared reference to 'cel.bind': Tekton Triggers does not enable cel-go's bindings extension");
  }
  if (recv.args === 'math' && (name === 'greatest' || name === 'least') && Array.isArray(args)) checkMathMacro(name, args as AstLike[]);
}

/**
 * Renames receiver calls of RENAMED methods in a parsed (not yet checked) AST, macro expansions included, and
 * makes the parse-time checks of cel-go's macros. Throws with cel-go's message on a refused expression.
 */
export function rewriteAst(root: unknown): void {
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (isAst(x)) {
      const args = x.args;
      if (x.op === 'rcall' && Array.isArray(args) && typeof args[0] === 'string') {
        checkCall(args[0], args[1], args[2]);
        if (RENAMED[args[0]]) args[0] = RENAMED[args[0]];
        else if (TZ_RENAMED[args[0]] && Array.isArray(args[2]) && args[2].length === 1) args[0] = TZ_RENAMED[args[0]];
      }
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
  return msg.replace(/tektite[A-Z]\w*/g, (m) => UNRENAMED.get(m) ?? m);
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
      return sortByKeys(list, keys, 'sortBy');
    },
  };
  return macro;
}

/** Registers the macros of this module on `env`. */
export function registerMoreExtensions(env: Environment): void {
  env.registerFunction('list.sortBy(ast, ast): list<dyn>', sortByExpander as never);
  registerTime(env);
}
