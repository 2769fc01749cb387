/**
 * Printing helpers shared by the control-plane benchmarks: the machine header (host, CPU, cores, load at
 * start), order statistics, and aligned figure lines. Figures are medians and percentiles, never assertions.
 */
import os from 'node:os';

/** One line naming the machine and its load at the start of the run. */
export function machineLine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const mem = Math.round(os.totalmem() / 2 ** 30);
  return `machine: ${os.hostname()} (${cpus.length} x ${cpus[0]?.model ?? 'unknown cpu'}, ${mem} GiB), node ${process.version}, load average at start ${load}, ${new Date().toISOString()}`;
}

/** The p-th percentile (nearest rank) of the values; NaN when there are none. */
export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length) - 1;
  return s[Math.min(s.length - 1, Math.max(0, rank))] ?? NaN;
}

/** The median of the values. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Milliseconds with a sensible number of decimals. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x < 10 ? `${x.toFixed(2)} ms` : x < 1000 ? `${x.toFixed(1)} ms` : `${(x / 1000).toFixed(2)} s`;
}

/** "median 3.1 ms, p90 5.0 ms, p99 9.2 ms, n=100" for a sample of durations. */
export function dist(values: number[]): string {
  return `median ${ms(median(values))}, p90 ${ms(pct(values, 90))}, p99 ${ms(pct(values, 99))}, max ${ms(Math.max(...values))}, n=${values.length}`;
}

/** A figure line against a target: "name: <dist>   [target ≤ 50 ms: met]". */
export function figure(name: string, values: number[], targetMs?: number): string {
  const verdict = targetMs === undefined ? '' : `   [target median ≤ ${targetMs} ms: ${median(values) <= targetMs ? 'met' : 'NOT met'}]`;
  return `${name}: ${values.length ? dist(values) : 'no samples'}${verdict}`;
}

/** Parses `--name value` / `--name=value` from argv; answers the fallback when absent. */
export function flag(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === `--${name}`) return argv[i + 1] ?? fallback;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return fallback;
}

/** True when `--name` is given. */
export function hasFlag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`);
}
