/**
 * Benchmark: validate + plan of very large Pipelines (DESIGN.md target: a 5,000-task Pipeline validates and
 * schedules in < 1 s). Shapes: "wide" (every task independent) and "deep" (a chain where each task consumes
 * the previous one's result). For each: validateObject(Pipeline) + planPipelineRun at start (no TaskRuns), and
 * planPipelineRun mid-run (half the tasks finished with results). Prints medians of several runs, the
 * 1k→5k ratio and the machine. Run: npx tsx bench/dag.ts
 */
import os from 'node:os';
import type { Pipeline, PipelineRun, PipelineSpec, PipelineTask, TaskRun } from '../src/api/types.js';
import { validateObject } from '../src/api/validate/index.js';
import { planPipelineRun } from '../src/engine/pipelinerun/index.js';
import type { TaskEntry } from '../src/engine/pipelinerun/index.js';

type Shape = 'wide' | 'deep';
const RUNS = 7;
const config = { defaultTimeoutMinutes: 60, maxMatrixCombinations: 256, managedByLabel: 'tekton-pipelines' };
const taskSpec = { params: [{ name: 'in', default: '' }], results: [{ name: 'out' }], steps: [{ name: 's', image: 'busybox', script: 'echo $(params.in)' }] };

function pipelineTask(i: number, shape: Shape): PipelineTask {
  const pt: PipelineTask = { name: `t${i}`, taskRef: { name: 'echo' }, params: [{ name: 'in', value: '$(params.greeting)' }] };
  if (shape === 'deep' && i > 0) pt.params = [{ name: 'in', value: `$(tasks.t${i - 1}.results.out)` }];
  return pt;
}

function pipelineOf(n: number, shape: Shape): Pipeline {
  const spec: PipelineSpec = {
    params: [{ name: 'greeting', default: 'hello' }],
    tasks: Array.from({ length: n }, (_, i) => pipelineTask(i, shape)),
    finally: [{ name: 'report', taskRef: { name: 'echo' }, params: [{ name: 'in', value: '$(tasks.status)' }] }],
  };
  return { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: `p-${shape}-${n}`, namespace: 'default' }, spec };
}

const pr: PipelineRun = {
  apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
  metadata: { name: 'bench', namespace: 'default', uid: 'uid-bench' }, spec: { pipelineRef: { name: 'p' } },
  status: { startTime: '2025-01-01T00:00:00Z' },
};

function entries(spec: PipelineSpec): Map<string, TaskEntry> {
  const out = new Map<string, TaskEntry>();
  for (const pt of [...(spec.tasks ?? []), ...(spec.finally ?? [])]) out.set(pt.name, { spec: taskSpec, taskName: 'echo', kind: 'Task' });
  return out;
}

/** Half the tasks finished (with a result), the next ones running, as a mid-run reconcile sees them. */
function halfDone(spec: PipelineSpec, shape: Shape): TaskRun[] {
  const n = spec.tasks?.length ?? 0;
  const started = shape === 'wide' ? n : n / 2 + 1;
  return (spec.tasks ?? []).slice(0, started).map((pt, i) => ({
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
    metadata: { name: `bench-${pt.name}`, labels: { 'tekton.dev/pipelineTask': pt.name } },
    spec: {},
    status: i < n / 2
      ? { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }], results: [{ name: 'out', value: `v${i}` }] }
      : { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] },
  }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function measure(n: number, shape: Shape): { start: number; mid: number; created: number } {
  const starts: number[] = [];
  const mids: number[] = [];
  let created = 0;
  const taskRuns = halfDone(pipelineOf(n, shape).spec, shape);
  for (let r = 0; r < RUNS; r++) {
    const pipeline = pipelineOf(n, shape);
    const facts = { pipelineRun: pr, pipelineName: pipeline.metadata.name, pipelineSpec: pipeline.spec, tasks: entries(pipeline.spec), now: new Date('2025-01-01T00:01:00Z'), config };
    starts.push(time(() => {
      const v = validateObject(pipeline);
      if (!v.ok) throw new Error(`invalid bench pipeline: ${JSON.stringify(v.errors.slice(0, 3))}`);
      created = planPipelineRun({ ...facts, taskRuns: [] }).actions.length;
    }));
    mids.push(time(() => planPipelineRun({ ...facts, taskRuns })));
  }
  return { start: median(starts), mid: median(mids), created };
}

function main(): void {
  console.log(`machine: ${os.hostname()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`median of ${RUNS} runs; "start" = validateObject(Pipeline) + planPipelineRun with no TaskRuns; "mid" = plan with half the tasks done`);
  for (const shape of ['wide', 'deep'] as const) {
    const small = measure(1000, shape);
    const large = measure(5000, shape);
    for (const [n, m] of [[1000, small], [5000, large]] as const) {
      console.log(`${shape.padEnd(4)} ${String(n).padStart(5)} tasks: start ${m.start.toFixed(1).padStart(7)} ms (${m.created} TaskRuns planned), mid ${m.mid.toFixed(1).padStart(7)} ms`);
    }
    console.log(`${shape.padEnd(4)} 1k→5k ratio: start ×${(large.start / small.start).toFixed(2)}, mid ×${(large.mid / small.mid).toFixed(2)} (linear = ×5)`);
  }
}

main();
