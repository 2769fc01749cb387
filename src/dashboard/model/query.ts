/**
 * The runs page's query (pure): parsed from the URL's parameters with a clear message for a bad one, and
 * answered over the summaries newest first, one page at a time.
 */
import { RUN_STATES, type RunKind, type RunPage, type RunQuery, type RunState, type RunSummary } from './types.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A query parameter that cannot be used: names it and says what it takes. */
export class QueryError extends Error {}

const LABEL_TERM = /^(!)?([A-Za-z0-9][-A-Za-z0-9_./]*)(?:(!=|==|=)(.*))?$/;

/** Parses the runs query from URL parameters. */
export function parseRunQuery(q: URLSearchParams): RunQuery {
  const kind = q.get('kind') || undefined;
  if (kind !== undefined && kind !== 'PipelineRun' && kind !== 'TaskRun') throw new QueryError(`kind "${kind}": expected PipelineRun or TaskRun`);
  const states = (q.get('status') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const s of states) if (!RUN_STATES.includes(s as RunState)) throw new QueryError(`status "${s}": expected one of ${RUN_STATES.join(', ')}`);
  const labels = (q.get('labels') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const l of labels) {
    const m = LABEL_TERM.exec(l);
    if (!m || (m[1] && m[3])) throw new QueryError(`labels "${l}": expected key=value, key!=value, key or !key`);
  }
  const page = int(q, 'page', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const pageSize = int(q, 'pageSize', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const out: RunQuery = { labels, states: states as RunState[], page, pageSize };
  if (kind) out.kind = kind as RunKind;
  for (const key of ['namespace', 'pipeline', 'task', 'search'] as const) {
    const v = q.get(key)?.trim();
    if (v) out[key] = v;
  }
  return out;
}

function int(q: URLSearchParams, key: string, min: number, max: number): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new QueryError(`${key} "${v}": expected a whole number from ${min} to ${max}`);
  return n;
}

/** Whether a run's labels satisfy every term. */
export function matchLabels(labels: Record<string, string>, terms: readonly string[]): boolean {
  for (const t of terms) {
    const m = LABEL_TERM.exec(t);
    if (!m) return false;
    const [, not, key = '', op, value = ''] = m;
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (!op) {
      if (has === Boolean(not)) return false;
    } else if (op === '!=') {
      if (has && labels[key] === value) return false;
    } else if (!has || labels[key] !== value) return false;
  }
  return true;
}

/** Whether a run passes every filter but the state one. */
function matchesBase(s: RunSummary, q: RunQuery): boolean {
  if (q.kind && s.kind !== q.kind) return false;
  if (q.namespace && s.namespace !== q.namespace) return false;
  if (q.pipeline && s.pipeline !== q.pipeline) return false;
  if (q.task && s.task !== q.task) return false;
  if (q.search && !s.name.includes(q.search)) return false;
  return q.labels.length === 0 || matchLabels(s.labels, q.labels);
}

/** Newest first: creation time, then name (stable across pages). */
export function newestFirst(a: RunSummary, b: RunSummary): number {
  if (a.created !== b.created) return a.created < b.created ? 1 : -1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0;
}

/** Answers one page of `sorted` (already newest first). */
export function queryRuns(sorted: readonly RunSummary[], q: RunQuery, meta: { version: number; synced: boolean }): RunPage {
  const counts: Record<RunState, number> = { pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  const from = q.page * q.pageSize;
  const items: RunSummary[] = [];
  let total = 0;
  for (const s of sorted) {
    if (!matchesBase(s, q)) continue;
    counts[s.state]++;
    if (q.states.length > 0 && !q.states.includes(s.state)) continue;
    if (total >= from && items.length < q.pageSize) items.push(s);
    total++;
  }
  return { items, total, page: q.page, pageSize: q.pageSize, counts, version: meta.version, synced: meta.synced };
}
