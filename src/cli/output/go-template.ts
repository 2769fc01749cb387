/**
 * `-o go-template=…` (kubectl's and tkn's): Go's text/template over the object's JSON. Supported: text, `{{- -}}`
 * trimming, comments, pipelines with `|`, fields (`.a.b`, `$x.a`), variables (`$x := …`, `$x = …`), string, raw
 * string, number, bool and nil literals, parenthesised pipelines, `if`/`else if`/`else`, `range` (with `$i, $e :=`,
 * `else`, `break`, `continue`), `with`/`else`, and the functions and, or, not, len, index, slice, print, printf,
 * println, eq, ne, lt, le, gt, ge, html, js, urlquery, plus kubectl's exists and base64decode. Printing follows
 * Go's `%v` for JSON values (`<no value>` for a missing key, `map[k:v]`, `[a b]`).
 */
import { goFormat, printValue } from './go-values.js';

type Node =
  | { t: 'text'; s: string }
  | { t: 'out'; p: Pipe }
  | { t: 'if' | 'with'; p: Pipe; yes: Node[]; no: Node[] }
  | { t: 'range'; p: Pipe; vars: string[]; body: Node[]; no: Node[] }
  | { t: 'break' | 'continue' };
type Pipe = { decl: string[]; assign: boolean; cmds: Cmd[] };
type Cmd = Arg[];
type Arg =
  | { k: 'lit'; v: unknown }
  | { k: 'field'; base: 'dot' | string; path: string[] }
  | { k: 'fn'; name: string }
  | { k: 'pipe'; p: Pipe; path: string[] };

/** Thrown for a template that does not parse or fails to run; the message names the problem. */
export class GoTemplateError extends Error {}

// ---------------------------------------------------------------- lexing of actions

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(:=|=|\||\(|\)|,)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(\.(?:[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)?)|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokens(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new GoTemplateError(`unexpected "${src.slice(TOKEN.lastIndex).trim().slice(0, 20)}" in action`);
    out.push((m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7]) as string);
  }
  return out;
}

function parsePipe(toks: string[], pos = { i: 0 }, inParens = false): Pipe {
  const pipe: Pipe = { decl: [], assign: false, cmds: [] };
  // `$x :=` / `$i, $e :=` / `$x =`
  const save = pos.i;
  const vars: string[] = [];
  while (toks[pos.i]?.startsWith('$') && !toks[pos.i]?.includes('.')) {
    vars.push(toks[pos.i] as string);
    pos.i++;
    if (toks[pos.i] === ',') pos.i++;
    else break;
  }
  if (vars.length > 0 && (toks[pos.i] === ':=' || toks[pos.i] === '=')) {
    pipe.decl = vars;
    pipe.assign = toks[pos.i] === '=';
    pos.i++;
  } else pos.i = save;
  let cmd: Cmd = [];
  while (pos.i < toks.length) {
    const tok = toks[pos.i++] as string;
    if (tok === ')') {
      if (!inParens) throw new GoTemplateError('unexpected ")"');
      pos.i--;
      break;
    }
    if (tok === '|') {
      if (cmd.length === 0) throw new GoTemplateError('missing command before "|"');
      pipe.cmds.push(cmd);
      cmd = [];
      continue;
    }
    cmd.push(parseArg(tok, toks, pos));
  }
  if (cmd.length > 0) pipe.cmds.push(cmd);
  if (pipe.cmds.length === 0) throw new GoTemplateError('missing value for command');
  return pipe;
}

function parseArg(tok: string, toks: string[], pos: { i: number }): Arg {
  if (tok === '(') {
    const p = parsePipe(toks, pos, true);
    if (toks[pos.i++] !== ')') throw new GoTemplateError('unclosed "("');
    const next = toks[pos.i];
    const path = next?.startsWith('.') && next.length > 1 ? (pos.i++, next.slice(1).split('.')) : [];
    return { k: 'pipe', p, path };
  }
  if (tok.startsWith('"')) return { k: 'lit', v: JSON.parse(tok) as string };
  if (tok.startsWith('`')) return { k: 'lit', v: tok.slice(1, -1) };
  if (tok === '.') return { k: 'field', base: 'dot', path: [] };
  if (tok.startsWith('.')) return { k: 'field', base: 'dot', path: tok.slice(1).split('.') };
  if (tok.startsWith('$')) {
    const [name, ...path] = tok.split('.');
    return { k: 'field', base: name as string, path };
  }
  if (/^-?\d/.test(tok)) return { k: 'lit', v: Number(tok) };
  if (tok === 'true' || tok === 'false') return { k: 'lit', v: tok === 'true' };
  if (tok === 'nil') return { k: 'lit', v: null };
  if (tok in FUNCS) return { k: 'fn', name: tok };
  throw new GoTemplateError(`function "${tok}" not defined`);
}

