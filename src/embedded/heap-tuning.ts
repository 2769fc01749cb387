/**
 * V8 heap sizing for the long-running `tkt up` process. V8 lets the heap grow to several times its live size
 * between full collections (up to 4x, plus the young generation); the live heap of `tkt up` stays small and flat
 * (bounded caches, see docs/performance.md), so that headroom is what made its RSS large. A growing factor of 1.5
 * keeps the heap near its live size (261 → 273 MiB at 10,000 PipelineRuns against 1.3, bench:memory) without the
 * full collections that 1.3 cost under load (10–18 % of PipelineRun throughput in interleaved bench:pipelinerun
 * rounds). A value given on the command line or in NODE_OPTIONS wins.
 */
import v8 from 'node:v8';

/** The heap growing percent `tkt up` sets (factor 1 + 50/100). */
export const UP_HEAP_GROWING_PERCENT = 50;

/** Sets V8's heap growing factor for this process unless the user chose one. Answers whether it did. */
export function tuneHeapForServer(percent = UP_HEAP_GROWING_PERCENT): boolean {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /heap-growing-percent|optimize-for-size/.test(a));
  if (given) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
