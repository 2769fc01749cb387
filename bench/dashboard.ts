/**
 * bench:dashboard — the web dashboard with many finished runs stored (issue 18: the runs page answers in under
 * 300 ms with 10,000 runs, and the browser stays responsive). Starts a real `tkt up --runtime noop
 * --no-controllers --no-dashboard` (SQLite store), writes N finished PipelineRuns with one finished TaskRun each
 * (create + status, as the controller would leave them), then runs the dashboard's server in this process against
 * it and measures:
 *  - the runs index: time to its first full list, and the heap it holds (after GC);
 *  - GET /api/runs for common views (first page, a state filter, a name search, a label filter, the last page);
 *  - headless Chromium (when /usr/bin/chromium exists): the runs page from navigation to rows shown, the next page,
 *    and long tasks (> 50 ms) on the page while runs change under it.
 * Run: npx tsx --expose-gc bench/dashboard.ts [--runs 10000] [--concurrency 16] [--tmp-root DIR]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/types.js';
import { startDashboard } from '../src/dashboard/server/index.js';
import { KubeClient, loadKubeConfig } from '../src/kube/client.js';
import { flag, machineLine, median, ms } from './lib/report.js';

const RUNS = Number(flag('runs', '10000'));
const CONCURRENCY = Number(flag('concurrency', '16'));
const NS = 'bench';
const root = join(import.meta.dirname, '..');
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const gc = (globalThis as { gc?: () => void }).gc;

function outcome(i: number): { status: 'True' | 'False'; reason: string } {
  if (i % 50 === 7) return { status: 'False', reason: 'Cancelled' };
  if (i % 12 === 5) return { status: 'False', reason: 'Failed' };
  return { status: 'True', reason: 'Succeeded' };
}

async function writeRun(client: KubeClient, i: number): Promise<void> {
  const name = `run-${String(i).padStart(5, '0')}`;
  const pipeline = `pipeline-${i % 20}`;
  const start = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const end = new Date(Date.parse(start) + 30_000 + (i % 7) * 10_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const o = outcome(i);
  const cond = [{ type: 'Succeeded', status: o.status, reason: o.reason, message: `Tasks Completed: 1 (Failed: ${o.reason === 'Failed' ? 1 : 0}, Cancelled 0), Skipped: 0`, lastTransitionTime: end }];
  const pr = await client.create<KubeObject>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, namespace: NS, labels: { 'tekton.dev/pipeline': pipeline, team: `team-${i % 5}` } }, spec: { pipelineRef: { name: pipeline } } });
  const tr = await client.create<KubeObject>({
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
    metadata: { name: `${name}-build`, namespace: NS, labels: { 'tekton.dev/pipeline': pipeline, 'tekton.dev/pipelineRun': name, 'tekton.dev/pipelineTask': 'build', 'tekton.dev/task': 'compile' } },
    spec: { taskRef: { name: 'compile' } },
  });
  await client.updateStatus({ ...tr, status: { conditions: cond, startTime: start, completionTime: end, podName: `${name}-build-pod`, steps: [{ name: 'build', container: 'step-build', terminated: { exitCode: o.reason === 'Failed' ? 1 : 0, reason: 'Completed', startedAt: start, finishedAt: end } }] } });
  await client.updateStatus({ ...pr, status: { conditions: cond, startTime: start, completionTime: end, childReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: `${name}-build`, pipelineTaskName: 'build' }] } });
}

async function timeGet(url: string, n: number): Promise<{ median: number; max: number; bytes: number; total: number }> {
  const times: number[] = [];
  let bytes = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url);
    const text = await res.text();
    times.push(performance.now() - t);
    bytes = text.length;
    total = (JSON.parse(text) as { total: number }).total;
  }
  return { median: median(times), max: Math.max(...times), bytes, total };
}

const NEXT_PAGE = `new Promise((resolve) => {
  const t0 = performance.now();
  const obs = new MutationObserver(() => {
    if (document.querySelector('.pager')?.textContent?.includes('51–100 of')) { obs.disconnect(); resolve(performance.now() - t0); }
  });
  obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  [...document.querySelectorAll('.pager a')].find((a) => a.textContent.includes('Older')).click();
})`;

async function browserFigures(url: string, client: KubeClient): Promise<void> {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!chromium) return void console.log('browser: skipped (no /usr/bin/chromium)');
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.addInitScript(`window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });`);
  const loads: number[] = [];
  const nexts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await page.goto(`${url}#/runs?r=${i}`);
    await page.locator('table.runs tbody tr').nth(49).waitFor();
    loads.push(performance.now() - t);
    // measured in the page: from the click on "Older" to the next page's rows in the DOM
    nexts.push(await page.evaluate(NEXT_PAGE) as number);
  }
  console.log(`browser: runs page, navigation to 50 rows shown: median ${ms(median(loads))} (n=5); next page (click to rows, in the page): median ${ms(median(nexts))}`);
  // changes under an open page: 300 status writes, then count long tasks of the page
  await page.goto(`${url}#/runs`);
  await page.locator('table.runs tbody tr').nth(49).waitFor();
  await page.evaluate('window.__long.length = 0');
  const t = performance.now();
  let k = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (k < 300) {
      const i = k++;
      const obj = await client.get<KubeObject>(PR, NS, `run-${String(i).padStart(5, '0')}`);
      await client.patch(PR, NS, obj.metadata.name ?? '', { metadata: { labels: { touched: String(i) } } });
    }
  }));
  const writeMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 1500));
  const long = (await page.evaluate('window.__long')) as number[];
  console.log(`browser: 300 run changes in ${ms(writeMs)} while the page was open: ${long.length} long tasks${long.length ? ` (max ${ms(Math.max(...long))}, total ${ms(long.reduce((a, b) => a + b, 0))})` : ''}`);
  await browser.close();
}

async function main(): Promise<void> {
  console.log(machineLine());
  const dataDir = mkdtempSync(join(flag('tmp-root', '') || tmpdir(), 'tkt-bench-dash-'));
  const up = spawn(process.execPath, [join(root, 'bin', 'tkt.js'), 'up', '--runtime', 'noop', '--data-dir', dataDir, '--no-controllers', '--no-event-listeners', '--no-dashboard'], { stdio: ['ignore', 'pipe', 'pipe'] });
  up.stdout.resume();
  up.stderr.resume();
  const kubeconfig = join(dataDir, 'kubeconfig');
  for (let i = 0; i < 300 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  const client = new KubeClient(loadKubeConfig({ kubeconfig }));
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < RUNS) await writeRun(client, next++);
  }));
  console.log(`stored ${RUNS} finished PipelineRuns + ${RUNS} TaskRuns in ${ms(performance.now() - t0)}`);

  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  const dash = await startDashboard({ client, port: 0 });
  await dash.ready();
  const syncMs = performance.now() - t1;
  gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  console.log(`runs index: ${dash.index.size} runs listed in ${ms(syncMs)}; heap held ${gc ? `${((heap1 - heap0) / 2 ** 20).toFixed(1)} MiB (${((heap1 - heap0) / dash.index.size).toFixed(0)} B per run)` : 'n/a (run with --expose-gc)'}`);

  const views: Array<[string, string]> = [
    ['first page of PipelineRuns', 'kind=PipelineRun'],
    ['all runs, first page', ''],
    ['failed only', 'kind=PipelineRun&status=failed'],
    ['name search', 'kind=PipelineRun&search=run-09'],
    ['label filter', 'kind=PipelineRun&labels=team%3Dteam-3'],
    ['last page', `kind=PipelineRun&page=${Math.ceil(RUNS / 50) - 1}`],
  ];
  console.log('view\tmatching\tmedian\tmax\tbytes');
  for (const [label, q] of views) {
    const r = await timeGet(`${dash.url}api/runs?${q}`, 20);
    console.log(`${label}\t${r.total}\t${ms(r.median)}\t${ms(r.max)}\t${r.bytes}`);
  }
  await browserFigures(dash.url, client);
  await dash.close();
  up.kill('SIGTERM');
  await new Promise((r) => up.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
