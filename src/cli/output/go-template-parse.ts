/**
 * Parser of Go's text/template language, as kubectl's and tkn's `-o go-template=` use it: text and `{{ }}`
 * actions with trim markers (`{{- -}}`) and comments, pipelines (`|`), variables (`$x := …`, `$x = …`),
 * field chains (`.a.b`, `$x.a`, `(pipe).a`), literals, function calls, and the control actions `if`/`else
 * if`/`else`/`with`/`range`/`break`/`continue`/`end`. `define`, `template` and `block` are refused (kubectl
 * users never have named templates to call).
 */
import { UsageError } from '../errors.js';

/** An operand of a command. `names` is a field chain applied to it. */
export type Arg =
  | { k: 'field'; names: string[] }
  | { k: 'var'; name: string; names: string[] }
  | { k: 'pipe'; pipe: Pipe; names: string[] }
  | { k: 'lit'; v: unknown }
  | { k: 'fn'; name: string };

/** `$a, $b := cmd | cmd …`. */
export interface Pipe { decl: string[]; assign: boolean; cmds: Arg[][] }

/** A parsed template node. */
export type Node =
  | { t: 'text'; s: string }
  | { t: 'action'; pipe: Pipe }
  | ControlNode
  | { t: 'break' }
  | { t: 'continue' };

/** `if`, `with` and `range` with their bodies (`alt` is the else branch). */
export interface ControlNode { t: 'if' | 'with' | 'range'; pipe: Pipe; body: Node[]; alt: Node[] | null }

type Tok = { k: 'str' | 'num' | 'id' | 'var' | 'field' | 'op'; v: string; n?: number; chain?: boolean };

const fail = (msg: string): never => {
  throw new UsageError(`error parsing go-template: ${msg}`);
};

function unescapeGo(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[e] ?? fail(`unknown escape sequence \\${e}`);
  });
}

/** Splits an action's text into tokens. */
function lexAction(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const ident = /[A-Za-z0-9_]/;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += c !== '`' && src[j] === '\\' ? 2 : 1;
      if (j >= src.length) fail(`unterminated quoted string in {{${src}}}`);
      const body = src.slice(i + 1, j);
      if (c === "'") out.push({ k: 'num', v: body, n: unescapeGo(body).codePointAt(0) ?? 0 });
      else out.push({ k: 'str', v: c === '`' ? body : unescapeGo(body) });
      i = j + 1;
      continue;
    }
    if (src.startsWith(':=', i)) { out.push({ k: 'op', v: ':=' }); i += 2; continue; }
    if ('|(),='.includes(c)) { out.push({ k: 'op', v: c }); i++; continue; }
    const num = /^[-+]?(0[xX][0-9a-fA-F]+|\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)/.exec(src.slice(i));
    if (num && (c !== '.' || /\d/.test(src[i + 1] ?? ''))) { out.push({ k: 'num', v: num[0], n: Number(num[0]) }); i += num[0].length; continue; }
    if (c === '$' || c === '.') {
      let j = i + 1;
      while (j < src.length && (ident.test(src[j] ?? '') || (src[j] === '.' && ident.test(src[j + 1] ?? '')))) j++;
      out.push({ k: c === '$' ? 'var' : 'field', v: src.slice(i, j), chain: c === '.' && src[i - 1] === ')' });
      i = j;
      continue;
    }
    if (ident.test(c)) {
      let j = i;
      while (j < src.length && ident.test(src[j] ?? '')) j++;
      out.push({ k: 'id', v: src.slice(i, j) });
      i = j;
      continue;
    }
    fail(`unexpected "${c}" in {{${src}}}`);
  }
  return out;
}

/** Parses the tokens of one pipeline (the whole action, or a parenthesised part). */
class PipeParser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly src: string) {}

  private peek(): Tok | undefined { return this.toks[this.i]; }

  done(): boolean { return this.i >= this.toks.length; }

  pipe(inParens: boolean): Pipe {
    const decl: string[] = [];
    let assign = false;
    const save = this.i;
    while (this.peek()?.k === 'var') {
      decl.push(this.toks[this.i++]?.v ?? '');
      const t = this.peek();
      if (t?.k === 'op' && t.v === ',') { this.i++; continue; }
      if (t?.k === 'op' && (t.v === ':=' || t.v === '=')) { assign = t.v === '='; this.i++; break; }
      decl.length = 0;
      this.i = save;
      break;
    }
    const cmds: Arg[][] = [];
    for (;;) {
      const cmd: Arg[] = [];
      for (;;) {
        const t = this.peek();
        if (!t || (t.k === 'op' && (t.v === '|' || t.v === ')'))) break;
        cmd.push(this.operand());
      }
      if (cmd.length === 0) fail(`missing command in {{${this.src}}}`);
      cmds.push(cmd);
      const t = this.peek();
      if (t?.k === 'op' && t.v === '|') { this.i++; continue; }
      if (t?.k === 'op' && t.v === ')') {
        if (!inParens) fail(`unexpected ")" in {{${this.src}}}`);
        this.i++;
      } else if (inParens) fail(`unclosed left paren in {{${this.src}}}`);
      return { decl, assign, cmds };
    }
  }

  private chain(): string[] {
    const t = this.peek();
    if (t?.k !== 'field' || !t.chain) return [];
    this.i++;
    return t.v.split('.').slice(1);
  }

  private operand(): Arg {
    const t = this.toks[this.i++];
    if (!t) return fail(`missing operand in {{${this.src}}}`);
    if (t.k === 'str') return { k: 'lit', v: t.v };
    if (t.k === 'num') return { k: 'lit', v: t.n };
    if (t.k === 'var') {
      const [name = '$', ...names] = t.v.split('.');
      return { k: 'var', name, names };
    }
    if (t.k === 'field') return { k: 'field', names: t.v === '.' ? [] : t.v.split('.').slice(1) };
    if (t.k === 'op' && t.v === '(') return { k: 'pipe', pipe: this.pipe(true), names: this.chain() };
    if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'nil') return { k: 'lit', v: null };
      return { k: 'fn', name: t.v };
    }
    return fail(`unexpected "${t.v}" in {{${this.src}}}`);
  }
}