// ---------------------------------------------------------------- template structure

interface Action { kind: string; rest: string }

function split(text: string): Array<string | Action> {
  const parts: Array<string | Action> = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts.push(text.slice(i));
      break;
    }
    let before = text.slice(i, open);
    let inner = open + 2;
    if (text.startsWith('- ', inner) || text.startsWith('-\t', inner) || text.startsWith('-\n', inner)) {
      before = before.replace(/\s+$/, '');
      inner += 1;
    }
    const close = text.indexOf('}}', inner);
    if (close < 0) throw new GoTemplateError('unclosed action');
    let body = text.slice(inner, close);
    let next = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      const m = /^\s*/.exec(text.slice(next));
      next += m?.[0].length ?? 0;
    }
    parts.push(before);
    body = body.trim();
    if (!body.startsWith('/*')) {
      const kw = /^(if|else if|else|end|range|with|break|continue)\b\s*/.exec(body);
      parts.push(kw ? { kind: kw[1] as string, rest: body.slice(kw[0].length) } : { kind: 'out', rest: body });
    }
    i = next;
  }
  return parts.filter((p) => p !== '');
}

function build(parts: Array<string | Action>, pos: { i: number }, until: string[]): { nodes: Node[]; stop?: Action } {
  const nodes: Node[] = [];
  while (pos.i < parts.length) {
    const p = parts[pos.i++] as string | Action;
    if (typeof p === 'string') {
      nodes.push({ t: 'text', s: p });
      continue;
    }
    if (until.includes(p.kind)) return { nodes, stop: p };
    if (p.kind === 'out') nodes.push({ t: 'out', p: parsePipe(tokens(p.rest)) });
    else if (p.kind === 'break' || p.kind === 'continue') nodes.push({ t: p.kind });
    else if (p.kind === 'if' || p.kind === 'with' || p.kind === 'range') nodes.push(block(p, parts, pos));
    else throw new GoTemplateError(`unexpected {{${p.kind}}}`);
  }
  if (until.length > 0) throw new GoTemplateError(`missing {{end}}`);
  return { nodes };
}

function block(a: Action, parts: Array<string | Action>, pos: { i: number }): Node {
  const p = parsePipe(tokens(a.rest));
  const yes = build(parts, pos, ['else', 'else if', 'end']);
  let no: Node[] = [];
  if (yes.stop?.kind === 'else if') no = [block({ kind: a.kind, rest: yes.stop.rest }, parts, pos)];
  else if (yes.stop?.kind === 'else') no = build(parts, pos, ['end']).nodes;
  if (a.kind === 'range') return { t: 'range', p: { ...p, decl: [] }, vars: p.decl, body: yes.nodes, no };
  return { t: a.kind as 'if' | 'with', p, yes: yes.nodes, no };
}

// ---------------------------------------------------------------- evaluation

const FUNCS: Record<string, (...a: unknown[]) => unknown> = {
  and: (...a) => a.find((x) => !truth(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truth(x)) ?? a[a.length - 1],
  not: (a) => !truth(a),
  len: (a) => (typeof a === 'string' || Array.isArray(a) ? a.length : a && typeof a === 'object' ? Object.keys(a).length : fail(`len of ${printValue(a)}`)),
  index: (a, ...keys) => keys.reduce((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[String(k)] : undefined), a),
  slice: (a, i = 0, j) => (typeof a === 'string' || Array.isArray(a) ? a.slice(Number(i), j === undefined ? undefined : Number(j)) : fail('slice of a non-list')),
  print: (...a) => a.map(printValue).join(''),
  println: (...a) => `${a.map(printValue).join(' ')}\n`,
  printf: (f, ...a) => goFormat(String(f), a),
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  html: (a) => printValue(a).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
  js: (a) => JSON.stringify(printValue(a)).slice(1, -1),
  urlquery: (a) => encodeURIComponent(printValue(a)),
  exists: (a, ...keys) => keys.reduce<{ ok: boolean; v: unknown }>((s, k) => (s.ok && s.v && typeof s.v === 'object' && String(k) in (s.v as object) ? { ok: true, v: (s.v as Record<string, unknown>)[String(k)] } : { ok: false, v: undefined }), { ok: true, v: a }).ok,
  base64decode: (a) => Buffer.from(String(a), 'base64').toString('utf8'),
};

function fail(msg: string): never {
  throw new GoTemplateError(msg);
}

export function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const MISSING = Symbol('missing');

class Scope {
  constructor(readonly vars: Map<string, unknown>[], readonly dot: unknown) {}
  lookup(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]?.has(name)) return this.vars[i]?.get(name);
    throw new GoTemplateError(`undefined variable "${name}"`);
  }
  set(name: string, v: unknown, declare: boolean): void {
    if (declare) return void this.vars[this.vars.length - 1]?.set(name, v);
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]?.has(name)) return void this.vars[i]?.set(name, v);
    throw new GoTemplateError(`undefined variable "${name}"`);
  }
  child(dot: unknown): Scope {
    return new Scope([...this.vars, new Map()], dot);
  }
}

