/**
 * The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b`, `.a['x.y']` and filters
 * `[?(@.type=="Succeeded")]` (also `!=`). Answers every match, like kubectl's evaluator.
 */

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; op: '==' | '!='; value: string } };

/** Parses a column JSONPath into steps; throws on syntax it does not support. */
export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let s = path.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.startsWith('$')) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([A-Za-z0-9_-]+)/.exec(s.slice(i));
      if (!m) throw new Error(`unsupported JSONPath ${path}`);
      steps.push({ field: m[1] as string });
      i += m[0].length;
    } else if (s[i] === '[') {
      const end = matchBracket(s, i);
      steps.push(parseBracket(s.slice(i + 1, end), path));
      i = end + 1;
    } else throw new Error(`unsupported JSONPath ${path}`);
  }
  return steps;
}

function matchBracket(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '[') depth++;
    if (s[i] === ']' && --depth === 0) return i;
  }
  throw new Error(`unbalanced [ in ${s}`);
}

function parseBracket(inner: string, path: string): Step {
  if (inner === '*') return { all: true };
  if (/^\d+$/.test(inner)) return { index: Number(inner) };
  const quoted = /^['"](.*)['"]$/.exec(inner);
  if (quoted) return { field: quoted[1] as string };
  const f = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*['"]?([^'"]*)['"]?\)$/.exec(inner);
  if (f) return { filter: { path: (f[1] as string).slice(1).split('.'), op: f[2] as '==' | '!=', value: f[3] as string } };
  throw new Error(`unsupported JSONPath ${path}`);
}

function get(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function applyStep(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if ('field' in step) {
      if (v && typeof v === 'object' && !Array.isArray(v) && step.field in v) out.push((v as Record<string, unknown>)[step.field]);
    } else if ('index' in step) {
      if (Array.isArray(v) && step.index < v.length) out.push(v[step.index]);
    } else if ('all' in step) {
      if (Array.isArray(v)) out.push(...v);
      else if (v && typeof v === 'object') out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      const { path, op, value } = step.filter;
      out.push(...v.filter((e) => (String(get(e, path) ?? '') === value) === (op === '==')));
    }
  }
  return out;
}

/** Evaluates a parsed path against a value; answers all matches. */
export function evaluate(steps: Step[], root: unknown): unknown[] {
  return steps.reduce<unknown[]>((vals, step) => applyStep(vals, step), [root]);
}

const cache = new Map<string, Step[]>();

/** Evaluates a JSONPath string (parsed once and cached); answers all matches, [] on unsupported syntax. */
export function jsonPath(path: string, root: unknown): unknown[] {
  let steps = cache.get(path);
  if (!steps) {
    try {
      steps = parsePath(path);
    } catch {
      steps = [{ field: '\u0000unsupported' }];
    }
    cache.set(path, steps);
  }
  return evaluate(steps, root);
}
