/**
 * Time columns as tkn prints them: ages in durafmt's short form (`3 minutes ago`, `1 hour ago`) and durations
 * as Go's `Duration.String()` (`1m30s`). Pure: the current time is always a parameter.
 */
import { formatDuration } from '../../engine/durations.js';

const UNITS: Array<[string, number]> = [
  ['year', 365 * 24 * 3_600_000],
  ['week', 7 * 24 * 3_600_000],
  ['day', 24 * 3_600_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const MISSING = '---';

function parseTime(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The largest whole unit of a span (`0 seconds`, `1 minute`, `3 hours`, `-10 minutes`). */
export function shortSpan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  for (const [unit, size] of UNITS) {
    const n = Math.floor(abs / size);
    if (n >= 1) return `${sign}${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  return '0 seconds';
}

/** `3 minutes ago` for an RFC 3339 time, `---` when absent. */
export function age(time: string | undefined, now: Date): string {
  const t = parseTime(time);
  if (t === undefined) return MISSING;
  return `${shortSpan(now.getTime() - t)} ago`;
}

/** Go-style duration between two RFC 3339 times (`1m30s`), `---` when either is absent. */
export function duration(start: string | undefined, end: string | undefined): string {
  const a = parseTime(start);
  const b = parseTime(end);
  if (a === undefined || b === undefined) return MISSING;
  return formatDuration(Math.round((b - a) / 1000) * 1000);
}

/** Elapsed time of a span in Go form, rounded to seconds (`1m30s`); for running tasks in summaries. */
export function elapsed(ms: number): string {
  return formatDuration(Math.max(0, Math.round(ms / 1000)) * 1000);
}
