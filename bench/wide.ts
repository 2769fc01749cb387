/**
 * Wide pipelines (noop runtime, embedded stack in this process): one PipelineRun of N independent tasks.
 *   1. completion: time until every TaskRun is created, and until the PipelineRun is done (Succeeded);
 *   2. pipeline timeout: the same width with `timeouts.pipeline` shorter than the run needs; how long after the
 *      deadline the PipelineRun is done (PipelineRunTimeout), target ≤ 2 s;
 *   3. cancellation (what `tkt run --timeout` does): spec.status=Cancelled patched mid-run; how long until done.
 * Run: npx tsx bench/wide.ts [--tasks 5000] [--timeout-tasks 2000] [--timeout 3s] [--memory] [--profile-out F]
 *      [--profile-cancel F] (the cancellation phase alone) [--cancel-after S] [--skip-completion] [--skip-timeout]
 */
import type { KubeObject } from '../src/api/types.js';
import type { Store } from '../src/embedded/apiserver/index.js';
import { apply, NS, task } from './lib/objects.js';
import { startProfile } from './lib/profile.js';
import { flag, hasFlag, machineLine } from './lib/report.js';
import { startBenchStack, type BenchStack } from './lib/stack.js';

const TASKS = Number(flag('tasks', '5000'));
const TIMEOUT_TASKS = Number(flag('timeout-tasks', '2000'));
const TIMEOUT = flag('timeout', '3s');
const MEMORY = hasFlag('memory');
const PROFILE = flag('profile-out', '');
/** A CPU profile of the cancellation phase alone (from the patch until the run is done). */
const CANCEL_PROFILE = flag('profile-cancel', '');
/** When the cancellation phase patches its run (`--cancel-after 1.5` seconds after creating it). */
const CANCEL_AFTER_MS = Number(flag('cancel-after', '1.5')) * 1000;

function widePipeline(name: string, n: number): KubeObject {
  const tasks = Array.from({ length: n }, (_, i) => ({ name: `t${i + 1}`, taskRef: { name: 'wide-step' } }));
  return { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name, namespace: NS }, spec: { tasks } } as KubeObject;
}

function run(name: string, pipeline: string, timeout?: string): KubeObject {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, namespace: NS },
    spec: { pipelineRef: { name: pipeline }, ...(timeout ? { timeouts: { pipeline: timeout } } : {}) },
  } as KubeObject;
}

interface Watch { allCreated?: number; done?: number; reason?: string; taskRuns: number; prWrites: number; prBytes?: number }

/** Follows the store: TaskRuns of `pr` created, and the moment the PipelineRun's Succeeded condition is final. */
function follow(store: Store, pr: string, n: number): { w: Watch; finished: Promise<void> } {
  const w: Watch = { taskRuns: 0, prWrites: 0 };
  const seen = new Set<string>();
  let resolve: () => void = () => undefined;
  const finished = new Promise<void>((r) => (resolve = r));
  const off = store.subscribe((ev) => {
    const o = ev.object;
    if (o.kind === 'TaskRun' && o.metadata.labels?.['tekton.dev/pipelineRun'] === pr && !seen.has(o.metadata.name ?? '')) {
      seen.add(o.metadata.name ?? '');
      w.taskRuns = seen.size;
      if (seen.size === n) w.allCreated = performance.now();
    }
    if (o.kind === 'PipelineRun' && o.metadata.name === pr && w.done === undefined) {
      w.prWrites++;
      const c = (o.status as { conditions?: { type: string; status: string; reason?: string }[] } | undefined)?.conditions?.find((x) => x.type === 'Succeeded');
      if (c && c.status !== 'Unknown') {
        w.done = performance.now();
        w.reason = c.reason;
        w.prBytes = JSON.stringify(o).length;
        off();
        resolve();
      }
    }
  });
  return { w, finished };
}

async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let t: NodeJS.Timeout | undefined;
  const r = await Promise.race([p.then(() => true), new Promise<boolean>((res) => (t = setTimeout(() => res(false), ms)))]);
  clearTimeout(t);
  return r;
}

