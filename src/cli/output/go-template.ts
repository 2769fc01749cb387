/**
 * `-o go-template=TEMPLATE` (also `template=`, `go-template-file=`, `templatefile=`) as kubectl and tkn run it:
 * Go's text/template over the object as JSON decodes into Go (maps, slices, float64 numbers), with Go's
 * builtin functions (`and or not len index slice print printf println eq ne lt le gt ge html js urlquery`) and
 * kubectl's (`exists`, `base64decode`). Values print as Go's fmt prints them (`map[a:1]`, `[x y]`, `<nil>`);
 * a missing key prints `<no value>`, or is an error with `--allow-missing-template-keys=false`.
 */
import { UsageError } from '../errors.js';
import { goFormat, goPrint } from './go-fmt.js';
import { parseGoTemplate, type Arg, type ControlNode, type Node, type Pipe } from './go-template-parse.js';

/** A key that is not there (Go's invalid reflect.Value). */
export const MISSING = Symbol('no value');

const execFail = (msg: string): never => {
  throw new UsageError(`error executing go-template: ${msg}`);
};

class LoopSignal { constructor(readonly kind: 'break' | 'continue') {} }

type Vars = Array<{ name: string; value: unknown }>;
type Fn = (args: unknown[]) => unknown;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's notion of a true value. */
export function truthy(v: unknown): boolean {
  if (v === MISSING || v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return '<nil>';
}

function basic(v: unknown): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return execFail(`incompatible types for comparison: ${typeName(v)}`);
}

function compare(op: string, args: unknown[]): boolean {
  if (args.length < 2) execFail(`wrong number of args for ${op}: want 2 got ${args.length}`);
  const [a, ...rest] = args;
  if (op === 'eq') {
    const x = a === null || a === MISSING ? null : basic(a);
    return rest.some((b) => {
      const y = b === null || b === MISSING ? null : basic(b);
      if (x !== null && y !== null && typeof x !== typeof y) execFail(`incompatible types for comparison: ${typeName(x)} and ${typeName(y)}`);
      return x === y;
    });
  }
  const x = basic(a);
  const y = basic(rest[0]);
  if (typeof x !== typeof y || typeof x === 'boolean') execFail(`incompatible types for comparison: ${typeName(x)} and ${typeName(y)}`);
  if (op === 'ne') return x !== y;
  if (op === 'lt') return x < y;
  if (op === 'le') return x <= y;
  if (op === 'gt') return x > y;
  return x >= y;
}

function index(item: unknown, keys: unknown[]): unknown {
  let v = item;
  for (const k of keys) {
    if (Array.isArray(v) || typeof v === 'string') {
      if (typeof k !== 'number' || !Number.isInteger(k)) execFail(`cannot index slice/array with type ${typeName(k)}`);
      const i = k as number;
      if (i < 0 || i >= v.length) execFail(`error calling index: index out of range: ${i}`);
      v = typeof v === 'string' ? v.charCodeAt(i) : v[i];
    } else if (isMap(v)) {
      if (typeof k !== 'string') execFail(`value has type ${typeName(k)}; should be string`);
      v = Object.hasOwn(v, k as string) ? v[k as string] : null;
    } else if (v === null || v === MISSING) {
      execFail('error calling index: index of untyped nil');
    } else execFail(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function len(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  return execFail(`error calling len: len of type ${typeName(v)}`);
}

function slice(v: unknown, idx: unknown[]): unknown {
  if (typeof v !== 'string' && !Array.isArray(v)) return execFail(`error calling slice: can't slice item of type ${typeName(v)}`);
  const [from = 0, to = v.length] = idx.map((n) => (typeof n === 'number' ? n : execFail('error calling slice: non-integer index')));
  if (from < 0 || to > v.length || from > to) execFail(`error calling slice: index out of range: ${from}:${to}`);
  return v.slice(from, to);
}

const htmlEscape = (s: string): string => s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] ?? c);
const jsEscape = (s: string): string => s.replace(/[\\'"<>&=\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);

function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goPrint(a);
  });
  return out;
}

const FUNCS: Record<string, Fn> = {
  not: ([a]) => !truthy(a),
  len: ([a]) => len(a),
  index: ([a, ...k]) => index(a, k),
  slice: ([a, ...k]) => slice(a, k),
  print: (args) => sprint(args),
  println: (args) => `${args.map(goPrint).join(' ')}\n`,
  printf: ([f, ...args]) => goFormat(typeof f === 'string' ? f : execFail('printf: format must be a string'), args),
  html: (args) => htmlEscape(sprint(args)),
  js: (args) => jsEscape(sprint(args)),
  urlquery: (args) => encodeURIComponent(sprint(args)).replace(/%20/g, '+'),
  eq: (a) => compare('eq', a), ne: (a) => compare('ne', a), lt: (a) => compare('lt', a),
  le: (a) => compare('le', a), gt: (a) => compare('gt', a), ge: (a) => compare('ge', a),
  exists: ([a, ...keys]) => {
    let v = a;
    for (const k of keys) {
      if (!isMap(v) || typeof k !== 'string' || !Object.hasOwn(v, k)) return false;
      v = v[k];
    }
    return true;
  },
  base64decode: ([s]) => Buffer.from(typeof s === 'string' ? s : execFail('base64decode: expected a string'), 'base64').toString('utf8'),
};

class Exec {
  out = '';
  constructor(private readonly allowMissing: boolean) {}

