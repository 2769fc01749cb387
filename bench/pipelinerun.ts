/**
 * Control-plane benchmark of PipelineRuns (embedded stack in this process; times are store commit times).
 *   1. noop runtime, throughput: N PipelineRuns × 5 tasks (a sequential chain t1→…→t5 by default, `--shape dag`
 *      for t1 → t2,t3,t4 → t5), `--concurrency` runs in flight (closed loop). Prints TaskRuns/s overall and per
 *      tenth of the run, latency flatness (run duration, first vs last 100), the task hand-off (task A's pod
 *      Succeeded → task B's pod created) and PipelineRun created → first pod created under that load, and
 *      checks that every run Succeeded with exactly 5 TaskRuns and 5 Pods.
 *   2. noop runtime, open loop below capacity (`--rate` PipelineRuns/s): the same latencies under moderate load.
 *   3. noop runtime, one run in flight: the same hand-off and first-pod latencies without queueing.
 *   4. host runtime (bubblewrap), one run in flight, fewer runs: the same hand-off.
 * Run: npx tsx bench/pipelinerun.ts [--runs 1000] [--concurrency 12] [--shape chain|dag] [--solo-runs 100] [--rate 4] [--rate-runs 100]
 *        [--host-runs 10] [--memory] [--controller-thread] [--tmp-root DIR] [--workers N] [--skip-host] [--count-requests] [--profile | --profile-out F]
 */
import type { KubeObject } from '../src/api/types.js';
import type { ControllerConfig } from '../src/controller/config.js';
import type { ControllerStats } from '../src/controller/runtime/controller.js';
import { apply, closedLoop, NS, openLoop, pipeline, pipelineRun, task, taskNames } from './lib/objects.js';
import { Probe } from './lib/probe.js';
import { areaLine, startProfile } from './lib/profile.js';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { threadCpu, threadCpuDelta } from './lib/threads.js';
import { countRequests, requestReport } from './lib/requests.js';
import { figure, flag, hasFlag, machineLine, median, ms } from './lib/report.js';
import { startBenchStack, type BenchStack } from './lib/stack.js';
import { measureStoreFloor } from './lib/store-floor.js';

const RUNS = Number(flag('runs', '1000'));
// 12 runs in flight keeps both cores busy without a deep queue: at 50 the throughput is no higher (the process
// is saturated either way) and each hand-off waits behind the queue (~160 ms instead of ~30 ms).
const CONCURRENCY = Number(flag('concurrency', '12'));
const SOLO = Number(flag('solo-runs', '100'));
const RATE = Number(flag('rate', '4'));
const RATE_RUNS = Number(flag('rate-runs', '100'));
const HOST_RUNS = Number(flag('host-runs', '10'));
const SHAPE = flag('shape', 'chain') === 'dag' ? 'dag' : 'chain';
const TASKS = 5;
const MEMORY = hasFlag('memory');
const THREAD = hasFlag('controller-thread');
const TMP_ROOT = flag('tmp-root', '') || undefined;
const WORKERS = flag('workers', '');
const PROFILE = hasFlag('profile') ? 'true' : flag('profile-out', '');
const config: Partial<ControllerConfig> = WORKERS ? { workers: Number(WORKERS) } : {};

/** Edges (A, B) of the pipeline: B runs after A. */
function edges(): Array<[string, string]> {
  const n = taskNames(TASKS);
  if (SHAPE === 'chain') return n.slice(1).map((b, i) => [n[i] ?? '', b]);
  const mid = n.slice(1, -1);
  return [...mid.map((m): [string, string] => ['t1', m]), ...mid.map((m): [string, string] => [m, n[TASKS - 1] ?? ''])];
}

interface RunFigures { handoff: number[]; firstPod: number[]; duration: number[] }

/** Hand-offs, PipelineRun → first pod and durations of the runs named. */
function figures(probe: Probe, names: string[]): RunFigures {
  const out: RunFigures = { handoff: [], firstPod: [], duration: [] };
  for (const pr of names) {
    const t = probe.get('pipelinerun', pr);
    const first = probe.get('pod', `${pr}-t1-pod`).created;
    if (t.created !== undefined && first !== undefined) out.firstPod.push(first - t.created);
    if (t.created !== undefined && t.done !== undefined) out.duration.push(t.done - t.created);
    const byB = new Map<string, number>();
    for (const [a, b] of edges()) {
      const doneA = probe.get('pod', `${pr}-${a}-pod`).done;
      const createdB = probe.get('pod', `${pr}-${b}-pod`).created;
      if (doneA === undefined || createdB === undefined) continue;
      byB.set(b, Math.max(byB.get(b) ?? -Infinity, doneA));
      byB.set(`${b}:created`, createdB);
    }
    for (const [k, v] of byB) if (!k.includes(':')) out.handoff.push((byB.get(`${k}:created`) ?? NaN) - v);
  }
  return out;
}