const s = (x: number | undefined): string => (x === undefined ? 'never' : `${(x / 1000).toFixed(2)} s`);

async function completion(stack: BenchStack): Promise<void> {
  await apply(stack.client, [widePipeline('wide', TASKS)]);
  const f = follow(stack.store, 'wide-run', TASKS);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await stack.client.create(run('wide-run', 'wide'));
  const ok = await within(f.finished, 180_000);
  const cpu = process.cpuUsage(cpu0);
  console.log(`${TASKS} tasks: all TaskRuns created after ${s(f.w.allCreated && f.w.allCreated - t0)}, PipelineRun done after ${s(f.w.done && f.w.done - t0)} (${ok ? f.w.reason : `not done, ${f.w.taskRuns} TaskRuns`}); target well under 60 s`);
  console.log(`  CPU of this process until done: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${((cpu.user + cpu.system) / 1000 / TASKS).toFixed(2)} ms per TaskRun); PipelineRun writes: ${f.w.prWrites} (final object ${((f.w.prBytes ?? 0) / 1e6).toFixed(2)} MB of JSON)`);
}

async function timeout(stack: BenchStack): Promise<void> {
  await apply(stack.client, [widePipeline('wide-t', TIMEOUT_TASKS)]);
  const f = follow(stack.store, 'wide-t-run', TIMEOUT_TASKS);
  const t0 = performance.now();
  await stack.client.create(run('wide-t-run', 'wide-t', TIMEOUT));
  const deadline = t0 + (TIMEOUT.endsWith('ms') ? Number(TIMEOUT.slice(0, -2)) : Number(TIMEOUT.slice(0, -1)) * 1000);
  await within(f.finished, 120_000);
  const failedTr = stack.store.list('tekton.dev/taskruns', NS).find((o) => (o.status as { conditions?: { status: string }[] } | undefined)?.conditions?.[0]?.status === 'False' && !String(JSON.stringify(o.status)).includes('Cancel'));
  if (failedTr) console.log(`a TaskRun failed: ${JSON.stringify((failedTr.status as { conditions?: unknown[] }).conditions)}`);
  console.log(`${TIMEOUT_TASKS} tasks, timeouts.pipeline ${TIMEOUT}: done ${s(f.w.done && f.w.done - deadline)} after the deadline (${f.w.reason ?? 'not done'}, ${f.w.taskRuns} TaskRuns); target ≤ 2 s`);
}

async function cancel(stack: BenchStack): Promise<void> {
  await apply(stack.client, [widePipeline('wide-t', TIMEOUT_TASKS)]);
  const f = follow(stack.store, 'wide-c-run', TIMEOUT_TASKS);
  await stack.client.create(run('wide-c-run', 'wide-t'));
  await new Promise((r) => setTimeout(r, CANCEL_AFTER_MS));
  const profile = CANCEL_PROFILE ? await startProfile() : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await stack.client.patch({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, NS, 'wide-c-run', { spec: { status: 'Cancelled' } });
  await within(f.finished, 120_000);
  const cpu = process.cpuUsage(cpu0);
  if (profile) await profile.stop(CANCEL_PROFILE);
  console.log(`${TIMEOUT_TASKS} tasks, cancelled ${CANCEL_AFTER_MS / 1000} s in: done ${s(f.w.done && f.w.done - t0)} after the patch (${f.w.reason ?? 'not done'}, ${f.w.taskRuns} TaskRuns; CPU of this process meanwhile ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s); target ≤ 2 s`);
}

async function main(): Promise<void> {
  console.log(machineLine());
  const profile = PROFILE ? await startProfile() : undefined;
  const stack = await startBenchStack({ runtime: 'noop', memory: MEMORY });
  try {
    await apply(stack.client, [task('wide-step', 1, () => 'true')]);
    if (!hasFlag('skip-completion')) await completion(stack);
    if (hasFlag('stats')) console.log(JSON.stringify(stack.stats()));
    if (!hasFlag('skip-timeout')) await timeout(stack);
    if (!hasFlag('skip-cancel')) await cancel(stack);
  } finally {
    await stack.stop();
    if (profile) await profile.stop(PROFILE);
  }
}

await main();
