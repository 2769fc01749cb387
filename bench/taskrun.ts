/**
 * Control-plane benchmark of TaskRuns (embedded stack in this process; times are store commit times taken with
 * performance.now()).
 *   1. noop runtime: TaskRun created → pod created, one TaskRun in flight, then `--concurrency` in flight.
 *   2. host runtime (bubblewrap): step hand-off in a 5-step TaskRun. Each step prints $EPOCHREALTIME as its first
 *      and last action (bash builtin, no fork). Two figures per hand-off i → i+1: the step helper's StartedAt of
 *      step i+1 (ms resolution, written right after its wait ends) minus step i's last print (helper hand-off),
 *      and step i+1's first print minus step i's last print (command to command, includes exec of bash).
 *   3. host runtime: a one-step TaskRun end to end (created → Succeeded), split at pod created and pod Succeeded.
 * Run: npx tsx bench/taskrun.ts [--runs 200] [--concurrency 20] [--host-runs 10] [--memory] [--tmp-root DIR] [--skip-host]
 */
import type { Pod } from '../src/api/types.js';
import { parseTerminationMessage } from '../src/engine/taskrun/termination.js';
import { apply, closedLoop, NS, task, taskRun } from './lib/objects.js';
import { Probe } from './lib/probe.js';
import { figure, flag, hasFlag, machineLine } from './lib/report.js';
import { startBenchStack, type BenchStack } from './lib/stack.js';

const RUNS = Number(flag('runs', '200'));
const CONCURRENCY = Number(flag('concurrency', '20'));
const HOST_RUNS = Number(flag('host-runs', '10'));
const MEMORY = hasFlag('memory');
const TMP_ROOT = flag('tmp-root', '') || undefined;
const STEPS = 5;

function createdToPod(probe: Probe, names: string[]): number[] {
  const out: number[] = [];
  for (const n of names) {
    const created = probe.get('taskrun', n).created;
    const pod = probe.get('pod', `${n}-pod`).created;
    if (created !== undefined && pod !== undefined) out.push(pod - created);
  }
  return out;
}

async function noop(): Promise<void> {
  const stack = await startBenchStack({ runtime: 'noop', memory: MEMORY });
  const probe = new Probe(stack.store);
  try {
    await apply(stack.client, [task('one-step', 1, () => '#!/bin/sh\ntrue\n')]);
    await closedLoop(stack.client, probe, 'taskrun', 20, 4, (i) => taskRun(`warm-${i}`, 'one-step'));
    const solo = Array.from({ length: RUNS }, (_, i) => `solo-${i}`);
    await closedLoop(stack.client, probe, 'taskrun', RUNS, 1, (i) => taskRun(solo[i] ?? '', 'one-step'));
    const loaded = Array.from({ length: RUNS }, (_, i) => `load-${i}`);
    await closedLoop(stack.client, probe, 'taskrun', RUNS, CONCURRENCY, (i) => taskRun(loaded[i] ?? '', 'one-step'));
    const ok = [...solo, ...loaded].filter((n) => probe.get('taskrun', n).outcome === 'True').length;
    console.log(`noop runtime, ${stack.store.backend} store, taskRef to a 1-step Task: ${ok}/${2 * RUNS} TaskRuns Succeeded`);
    console.log(figure('  TaskRun created → pod created, 1 in flight', createdToPod(probe, solo), 50));
    console.log(figure(`  TaskRun created → pod created, ${CONCURRENCY} in flight`, createdToPod(probe, loaded), 50));
  } finally {
    probe.close();
    await stack.stop();
  }
}

/** Epoch milliseconds printed by a step ("start 1700000000.123456"). */
function printed(log: string, what: 'start' | 'end'): number {
  const m = new RegExp(`^${what} (\\d+)[.,](\\d+)$`, 'm').exec(log);
  return m ? Number(m[1]) * 1000 + Number(`0.${m[2]}`) * 1000 : NaN;
}