function walk(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const key of path) {
    if (cur === MISSING || cur === undefined || cur === null) return MISSING;
    if (typeof cur !== 'object' || Array.isArray(cur)) throw new GoTemplateError(`can't evaluate field ${key} in type ${Array.isArray(cur) ? '[]interface {}' : typeof cur}`);
    cur = key in (cur as object) ? (cur as Record<string, unknown>)[key] : MISSING;
  }
  return cur;
}

function evalArg(a: Arg, s: Scope): unknown {
  if (a.k === 'lit') return a.v;
  if (a.k === 'pipe') return walk(evalPipe(a.p, s), a.path);
  if (a.k === 'fn') return FUNCS[a.name]?.();
  return walk(a.base === 'dot' ? s.dot : s.lookup(a.base), a.path);
}

function evalCmd(cmd: Cmd, s: Scope, piped: unknown[]): unknown {
  const [head, ...rest] = cmd;
  if (head?.k === 'fn') {
    const args = [...rest.map((a) => clean(evalArg(a, s))), ...piped.map(clean)];
    return (FUNCS[head.name] as (...a: unknown[]) => unknown)(...args);
  }
  if (rest.length > 0 || piped.length > 0) throw new GoTemplateError('only functions take arguments');
  return evalArg(head as Arg, s);
}

const clean = (v: unknown): unknown => (v === MISSING ? undefined : v);

function evalPipe(p: Pipe, s: Scope): unknown {
  let v: unknown;
  p.cmds.forEach((cmd, i) => { v = evalCmd(cmd, s, i === 0 ? [] : [v]); });
  if (p.decl.length > 0) s.set(p.decl[0] as string, clean(v), !p.assign);
  return v;
}

class Loop extends Error {
  constructor(readonly kind: 'break' | 'continue') {
    super(kind);
  }
}

function run(nodes: Node[], s: Scope, out: string[]): void {
  for (const n of nodes) {
    if (n.t === 'text') out.push(n.s);
    else if (n.t === 'out') {
      const v = evalPipe(n.p, s);
      if (n.p.decl.length === 0) out.push(v === MISSING ? '<no value>' : printValue(v));
    } else if (n.t === 'if') run(truth(clean(evalPipe(n.p, s))) ? n.yes : n.no, s.child(s.dot), out);
    else if (n.t === 'with') {
      const v = clean(evalPipe(n.p, s));
      run(truth(v) ? n.yes : n.no, s.child(truth(v) ? v : s.dot), out);
    } else if (n.t === 'range') runRange(n, s, out);
    else throw new Loop(n.t);
  }
}

function runRange(n: Extract<Node, { t: 'range' }>, s: Scope, out: string[]): void {
  const v = clean(evalPipe(n.p, s));
  const entries: Array<[unknown, unknown]> = Array.isArray(v) ? v.map((e, i) => [i, e])
    : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])
    : typeof v === 'number' ? Array.from({ length: v }, (_, i) => [i, i]) : [];
  if (entries.length === 0) return run(n.no, s.child(s.dot), out);
  for (const [k, e] of entries) {
    const inner = s.child(e);
    if (n.vars.length === 1) inner.set(n.vars[0] as string, e, true);
    if (n.vars.length === 2) {
      inner.set(n.vars[0] as string, k, true);
      inner.set(n.vars[1] as string, e, true);
    }
    try {
      run(n.body, inner, out);
    } catch (err) {
      if (!(err instanceof Loop)) throw err;
      if (err.kind === 'break') break;
    }
  }
}

/** Parses a template; the function renders it for one value (`$` and `.` are the value). */
export function compileGoTemplate(text: string): (data: unknown) => string {
  const { nodes } = build(split(text), { i: 0 }, []);
  return (data) => {
    const out: string[] = [];
    run(nodes, new Scope([new Map([['$', data]])], data), out);
    return out.join('');
  };
}