/** Checks that every run Succeeded with exactly one Succeeded TaskRun and pod per task. */
function verify(stack: BenchStack, probe: Probe, names: string[]): string {
  const problems: string[] = [];
  for (const pr of names) {
    if (probe.get('pipelinerun', pr).outcome !== 'True') problems.push(`${pr} not Succeeded`);
    for (const t of taskNames(TASKS)) {
      if (probe.get('taskrun', `${pr}-${t}`).outcome !== 'True') problems.push(`${pr}-${t} not Succeeded`);
      if (probe.get('pod', `${pr}-${t}-pod`).outcome !== 'Succeeded') problems.push(`${pr}-${t}-pod not Succeeded`);
    }
  }
  const trs = stack.store.list('tekton.dev/taskruns', NS).filter((o) => names.includes(String(o.metadata.labels?.['tekton.dev/pipelineRun'])));
  const pods = stack.store.list('/pods', NS).filter((o) => names.includes(String(o.metadata.labels?.['tekton.dev/pipelineRun'])));
  if (trs.length !== names.length * TASKS) problems.push(`${trs.length} TaskRuns for ${names.length * TASKS} tasks`);
  if (pods.length !== names.length * TASKS) problems.push(`${pods.length} pods for ${names.length * TASKS} tasks`);
  return problems.length === 0 ? `all ${names.length} PipelineRuns Succeeded, ${trs.length} TaskRuns and ${pods.length} pods, nothing lost or doubled` : `PROBLEMS (${problems.length}): ${problems.slice(0, 5).join('; ')}`;
}

/** TaskRun completions per second in each tenth of the measured interval. */
function tenths(probe: Probe, names: string[], t0: number, t1: number): number[] {
  const span = (t1 - t0) / 10;
  const counts = new Array<number>(10).fill(0);
  for (const pr of names) {
    for (const t of taskNames(TASKS)) {
      const done = probe.get('taskrun', `${pr}-${t}`).done;
      if (done !== undefined) counts[Math.min(9, Math.floor((done - t0) / span))]! += 1;
    }
  }
  return counts.map((c) => c / (span / 1000));
}

async function setup(runtime: 'host' | 'noop'): Promise<{ stack: BenchStack; probe: Probe }> {
  const stack = await startBenchStack({ runtime, memory: MEMORY, tmpRoot: TMP_ROOT, controllerConfig: config, controllerThread: THREAD });
  const probe = new Probe(stack.store);
  await apply(stack.client, [task('bench-step', 1, () => '#!/bin/sh\ntrue\n'), pipeline('bench', 'bench-step', TASKS, SHAPE)]);
  return { stack, probe };
}

function printHandoffs(label: string, f: RunFigures): void {
  console.log(figure(`  ${label} task hand-off (A's pod Succeeded → B's pod created)`, f.handoff, 50));
  console.log(figure(`  ${label} PipelineRun created → first pod created`, f.firstPod, 50));
  console.log(figure(`  ${label} PipelineRun duration (created → Succeeded)`, f.duration));
}

interface LoadResult { names: string[]; wall: number; cpu: NodeJS.CpuUsage; areas?: Map<string, number>; stats: Record<string, ControllerStats>; utilization: { main: number; controllers?: number }; threads: string }

/** PipelineRuns of the warm-up before the measured closed loop. */
const WARM_RUNS = 20;