function parsePipe(src: string): Pipe {
  const p = new PipeParser(lexAction(src), src);
  const pipe = p.pipe(false);
  if (!p.done()) fail(`unexpected tokens in {{${src}}}`);
  return pipe;
}

/** Splits a template into text pieces and action sources, applying trim markers and dropping comments. */
function pieces(template: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  let i = 0;
  let trimNext = false;
  while (i <= template.length) {
    const open = template.indexOf('{{', i);
    let text = template.slice(i, open < 0 ? undefined : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    let inner = '';
    let close = -1;
    if (open >= 0) {
      const comment = /^(-\s+)?\/\*/.exec(template.slice(open + 2));
      const from = comment ? template.indexOf('*/', open + 2 + comment[0].length) : open + 2;
      if (from < 0) fail('unclosed comment');
      close = template.indexOf('}}', from);
      if (close < 0) fail('unclosed action');
      inner = template.slice(open + 2, close);
      if (/^-[\s]/.test(inner)) { text = text.replace(/\s+$/, ''); inner = inner.slice(1); }
      trimNext = /[\s]-$/.test(inner);
      if (trimNext) inner = inner.slice(0, -1);
      if (text) out.push({ text });
      if (!/^\s*\/\*[\s\S]*\*\/\s*$/.test(inner)) out.push({ action: inner.trim() });
      i = close + 2;
    } else {
      if (text) out.push({ text });
      break;
    }
  }
  return out;
}

const CONTROL = /^(if|with|range|else|end|break|continue|define|template|block)\b\s*([\s\S]*)$/;

/** Parses a whole template. */
export function parseGoTemplate(template: string): Node[] {
  const ps = pieces(template);
  let pos = 0;
  type Stop = { word: 'end' | 'else' | 'eof'; rest: string };
  const list = (loopDepth: number): { nodes: Node[]; stop: Stop } => {
    const nodes: Node[] = [];
    while (pos < ps.length) {
      const p = ps[pos++];
      if (!p) break;
      if ('text' in p) { nodes.push({ t: 'text', s: p.text }); continue; }
      const m = CONTROL.exec(p.action);
      if (!m) { nodes.push({ t: 'action', pipe: parsePipe(p.action) }); continue; }
      const word = m[1] ?? '';
      const rest = (m[2] ?? '').trim();
      if (word === 'end' || word === 'else') return { nodes, stop: { word, rest } };
      if (word === 'break' || word === 'continue') {
        if (loopDepth === 0) fail(`{{${word}}} outside {{range}}`);
        nodes.push(word === 'break' ? { t: 'break' } : { t: 'continue' });
        continue;
      }
      if (word === 'define' || word === 'template' || word === 'block') fail(`{{${word}}} (named templates) is not supported by tkt`);
      nodes.push(control(word as 'if' | 'with' | 'range', rest, loopDepth));
    }
    return { nodes, stop: { word: 'eof', rest: '' } };
  };
  const control = (word: 'if' | 'with' | 'range', src: string, loopDepth: number): Node => {
    if (!src) fail(`missing value for ${word}`);
    const pipe = parsePipe(src);
    const body = list(word === 'range' ? loopDepth + 1 : loopDepth);
    if (body.stop.word === 'eof') fail(`unexpected EOF: {{${word}}} without {{end}}`);
    let alt: Node[] | null = null;
    if (body.stop.word === 'else') {
      const chained = /^(if|with)\b\s*([\s\S]*)$/.exec(body.stop.rest);
      if (chained) alt = [control(chained[1] as 'if' | 'with', (chained[2] ?? '').trim(), loopDepth)];
      else {
        if (body.stop.rest) fail(`unexpected "${body.stop.rest}" after else`);
        const e = list(loopDepth);
        if (e.stop.word !== 'end') fail(`expected {{end}} after {{else}}`);
        alt = e.nodes;
      }
    }
    return { t: word, pipe, body: body.nodes, alt };
  };
  const top = list(0);
  if (top.stop.word !== 'eof') fail(`unexpected {{${top.stop.word}}}`);
  return top.nodes;
}
