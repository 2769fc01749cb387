/**
 * bench:memory — what a long-running `tkt up` costs in memory as finished runs pile up (issue 19's goal: ≤ 300 MB
 * RSS with 10,000 PipelineRuns + 50,000 TaskRuns kept, flat in the number of runs beyond the caches' bound).
 * Starts a real `tkt up --runtime noop` process, creates PipelineRuns of 5 chained tasks (closed loop), and at each
 * checkpoint waits for every run to finish, lets the process settle, and prints its RSS together with the latency
 * of `kubectl get pipelineruns` and `tkt pr list` (medians of 3).
 * Run: npx tsx bench/memory.ts [--runs 10000] [--checkpoints 1000,5000,10000] [--concurrency 16] [--tmp-root DIR]
 *        [--settle-ms 3000] (idle time before RSS is read at each checkpoint)
 *        [--node-flags '--max-semi-space-size=2'] (flags for the `tkt up` process)
 *        [--heap-snapshot DIR] (writes a V8 heap snapshot of `tkt up` at the end into DIR, for finding what grows)
 * The CLI bundle is built first (scripts/build-cli.mjs), so that `tkt up` runs the code users run: with a bundle
 * older than the sources bin/tkt.js would run the sources through tsx, ~30–40 MiB more.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../src/api/types.js';
import { KubeClient, loadKubeConfig } from '../src/kube/client.js';
import { apply, NS, pipeline, pipelineRun, task } from './lib/objects.js';
import { flag, machineLine, median } from './lib/report.js';

const run = promisify(execFile);
const RUNS = Number(flag('runs', '10000'));
const CHECKPOINTS = flag('checkpoints', '1000,5000,10000').split(',').map(Number).filter((n) => n > 0 && n <= RUNS);
const CONCURRENCY = Number(flag('concurrency', '16'));
/** How long the process settles, idle, after a checkpoint's runs finished before its RSS is read. */
const SETTLE_MS = Number(flag('settle-ms', '3000'));
const root = join(import.meta.dirname, '..');
const tkt = join(root, 'bin', 'tkt.js');

/** A probe loaded into `tkt up` (--import): writes process.memoryUsage() to a file every second. */
const probe = (file: string): string => `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs'; setInterval(() => writeFileSync(${JSON.stringify(file)}, JSON.stringify(process.memoryUsage())), 1000).unref();`)}`;

/** "heap 40/80 MiB, external 5 MiB" from the probe's latest reading. */
function heapLine(file: string): string {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage;
    const mib = (x: number): string => (x / 2 ** 20).toFixed(0);
    return `heap ${mib(m.heapUsed)}/${mib(m.heapTotal)}, ext ${mib(m.external)}`;
  } catch {
    return 'heap n/a';
  }
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run(cmd, args, { env, maxBuffer: 1 << 30 });
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main(): Promise<void> {
  console.log(machineLine());
  await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { maxBuffer: 1 << 26 });
  console.log('tkt up runs the CLI bundle (dist/bundle, rebuilt now)');
  const dataDir = mkdtempSync(join(flag('tmp-root', '') || tmpdir(), 'tkt-bench-mem-'));
  const snapshotDir = flag('heap-snapshot', '');
  const probeFile = join(dataDir, 'memory-usage.json');
  const nodeFlags = flag('node-flags', '').split(' ').filter(Boolean);
  const up = spawn(process.execPath, [...nodeFlags, '--import', probe(probeFile), ...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2'] : []), tkt, 'up', '--runtime', 'noop', '--data-dir', dataDir, '--no-event-listeners'], {
    stdio: ['ignore', 'pipe', 'pipe'], ...(snapshotDir ? { cwd: snapshotDir } : {}),
  });
  up.stderr.resume();
  up.stdout.resume();
  const kubeconfig = join(dataDir, 'kubeconfig');
  for (let i = 0; i < 300 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  const client = new KubeClient(loadKubeConfig({ kubeconfig }));
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`tkt up (pid ${up.pid}) empty: ${rssMiB(up.pid ?? 0).toFixed(0)} MiB RSS, ${heapLine(probeFile)}`);

  await apply(client, [task('mem-step', 1, () => 'true'), pipeline('mem-pipe', 'mem-step', 5, 'chain')]);
  let done = 0;
  const waiting = new Map<string, () => void>();
  const finished = new Set<string>();
  const stopWatch = await client.watch<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(
    { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, NS, {},
    (_type, pr) => {
      const name = pr.metadata.name ?? '';
      const c = pr.status?.conditions?.find((x) => x.type === 'Succeeded');
      if (!c || c.status === 'Unknown' || finished.has(name)) return;
      finished.add(name);
      done++;
      waiting.get(name)?.();
    }, () => undefined);

  let next = 0;
  const t0 = performance.now();
  console.log('runs\tTaskRuns\tRSS MiB\tV8 MiB (used/total)\tkubectl get pr\ttkt pr list\telapsed');
  for (const checkpoint of CHECKPOINTS) {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < checkpoint) {
        const name = `mem-${next++}`;
        const finishedOne = new Promise<void>((resolve) => waiting.set(name, resolve));
        await client.create(pipelineRun(name, 'mem-pipe'));
        if (!finished.has(name)) await finishedOne;
        waiting.delete(name);
      }
    }));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const rss = rssMiB(up.pid ?? 0);
    const heap = heapLine(probeFile);
    const kubectlMs = await timed('kubectl', ['get', 'pipelineruns', '-n', NS, '--no-headers'], env);
    const tktMs = await timed(process.execPath, [tkt, 'pr', 'list', '-n', NS], env);
    console.log(`${checkpoint}\t${checkpoint * 5}\t${rss.toFixed(0)}\t${heap}\t${kubectlMs.toFixed(0)} ms\t${tktMs.toFixed(0)} ms\t${((performance.now() - t0) / 1000).toFixed(0)} s (${done} done)`);
  }
  stopWatch();
  if (snapshotDir) {
    up.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 20_000));
    console.log(`heap snapshot written into ${snapshotDir}`);
  }
  up.kill('SIGTERM');
  await new Promise((r) => up.once('exit', r));
  if (!process.argv.includes('--keep')) rmSync(dataDir, { recursive: true, force: true });
}

await main();