/** Runs the measured closed loop (after a warm-up), with CPU accounting and, with `--profile`, a CPU profile. */
async function load(stack: BenchStack, probe: Probe): Promise<LoadResult> {
  await closedLoop(stack.client, probe, 'pipelinerun', WARM_RUNS, 10, (i) => pipelineRun(`warm-${i}`, 'bench'));
  const names = Array.from({ length: RUNS }, (_, i) => `load-${i}`);
  const profile = PROFILE ? await startProfile() : undefined;
  const cpu0 = process.cpuUsage();
  const stats0 = await stack.refreshStats();
  const elu0 = stack.utilization();
  const threads0 = threadCpu();
  const wall = await closedLoop(stack.client, probe, 'pipelinerun', RUNS, CONCURRENCY, (i) => pipelineRun(names[i] ?? '', 'bench'));
  const cpu = process.cpuUsage(cpu0);
  const elu1 = stack.utilization();
  const threads = threadCpuDelta(threads0, threadCpu(), RUNS * TASKS);
  const busy = (a: EventLoopUtilization, b?: EventLoopUtilization): number => (b ? performance.eventLoopUtilization(a, b).utilization : NaN);
  const utilization = { main: busy(elu1.main, elu0.main), ...(elu1.controllers ? { controllers: busy(elu1.controllers, elu0.controllers) } : {}) };
  const areas = await profile?.stop(PROFILE === 'true' ? undefined : PROFILE);
  const stats = await stack.refreshStats();
  for (const [k, v] of Object.entries(stats)) {
    const before = stats0[k];
    if (before) for (const f of Object.keys(v) as Array<keyof ControllerStats>) v[f] -= before[f];
  }
  return { names, wall, cpu, stats, utilization, threads, ...(areas ? { areas } : {}) };
}

function reportLoad(stack: BenchStack, probe: Probe, r: LoadResult): void {
  const { names } = r;
  const t0 = Math.min(...names.map((n) => probe.get('pipelinerun', n).created ?? Infinity));
  const t1 = Math.max(...names.map((n) => probe.get('pipelinerun', n).done ?? -Infinity));
  const rate = (RUNS * TASKS) / ((t1 - t0) / 1000);
  console.log(`noop runtime, ${RUNS} PipelineRuns × ${TASKS} tasks (${SHAPE}), ${CONCURRENCY} in flight, ${stack.store.backend} store, ${config.workers ?? 'default'} workers:`);
  console.log(`  ${verify(stack, probe, names)}`);
  console.log(`  throughput: ${rate.toFixed(0)} TaskRuns/s (${(RUNS / (r.wall / 1000)).toFixed(1)} PipelineRuns/s, wall ${ms(r.wall)})   [target ≥ 500/s (DESIGN.md, issue 19): ${rate >= 500 ? 'met' : 'NOT met'}]`);
  const cpuPerTr = (r.cpu.user + r.cpu.system) / 1000 / (RUNS * TASKS);
  const u = r.utilization;
  console.log(`  event loops busy: main thread ${(100 * u.main).toFixed(0)} % (${ms(u.main * r.wall / (RUNS * TASKS))} per TaskRun)${u.controllers === undefined ? '' : `, controller thread ${(100 * u.controllers).toFixed(0)} % (${ms(u.controllers * r.wall / (RUNS * TASKS))} per TaskRun)`}`);
  console.log(`  CPU per TaskRun by thread: ${r.threads}`);
  console.log(`  CPU of this process: ${ms(cpuPerTr)} per TaskRun (user ${(r.cpu.user / 1e6).toFixed(1)} s, system ${(r.cpu.system / 1e6).toFixed(1)} s) → ≈ ${(1000 / cpuPerTr).toFixed(0)} TaskRuns/s if it had one core to itself`);
  if (r.areas) console.log(`  where the time goes (profile shares × CPU per TaskRun): ${areaLine(r.areas, cpuPerTr, 'TaskRun')}`);
  const trs = RUNS * TASKS;
  console.log(`  reconciles: ${Object.entries(r.stats).map(([k, v]) => `${k} ${(v.reconciles / trs).toFixed(2)}/TaskRun (${v.conflicts} conflicts, ${v.failures} failures, ${(v.busyMs / r.wall).toFixed(1)} workers busy on average)`).join(', ')}`);
  const per = tenths(probe, names, t0, t1);
  console.log(`  TaskRuns/s per tenth of the run: ${per.map((x) => x.toFixed(0)).join(' ')} (min ${Math.min(...per).toFixed(0)}, ignoring the ramp-down tenth: ${Math.min(...per.slice(0, 9)).toFixed(0)})`);
  const first = figures(probe, names.slice(0, 100)).duration;
  const last = figures(probe, names.slice(-100)).duration;
  console.log(`  flatness: run duration median first 100 ${ms(median(first))}, last 100 ${ms(median(last))}, ratio last/first ${(median(last) / median(first)).toFixed(2)}`);
  const tenth = Math.max(1, Math.floor(names.length / 10));
  const byTenth = Array.from({ length: Math.ceil(names.length / tenth) }, (_, k) => median(figures(probe, names.slice(k * tenth, (k + 1) * tenth)).duration));
  console.log(`  run duration median per tenth of the runs (creation order): ${byTenth.map((x) => (x / 1000).toFixed(2)).join(' ')} s`);
  printHandoffs('under load:', figures(probe, names));
  if (hasFlag('count-requests')) console.log(['  API requests (CRUD, all clients in the process):', ...requestReport(RUNS * TASKS + 100, 'TaskRun')].join('\n'));
  console.log(`  store writes: ${[...probe.writes].map(([res, n]) => `${res || 'core'} ${n}`).join(', ')}`);
  const floor = storeFloor(stack, probe);
  console.log(`  floor, the store alone (the run's write mix, ${floor.writesPerTaskRun.toFixed(2)} writes per TaskRun, in transactions of 8, same backend): ${floor.writesPerSecond.toFixed(0)} writes/s ≈ ${floor.taskRunsPerSecond.toFixed(0)} TaskRuns/s; throughput is ${(100 * rate / floor.taskRunsPerSecond).toFixed(0)} % of it   [issue 19 goal ≥ 500 TaskRuns/s: ${rate >= 500 ? 'met' : 'NOT met'}]`);
}

