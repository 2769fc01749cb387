/**
 * The Kubernetes (client-go) JSONPath subset that Tekton Triggers bindings use, with missing keys as errors
 * (`AllowMissingKeys(false)`): fields (`a.b`, backslash escapes `a\.b`), brackets (`['k']`, `["k"]`, `[0]`,
 * `[-1]`, slices `[0:2]`, `[::2]`, unions `[0,1]`), wildcard `*`, recursive descent `..`, and filters
 * `[?(@.a == 'x')]` with `== != < > <= >=` or existence. Pure: no I/O.
 */

/** One step of a parsed path. */
export type Segment =
  | { t: 'field'; names: string[] }
  | { t: 'index'; items: Array<number | { start?: number; end?: number; step?: number }> }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'filter'; path: Segment[]; op?: string; value?: unknown; rightPath?: Segment[] };

/** A JSONPath evaluation or parse failure (Tekton aborts the trigger unless the param has a default). */
export class JsonPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

/** client-go's identifier terminators. */
const TERMINATORS = new Set(['.', '[', ']', ',', ' ', '$', '@', '{', '}', '\t', '\n', '\r']);

/**
 * Normalises Tekton's relaxed forms (`body.a`, `.body.a`, `{body.a}`, `{.body.a}`, `$.body.a`) to a bare
 * path, then parses it.
 */
export function parsePath(expr: string): Segment[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  if (s !== '' && !s.startsWith('.') && !s.startsWith('[')) s = `.${s}`;
  const p = new PathParser(s);
  return p.parseAll();
}

class PathParser {
  pos = 0;
  constructor(private readonly s: string) {}

