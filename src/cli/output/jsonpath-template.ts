/**
 * kubectl's (and tkn's) `-o jsonpath=TEMPLATE`: literal text with `{expression}` pieces — `{.a.b}`, `{.items[*].x}`,
 * filters `{.c[?(@.type=="Succeeded")].status}`, `{"\n"}` / `{'\t'}` literals, `{range EXPR}...{end}` loops and
 * `{@}` for the current element. Path evaluation is jsonpath-plus; this module only parses the template around it.
 * Several matches print separated by a space, as kubectl does; a missing field prints nothing.
 */
import { JSONPath } from 'jsonpath-plus';
import { UsageError } from '../errors.js';

type Node = { text: string } | { path: string } | { range: string; body: Node[] };

function tokens(template: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) { out.push(template.slice(i)); break; }
    if (open > i) out.push(template.slice(i, open));
    const close = closingBrace(template, open);
    out.push(template.slice(open, close + 1));
    i = close + 1;
  }
  return out;
}

function closingBrace(s: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  throw new UsageError(`error parsing jsonpath ${s}: unclosed action`);
}

function unquote(lit: string): string {
  const body = lit.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c);
}

function parse(parts: string[], pos: { i: number }, inRange: boolean): Node[] {
  const nodes: Node[] = [];
  while (pos.i < parts.length) {
    const part = parts[pos.i++] ?? '';
    if (!part.startsWith('{')) { nodes.push({ text: part }); continue; }
    const expr = part.slice(1, -1).trim();
    if (expr === 'end') {
      if (!inRange) throw new UsageError('error parsing jsonpath: {end} without {range}');
      return nodes;
    }
    if (/^["']/.test(expr)) nodes.push({ text: unquote(expr) });
    else if (expr.startsWith('range ')) nodes.push({ range: expr.slice(6).trim(), body: parse(parts, pos, true) });
    else nodes.push({ path: expr });
  }
  if (inRange) throw new UsageError('error parsing jsonpath: {range} without {end}');
  return nodes;
}

function evaluate(path: string, data: unknown): unknown[] {
  const p = path === '@' || path === '' ? '$' : `$${path.startsWith('@') ? path.slice(1) : path.startsWith('.') || path.startsWith('[') ? path : `.${path}`}`;
  try {
    return JSONPath({ path: p, json: data as object, wrap: true }) as unknown[];
  } catch (err) {
    throw new UsageError(`error parsing jsonpath {${path}}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function values(nodes: Node[], data: unknown, allowMissing: boolean, out: unknown[]): unknown[] {
  for (const n of nodes) {
    if ('path' in n) {
      const found = evaluate(n.path, data);
      if (found.length === 0 && !allowMissing) throw new UsageError(`error executing jsonpath {${n.path}}: ${n.path} is not found`);
      out.push(...found);
    } else if ('range' in n) for (const item of evaluate(n.range, data)) values(n.body, item, allowMissing, out);
  }
  return out;
}

function render(nodes: Node[], data: unknown, allowMissing: boolean): string {
  let out = '';
  for (const n of nodes) {
    if ('text' in n) out += n.text;
    else if ('path' in n) out += values([n], data, allowMissing, []).map(show).join(' ');
    else for (const item of evaluate(n.range, data)) out += render(n.body, item, allowMissing);
  }
  return out;
}

/** Checks a template (usage error when it does not parse) and answers a renderer. */
export function compileJsonPathTemplate(template: string, opts: { allowMissingKeys?: boolean } = {}): (data: unknown) => string {
  const nodes = parse(tokens(template), { i: 0 }, false);
  return (data) => render(nodes, data, opts.allowMissingKeys ?? true);
}

/** `-o jsonpath-as-json=`: every value the template's expressions select, in order (text pieces dropped). */
export function jsonPathValues(template: string, allowMissingKeys = true): (data: unknown) => unknown[] {
  const nodes = parse(tokens(template), { i: 0 }, false);
  return (data) => values(nodes, data, allowMissingKeys, []);
}