/** The store's ceiling for the write mix just measured (bench/lib/store-floor.ts). */
function storeFloor(stack: BenchStack, probe: Probe): ReturnType<typeof measureStoreFloor> {
  const samples = new Map<string, KubeObject>();
  const objects = new Map<string, number>();
  for (const res of probe.writes.keys()) {
    const all = stack.store.list(res);
    objects.set(res, all.length);
    const sample = all[all.length - 1];
    if (sample) samples.set(res, sample);
  }
  return measureStoreFloor(probe.writes, objects, samples, (RUNS + WARM_RUNS) * TASKS, { sqlite: stack.store.backend === 'sqlite' });
}

async function throughput(): Promise<void> {
  const { stack, probe } = await setup('noop');
  try {
    reportLoad(stack, probe, await load(stack, probe));
    if (RATE_RUNS > 0) await paced(stack, probe);
    if (SOLO > 0) await solo(stack, probe, 'noop', SOLO);
  } finally {
    probe.close();
    await stack.stop();
  }
}

/** Open loop below capacity: PipelineRuns arrive at --rate per second whatever the completions. */
async function paced(stack: BenchStack, probe: Probe): Promise<void> {
  const names = Array.from({ length: RATE_RUNS }, (_, i) => `paced-${i}`);
  const cpu0 = process.cpuUsage();
  const wall = await openLoop(stack.client, probe, 'pipelinerun', RATE_RUNS, RATE, (i) => pipelineRun(names[i] ?? '', 'bench'));
  const cpu = process.cpuUsage(cpu0);
  const busy = (cpu.user + cpu.system) / 1000 / wall;
  console.log(`noop runtime, ${RATE_RUNS} PipelineRuns arriving at ${RATE}/s (${RATE * TASKS} TaskRuns/s offered; process CPU ${(100 * busy).toFixed(0)}% of one core): ${verify(stack, probe, names)}`);
  printHandoffs(`at ${RATE}/s:`, figures(probe, names));
}

async function solo(stack: BenchStack, probe: Probe, runtime: string, n: number): Promise<void> {
  const names = Array.from({ length: n }, (_, i) => `solo-${runtime}-${i}`);
  await closedLoop(stack.client, probe, 'pipelinerun', n, 1, (i) => pipelineRun(names[i] ?? '', 'bench'));
  console.log(`${runtime} runtime, ${n} PipelineRuns one at a time (${SHAPE}): ${verify(stack, probe, names)}`);
  printHandoffs('1 in flight:', figures(probe, names));
}

async function host(): Promise<void> {
  const { stack, probe } = await setup('host');
  try {
    await closedLoop(stack.client, probe, 'pipelinerun', 2, 1, (i) => pipelineRun(`warm-host-${i}`, 'bench'));
    await solo(stack, probe, 'host', HOST_RUNS);
  } finally {
    probe.close();
    await stack.stop();
  }
}

console.log(machineLine());
if (hasFlag('count-requests')) countRequests();
await throughput();
if (!hasFlag('skip-host')) await host();