/** Hand-offs of one finished 5-step pod: [helper, command-to-command] samples. */
async function handoffs(stack: BenchStack, podName: string): Promise<[number[], number[]]> {
  const pod = (await stack.client.get<Pod>({ apiVersion: 'v1', kind: 'Pod' }, NS, podName));
  const helper: number[] = [];
  const command: number[] = [];
  let prevEnd = NaN;
  for (let i = 1; i <= STEPS; i++) {
    const container = `step-s${i}`;
    const log = await stack.client.podLog(NS, podName, { container });
    const term = pod.status?.containerStatuses?.find((c) => c.name === container)?.state?.terminated?.message ?? '';
    const startedAt = Date.parse(parseTerminationMessage(term)?.find((e) => e.key === 'StartedAt')?.value ?? '');
    if (i > 1) {
      helper.push(startedAt - prevEnd);
      command.push(printed(log, 'start') - prevEnd);
    }
    prevEnd = printed(log, 'end');
  }
  return [helper, command];
}

async function host(): Promise<void> {
  const stack = await startBenchStack({ runtime: 'host', memory: MEMORY });
  const probe = new Probe(stack.store);
  const script = (): string => '#!/bin/bash\necho "start $EPOCHREALTIME"\necho "end $EPOCHREALTIME"\n';
  try {
    await apply(stack.client, [task('five-steps', STEPS, script), task('one-step', 1, () => '#!/bin/sh\ntrue\n')]);
    await closedLoop(stack.client, probe, 'taskrun', 2, 1, (i) => taskRun(`warm-host-${i}`, 'five-steps'));
    const five = Array.from({ length: HOST_RUNS }, (_, i) => `five-${i}`);
    await closedLoop(stack.client, probe, 'taskrun', HOST_RUNS, 1, (i) => taskRun(five[i] ?? '', 'five-steps'));
    const helper: number[] = [];
    const command: number[] = [];
    for (const n of five) {
      const [h, c] = await handoffs(stack, `${n}-pod`);
      helper.push(...h.filter(Number.isFinite));
      command.push(...c.filter(Number.isFinite));
    }
    console.log(`host runtime (bubblewrap), ${HOST_RUNS} TaskRuns of ${STEPS} steps, one at a time:`);
    console.log(figure('  step hand-off, step i last print → helper StartedAt of step i+1 (ms resolution)', helper, 10));
    console.log(figure('  step hand-off, step i last print → step i+1 first print (includes exec of bash)', command, 10));
    await endToEnd(stack, probe);
  } finally {
    probe.close();
    await stack.stop();
  }
}

async function endToEnd(stack: BenchStack, probe: Probe): Promise<void> {
  const names = Array.from({ length: HOST_RUNS }, (_, i) => `one-${i}`);
  await closedLoop(stack.client, probe, 'taskrun', HOST_RUNS, 1, (i) => taskRun(names[i] ?? '', 'one-step'));
  const total: number[] = [];
  const toPod: number[] = [];
  const inPod: number[] = [];
  const back: number[] = [];
  for (const n of names) {
    const tr = probe.get('taskrun', n);
    const pod = probe.get('pod', `${n}-pod`);
    if (tr.created === undefined || tr.done === undefined || pod.created === undefined || pod.done === undefined) continue;
    total.push(tr.done - tr.created);
    toPod.push(pod.created - tr.created);
    inPod.push(pod.done - pod.created);
    back.push(tr.done - pod.done);
  }
  console.log(`host runtime, ${HOST_RUNS} one-step TaskRuns (\`true\`), one at a time:`);
  console.log(figure('  end to end, TaskRun created → Succeeded', total));
  console.log(figure('    TaskRun created → pod created', toPod));
  console.log(figure('    pod created → pod Succeeded (kubelet, sandbox, step)', inPod));
  console.log(figure('    pod Succeeded → TaskRun Succeeded', back));
}

console.log(machineLine());
await noop();
if (!hasFlag('skip-host')) await host();