  parseAll(): Segment[] {
    const out: Segment[] = [];
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos] as string;
      if (ch === '.') {
        if (this.s[this.pos + 1] === '.') {
          this.pos += 2;
          out.push({ t: 'recursive' });
          if (this.s[this.pos] === '[') continue;
        } else this.pos += 1;
        out.push(this.field());
      } else if (ch === '[') {
        out.push(this.bracket());
      } else {
        throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(ch)}`);
      }
    }
    return out;
  }

  private field(): Segment {
    let name = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos] as string;
      if (ch === '\\' && this.pos + 1 < this.s.length) {
        name += this.s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (TERMINATORS.has(ch)) break;
      name += ch;
      this.pos += 1;
    }
    if (name === '*') return { t: 'wildcard' };
    if (name === '') throw new JsonPathError('empty field name in path');
    return { t: 'field', names: [name] };
  }

  private bracket(): Segment {
    const close = this.matchingBracket(this.pos);
    const inner = this.s.slice(this.pos + 1, close).trim();
    this.pos = close + 1;
    if (inner === '*') return { t: 'wildcard' };
    if (inner.startsWith('?')) return parseFilter(inner);
    const parts = splitUnion(inner);
    if (parts.every((p) => /^(['"]).*\1$/s.test(p))) return { t: 'field', names: parts.map((p) => p.slice(1, -1)) };
    return { t: 'index', items: parts.map(parseIndex) };
  }

  private matchingBracket(open: number): number {
    let depth = 0;
    let quote = '';
    for (let i = open; i < this.s.length; i++) {
      const ch = this.s[i];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '\'' || ch === '"') quote = ch;
      else if (ch === '[') depth += 1;
      else if (ch === ']' && --depth === 0) return i;
    }
    throw new JsonPathError('unterminated array');
  }
}

function splitUnion(inner: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote = '';
  for (const ch of inner) {
    if (quote) {
      if (ch === quote) quote = '';
      cur += ch;
    } else if (ch === '\'' || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === ',') {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

function parseIndex(p: string): number | { start?: number; end?: number; step?: number } {
  const num = (x: string | undefined, what: string): number | undefined => {
    if (x === undefined || x.trim() === '') return undefined;
    if (!/^-?\d+$/.test(x.trim())) throw new JsonPathError(`invalid array ${what} ${JSON.stringify(x)}`);
    return Number(x.trim());
  };
  if (!p.includes(':')) {
    const n = num(p, 'index');
    if (n === undefined) throw new JsonPathError('empty array index');
    return n;
  }
  const [a, b, c] = p.split(':');
  return { start: num(a, 'slice start'), end: num(b, 'slice end'), step: num(c, 'slice step') };
}

function parseFilter(inner: string): Segment {
  const m = /^\?\s*\((.*)\)$/s.exec(inner);
  if (!m) throw new JsonPathError(`invalid filter ${JSON.stringify(inner)}`);
  const body = (m[1] ?? '').trim();
  const op = /^(@[^=!<>]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/s.exec(body);
  const leftText = (op ? op[1] : body) ?? '';
  if (!leftText.startsWith('@')) throw new JsonPathError(`filter must start with @: ${JSON.stringify(body)}`);
  const path = parsePath(leftText.slice(1) === '' ? '' : leftText.slice(1).trim());
  if (!op) return { t: 'filter', path };
  const right = (op[3] ?? '').trim();
  if (right.startsWith('@')) return { t: 'filter', path, op: op[2], rightPath: parsePath(right.slice(1)) };
  return { t: 'filter', path, op: op[2], value: parseLiteral(right) };
}

function parseLiteral(s: string): unknown {
  if (/^(['"]).*\1$/s.test(s)) return s.slice(1, -1);
  if (s === 'true' || s === 'false') return s === 'true';
  if (s === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) return Number(s);
  throw new JsonPathError(`unrecognized filter literal ${JSON.stringify(s)}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Evaluates a parsed path; answers every match (possibly none). Missing keys and bad indexes throw. */
export function evaluatePath(root: unknown, segs: readonly Segment[]): unknown[] {
  let cur: unknown[] = [root];
  for (const seg of segs) cur = step(cur, seg);
  return cur;
}

function step(values: unknown[], seg: Segment): unknown[] {
  switch (seg.t) {
    case 'field': return fieldStep(values, seg.names);
    case 'index': return values.flatMap((v) => indexStep(v, seg.items));
    case 'wildcard': return values.flatMap((v) => (Array.isArray(v) ? v : isObject(v) ? sortedKeys(v).map((k) => v[k]) : []));
    case 'recursive': return values.flatMap(descendants);
    case 'filter': return values.flatMap((v) => filterStep(v, seg));
  }
}

function fieldStep(values: unknown[], names: string[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (!isObject(v)) continue;
    for (const n of names) if (Object.hasOwn(v, n)) out.push(v[n]);
  }
  if (out.length === 0 && values.length > 0) throw new JsonPathError(`${names.join(',')} is not found`);
  return out;
}

function indexStep(v: unknown, items: Array<number | { start?: number; end?: number; step?: number }>): unknown[] {
  if (!Array.isArray(v)) throw new JsonPathError(`${typeName(v)} is not array or slice`);
  const out: unknown[] = [];
  const len = v.length;
  for (const it of items) {
    if (typeof it === 'number') {
      const i = it < 0 ? it + len : it;
      if (i < 0 || i >= len) throw new JsonPathError(`array index out of bounds: index ${it}, length ${len}`);
      out.push(v[i]);
      continue;
    }
    let start = it.start ?? 0;
    let end = it.end ?? len;
    if (start < 0) start += len;
    if (end < 0) end += len;
    const stride = it.step ?? 1;
    if (stride <= 0) throw new JsonPathError(`invalid slice step ${stride}`);
    if (start === end) continue;
    if (start < 0 || start >= len || end < 0 || end > len) throw new JsonPathError(`array index out of bounds: index ${start}:${end}, length ${len}`);
    if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
    for (let i = start; i < end; i += stride) out.push(v[i]);
  }
  return out;
}

function descendants(v: unknown): unknown[] {
  const out: unknown[] = [v];
  const kids = Array.isArray(v) ? v : isObject(v) ? sortedKeys(v).map((k) => v[k]) : [];
  for (const k of kids) out.push(...descendants(k));
  return out;
}

function filterStep(v: unknown, seg: Extract<Segment, { t: 'filter' }>): unknown[] {
  if (!Array.isArray(v)) throw new JsonPathError(`${typeName(v)} is not array or slice and cannot be filtered`);
  return v.filter((el) => {
    const left = tryEval(el, seg.path);
    if (seg.op === undefined) return left.length > 0 && left[0] !== false && left[0] !== null;
    const rights = seg.rightPath ? tryEval(el, seg.rightPath) : [seg.value];
    return left.some((l) => rights.some((r) => compare(l, seg.op as string, r)));
  });
}

function tryEval(root: unknown, segs: Segment[]): unknown[] {
  try {
    return evaluatePath(root, segs);
  } catch {
    return [];
  }
}

function compare(l: unknown, op: string, r: unknown): boolean {
  if (op === '==') return l === r;
  if (op === '!=') return l !== r;
  const bothNum = typeof l === 'number' && typeof r === 'number';
  const bothStr = typeof l === 'string' && typeof r === 'string';
  if (!bothNum && !bothStr) return false;
  const a = l as number | string;
  const b = r as number | string;
  if (op === '<') return a < b;
  if (op === '>') return a > b;
  if (op === '<=') return a <= b;
  return a >= b;
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort();
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
