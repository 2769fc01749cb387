/**
 * Finds `$(...)` variable references for validation: each reference parsed into segments
 * (`params['a.b'][*]` → segments ["params","a.b"], index "*"), and a walker over every string of a value
 * with its field path, so checks can say exactly where a bad reference is.
 */
import { joinPath, type Segment } from './field-errors.js';

/** One `$(...)` reference inside a string. */
export interface VarRef {
  /** The text between `$(` and `)`. */
  expr: string;
  /** Dot/bracket segments: `tasks.t.results.r` → ["tasks","t","results","r"]. */
  segments: string[];
  /** A trailing `[N]` or `[*]` index, if any. */
  index?: string;
  /** True when the reference is the whole string. */
  whole: boolean;
}

const REF = /\$\(([^()$]+)\)/g;

/** One token of a variable path: a name segment, or an index (`*` or digits) in brackets. */
export type ExprToken = { name: string } | { index: string };

/**
 * Splits the inside of `$( )` into tokens (`params['a.b'].c[0]` → a.b, c, [0]); undefined when it is not a
 * variable path (e.g. shell `$(date +%s)`). Shared by validation and the engine's substitution keys.
 */
export function tokenizeExpr(expr: string): ExprToken[] | undefined {
  const tokens: ExprToken[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === '[') {
      const close = expr.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = expr.slice(i + 1, close);
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted) tokens.push({ name: quoted[2] ?? '' });
      else if (inner === '*' || /^\d+$/.test(inner)) tokens.push({ index: inner });
      else return undefined;
      i = close + 1;
    } else if (ch === '.') {
      i += 1;
    } else {
      const m = /^[^.[\]\s'"]+/.exec(expr.slice(i));
      if (!m) return undefined;
      tokens.push({ name: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses the inside of `$( )` into name segments and the (last) index; undefined when it is not a variable path. */
export function parseExpr(expr: string): { segments: string[]; index?: string } | undefined {
  const tokens = tokenizeExpr(expr);
  if (!tokens) return undefined;
  const segments: string[] = [];
  let index: string | undefined;
  for (const t of tokens) {
    if ('name' in t) segments.push(t.name);
    else index = t.index;
  }
  return segments.length > 0 ? { segments, index } : undefined;
}

/** Every variable reference in `s`. */
export function findRefs(s: string): VarRef[] {
  if (!s.includes('$(')) return [];
  const out: VarRef[] = [];
  for (const m of s.matchAll(REF)) {
    const parsed = parseExpr(m[1] ?? '');
    if (parsed) out.push({ expr: m[1] ?? '', ...parsed, whole: m[0] === s });
  }
  return out;
}

/** A string found inside a value, with its path relative to the value and the key path leading to it. */
export interface FoundString {
  path: string;
  keys: Segment[];
  value: string;
}

/**
 * Lists the string leaves of `value` (objects and arrays walked), skipping keys in `skip`. With `onlyRefs`, only
 * strings containing `$(` are listed (the walk then builds no paths for the rest, which keeps big pipelines fast).
 */
export function stringsIn(value: unknown, base = '', skip: ReadonlySet<string> = new Set(), onlyRefs = false): FoundString[] {
  const out: FoundString[] = [];
  const keys: Segment[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!onlyRefs || v.includes('$(')) out.push({ path: joinPath(base, ...keys), keys: [...keys], value: v });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        keys.push(i);
        walk(v[i]);
        keys.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (skip.has(k)) continue;
        keys.push(k);
        walk((v as Record<string, unknown>)[k]);
        keys.pop();
      }
    }
  };
  walk(value);
  return out;
}

/** A reference with the string and path it was found in. */
export interface LocatedRef extends VarRef {
  path: string;
  keys: Segment[];
  value: string;
}

/** Every reference in every string of `value`, located. */
export function refsIn(value: unknown, base = '', skip?: ReadonlySet<string>): LocatedRef[] {
  return stringsIn(value, base, skip, true).flatMap((f) => findRefs(f.value).map((r) => ({ ...r, path: f.path, keys: f.keys, value: f.value })));
}

/** A reference to a task result: `$(tasks.<t>.results.<r>...)` or `$(finally.<t>.results.<r>...)`. */
export interface ResultRef {
  scope: 'tasks' | 'finally';
  task: string;
  result: string;
  rest: string[];
}

/** The result reference a variable is, if it is one. */
export function asResultRef(ref: VarRef): ResultRef | undefined {
  const [scope, task, kw, result, ...rest] = ref.segments;
  if ((scope !== 'tasks' && scope !== 'finally') || kw !== 'results' || !task || !result) return undefined;
  return { scope, task, result, rest };
}
