/**
 * The event a binding is evaluated against (`{header, body, extensions, context}`), Go-compatible header
 * canonicalisation, the `$(...)` expression scanner of Triggers bindings and Tekton's rendering of JSONPath
 * results (strings JSON-escaped without quotes, everything else compact JSON with sorted keys). Pure.
 */
import { evaluatePath, JsonPathError, parsePath, type Segment } from './jsonpath.js';

/** What bindings see: header values are the request's values joined with `,`. */
export interface BindingEvent {
  header: Record<string, string>;
  body: unknown;
  extensions: Record<string, unknown>;
  context: { eventID: string };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` → `X-Github-Event`; invalid keys unchanged. */
export function canonicalHeaderKey(key: string): string {
  if (!TOKEN.test(key)) return key;
  let out = '';
  let upper = true;
  for (const ch of key) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

const canonicalCache = new Map<string, string>();

/** canonicalHeaderKey, remembered for the header names seen most (a bounded cache). */
export function cachedCanonicalKey(key: string): string {
  let c = canonicalCache.get(key);
  if (c === undefined) {
    c = canonicalHeaderKey(key);
    if (canonicalCache.size >= 512) canonicalCache.clear();
    canonicalCache.set(key, c);
  }
  return c;
}

/** Canonicalises a multi-valued header map (`{'x-a': ['1']}` → `{'X-A': ['1']}`), merging equal keys. */
export function canonicalHeaders(raw: Record<string, readonly string[] | string | undefined>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const key = cachedCanonicalKey(k);
    (out[key] ??= []).push(...(typeof v === 'string' ? [v] : v));
  }
  return out;
}

/** canonicalHeaders of a request's raw header list (`[name, value, name, value, …]`, node:http's `rawHeaders`). */
export function canonicalRawHeaders(raw: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (out[cachedCanonicalKey(raw[i] as string)] ??= []).push(raw[i + 1] as string);
  return out;
}

/** Builds the binding event from canonical multi-valued headers. */
export function bindingEvent(headers: Record<string, string[]>, body: unknown, extensions: Record<string, unknown>, eventID: string): BindingEvent {
  const header: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) header[k] = v.join(',');
  return { header, body, extensions, context: { eventID } };
}

/** A `$(...)` occurrence: `[start, end)` in the source and the text inside. */
export interface Expression {
  start: number;
  end: number;
  inner: string;
}

/**
 * Finds `$(...)` expressions, counting parentheses so that `$(body.a[?(@.x=='y')].w)` is one expression.
 * An unterminated `$(` is literal text.
 */
export function findExpressions(s: string): Expression[] {
  const out: Expression[] = [];
  let i = s.indexOf('$(');
  while (i >= 0) {
    let depth = 1;
    let j = i + 2;
    for (; j < s.length && depth > 0; j++) {
      if (s[j] === '(') depth += 1;
      else if (s[j] === ')') depth -= 1;
    }
    if (depth !== 0) break;
    out.push({ start: i, end: j, inner: s.slice(i + 2, j - 1) });
    i = s.indexOf('$(', j);
  }
  return out;
}

const pathCache = new Map<string, Segment[]>();
const PATH_CACHE_MAX = 2000;

/** The parsed path of the inside of a `$(...)`, by its text (expressions come from bindings: few, reused). */
function cachedPath(inner: string): Segment[] {
  let segs = pathCache.get(inner);
  if (!segs) {
    segs = compileExpression(inner);
    if (pathCache.size >= PATH_CACHE_MAX) pathCache.clear();
    pathCache.set(inner, segs);
  }
  return segs;
}

function compileExpression(inner: string): Segment[] {
  const expr = normaliseExpression(inner);
  const root = expr.replace(/^\{?\s*\$?\.?/, '').split(/[.[}]/, 1)[0] ?? '';
  if (!['body', 'header', 'extensions', 'context'].includes(root)) {
    throw new JsonPathError(`invalid expression ${JSON.stringify(inner)}: must start with body, header, extensions or context`);
  }
  return parsePath(expr);
}

/** Normalises the inside of `$(...)`: unwraps nested `$( )` and canonicalises `header.<name>`. */
export function normaliseExpression(inner: string): string {
  let e = inner.trim();
  while (e.startsWith('$(') && e.endsWith(')')) e = e.slice(2, -1).trim();
  if (e.startsWith('header.')) e = `header.${canonicalHeaderKey(e.slice('header.'.length))}`;
  return e;
}

/** Evaluates one expression against the event and renders it as Tekton does. Throws JsonPathError. */
export function evaluateExpression(inner: string, event: BindingEvent): string {
  return renderResults(evaluatePath(event, cachedPath(inner)));
}

/** Replaces every `$(...)` in a binding value with its rendered result. Throws JsonPathError. */
export function applyEventValues(value: string, event: BindingEvent, fallback?: string): string {
  const exprs = findExpressions(value);
  if (exprs.length === 0) return value;
  let out = '';
  let last = 0;
  for (const e of exprs) {
    out += value.slice(last, e.start) + evaluateOr(e.inner, event, fallback);
    last = e.end;
  }
  return out + value.slice(last);
}

/** One expression's value; when it fails and a fallback is given, the fallback (Triggers' per-expression default). */
function evaluateOr(inner: string, event: BindingEvent, fallback: string | undefined): string {
  if (fallback === undefined) return evaluateExpression(inner, event);
  try {
    return evaluateExpression(inner, event);
  } catch {
    return fallback;
  }
}

/** Tekton's `getResults` + `textValue`: one string → escaped without quotes; null → `null`; else JSON. */
export function renderResults(values: unknown[]): string {
  if (values.length === 1) {
    const v = values[0];
    if (typeof v === 'string') return goJsonString(v).slice(1, -1);
    return goJson(v);
  }
  return goJson(values);
}

const GO_HTML_ESCAPES = /[<>&\u2028\u2029]/g;

/** A JSON string literal as Go's encoding/json writes it (HTML characters escaped as \u00XX). */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(GO_HTML_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Compact JSON as Go's encoding/json writes a decoded `interface{}`: object keys sorted, HTML escaped. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const parts = Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${goJsonString(k)}:${goJson(o[k])}`);
    return `{${parts.join(',')}}`;
  }
  return 'null';
}
