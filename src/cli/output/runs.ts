/**
 * `list` tables of runs (PipelineRuns and TaskRuns share them): NAME STARTED DURATION STATUS, NAMESPACE first
 * with `-A`. Runs without a start time come first, then newest first, as tkn sorts them.
 */
import type { Condition, KubeObject } from '../../api/types.js';
import { statusText } from './status.js';
import { table } from './table.js';
import type { Theme } from './theme.js';
import { age, duration } from './time.js';

/** The fields of a run the list needs. */
export interface RunLike extends KubeObject {
  status?: { startTime?: string; completionTime?: string; conditions?: Condition[] };
}

/** Options of a runs table. */
export interface RunTableOptions {
  now: Date;
  theme: Theme;
  allNamespaces?: boolean;
  noHeaders?: boolean;
  reverse?: boolean;
  /** `No PipelineRuns found` etc. */
  emptyMessage: string;
}

function startMs(r: RunLike): number | undefined {
  const t = r.status?.startTime ? Date.parse(r.status.startTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** Sorts runs as tkn: no start time first, then by start time, newest first. Returns a new array. */
export function sortRunsByStart<T extends RunLike>(runs: T[]): T[] {
  return [...runs].sort((a, b) => {
    const sa = startMs(a);
    const sb = startMs(b);
    if (sa === undefined || sb === undefined) return (sa === undefined ? 0 : 1) - (sb === undefined ? 0 : 1);
    return sb - sa;
  });
}

/** The list table of runs. */
export function formatRunTable(runs: RunLike[], opts: RunTableOptions): string {
  if (runs.length === 0) return `${opts.emptyMessage}\n`;
  let sorted = sortRunsByStart(runs);
  if (opts.reverse) sorted = sorted.reverse();
  const rows: string[][] = [];
  const ns = opts.allNamespaces ? ['NAMESPACE'] : [];
  if (!opts.noHeaders) rows.push([...ns, 'NAME', 'STARTED', 'DURATION', 'STATUS']);
  for (const r of sorted) {
    const nsCell = opts.allNamespaces ? [r.metadata.namespace ?? ''] : [];
    const st = r.status;
    rows.push([...nsCell, r.metadata.name ?? '', age(st?.startTime, opts.now), duration(st?.startTime, st?.completionTime), statusText(st?.conditions, opts.theme)]);
  }
  return table(rows);
}