  field(v: unknown, names: string[]): unknown {
    let cur = v;
    for (const name of names) {
      if (cur === MISSING || cur === null || cur === undefined) {
        if (!this.allowMissing) execFail(`nil data; no entry for key "${name}"`);
        cur = MISSING;
        continue;
      }
      if (!isMap(cur)) return execFail(`can't evaluate field ${name} in type ${typeName(cur)}`);
      if (Object.hasOwn(cur, name)) cur = cur[name];
      else if (this.allowMissing) cur = MISSING;
      else execFail(`map has no entry for key "${name}"`);
    }
    return cur;
  }

  lookup(vars: Vars, name: string): unknown {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i]?.name === name) return vars[i]?.value;
    return execFail(`undefined variable: ${name}`);
  }

  arg(a: Arg, dot: unknown, vars: Vars): unknown {
    if (a.k === 'lit') return a.v;
    if (a.k === 'field') return this.field(dot, a.names);
    if (a.k === 'var') return this.field(this.lookup(vars, a.name), a.names);
    if (a.k === 'pipe') return this.field(this.pipe(a.pipe, dot, vars), a.names);
    return this.call(a.name, [], dot, vars, undefined);
  }

  call(name: string, rest: Arg[], dot: unknown, vars: Vars, final: unknown): unknown {
    const args = (): unknown[] => [...rest.map((r) => this.arg(r, dot, vars)), ...(final === NO_FINAL ? [] : [final])];
    if (name === 'and' || name === 'or') {
      const all = [...rest.map((r) => () => this.arg(r, dot, vars)), ...(final === NO_FINAL ? [] : [() => final])];
      if (all.length === 0) execFail(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: unknown;
      for (const get of all) {
        v = get();
        if (truthy(v) === (name === 'or')) return v;
      }
      return v;
    }
    const fn = FUNCS[name];
    if (!fn) return execFail(`function "${name}" not defined`);
    return fn(args());
  }

  cmd(cmd: Arg[], dot: unknown, vars: Vars, final: unknown): unknown {
    const [head, ...rest] = cmd;
    if (head?.k === 'fn') return this.call(head.name, rest, dot, vars, final);
    if (rest.length > 0 || final !== NO_FINAL) execFail(`can't give argument to non-function ${describeArg(head)}`);
    return head ? this.arg(head, dot, vars) : MISSING;
  }

  pipe(p: Pipe, dot: unknown, vars: Vars): unknown {
    let v: unknown = NO_FINAL;
    for (const c of p.cmds) v = this.cmd(c, dot, vars, v);
    for (const name of p.decl) {
      if (p.assign) {
        const slot = [...vars].reverse().find((x) => x.name === name);
        if (!slot) execFail(`undefined variable: ${name}`);
        else slot.value = v;
      } else vars.push({ name, value: v });
    }
    return v;
  }

  nodes(list: Node[], dot: unknown, vars: Vars): void {
    for (const n of list) this.node(n, dot, vars);
  }

  node(n: Node, dot: unknown, vars: Vars): void {
    if (n.t === 'text') { this.out += n.s; return; }
    if (n.t === 'break' || n.t === 'continue') throw new LoopSignal(n.t);
    if (n.t === 'action') {
      const v = this.pipe(n.pipe, dot, vars);
      if (n.pipe.decl.length === 0) this.out += goPrint(v);
      return;
    }
    const mark = vars.length;
    try {
      const v = this.pipe({ ...n.pipe, decl: n.t === 'range' ? [] : n.pipe.decl }, dot, vars);
      if (n.t === 'if') return this.nodes(truthy(v) ? n.body : n.alt ?? [], dot, vars);
      if (n.t === 'with') return truthy(v) ? this.nodes(n.body, v, vars) : this.nodes(n.alt ?? [], dot, vars);
      this.range(n, v, dot, vars);
    } finally {
      vars.length = mark;
    }
  }

  range(n: ControlNode, v: unknown, dot: unknown, vars: Vars): void {
    let entries: Array<[unknown, unknown]>;
    if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
    else if (isMap(v)) entries = Object.keys(v).sort().map((k) => [k, v[k]]);
    else if (typeof v === 'number' && Number.isInteger(v)) entries = Array.from({ length: Math.max(0, v) }, (_, i) => [i, i]);
    else if (v === null || v === MISSING || v === undefined) entries = [];
    else return execFail(`range can't iterate over ${goPrint(v)}`);
    if (entries.length === 0) return this.nodes(n.alt ?? [], dot, vars);
    const [first, second] = n.pipe.decl;
    for (const [key, value] of entries) {
      const mark = vars.length;
      if (first !== undefined && second !== undefined) vars.push({ name: first, value: key }, { name: second, value });
      else if (first !== undefined) vars.push({ name: first, value });
      try {
        this.nodes(n.body, value, vars);
      } catch (err) {
        if (!(err instanceof LoopSignal)) throw err;
        if (err.kind === 'break') break;
      } finally {
        vars.length = mark;
      }
    }
  }
}

const NO_FINAL = Symbol('no final');

function describeArg(a: Arg | undefined): string {
  if (!a) return '';
  if (a.k === 'lit') return goPrint(a.v);
  if (a.k === 'field') return `.${a.names.join('.')}`;
  if (a.k === 'var') return [a.name, ...a.names].join('.');
  return a.k === 'fn' ? a.name : '(pipeline)';
}

/** Parses a template (usage error when it does not parse) and answers a renderer. */
export function compileGoTemplate(template: string, opts: { allowMissingKeys?: boolean } = {}): (data: unknown) => string {
  const nodes = parseGoTemplate(template);
  return (data) => {
    const ex = new Exec(opts.allowMissingKeys ?? true);
    ex.nodes(nodes, data, [{ name: '$', value: data }]);
    return ex.out;
  };
}
