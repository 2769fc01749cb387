/**
 * CPU time of each thread of this process (Linux /proc/self/task), to tell the main thread's share from the worker
 * threads', V8's GC helpers and libuv's pool: event-loop utilization counts wall time, which a busy machine inflates.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) per thread id, with the thread's name. */
export function threadCpu(): Map<number, { name: string; cpu: number }> {
  const out = new Map<number, { name: string; cpu: number }>();
  const tick = 100; // USER_HZ on Linux
  let tasks: string[] = [];
  try { tasks = readdirSync('/proc/self/task'); } catch { return out; }
  for (const t of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      out.set(Number(t), { name, cpu: (Number(f[11]) + Number(f[12])) / tick });
    } catch { /* the thread ended */ }
  }
  return out;
}

/** The threads that used CPU between two readings, most first: "name(tid) seconds". */
export function threadCpuDelta(a: Map<number, { name: string; cpu: number }>, b: Map<number, { name: string; cpu: number }>, per = 1): string {
  const rows: Array<[string, number]> = [];
  for (const [tid, x] of b) {
    const d = x.cpu - (a.get(tid)?.cpu ?? 0);
    if (d > 0.05) rows.push([`${tid === process.pid ? 'main' : x.name}`, d]);
  }
  const merged = new Map<string, number>();
  for (const [n, d] of rows) merged.set(n, (merged.get(n) ?? 0) + d);
  return [...merged].sort((x, y) => y[1] - x[1]).map(([n, d]) => `${n} ${((1000 * d) / per).toFixed(2)} ms`).join(', ');
}
