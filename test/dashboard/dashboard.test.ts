/**
 * The web dashboard in headless Chromium (Debian's, driven by playwright-core) against a real `tkt up` (host
 * runtime): the runs list updating live, a PipelineRun's DAG (fan-out, matrix, retry, skip, finally), coloured
 * logs with search and a line permalink, log lines arriving while a step runs (the step waits on a gate this test
 * opens), cancel, rerun, the definition/EventListener/Events pages, and the server's guards. Screenshots of each
 * page go to docs/dashboard/ when TKT_SCREENSHOTS=1 (else to a temp dir).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/conformance.js';

const exec = promisify(execFile);
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium) console.warn('test/dashboard: skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)');
const suite = chromium ? describe : describe.skip;

suite('dashboard in headless Chromium against tkt up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tkt-dash-'));
  const shots = process.env.TKT_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'dashboard') : join(dir, 'shots');
  let up: ChildProcess;
  let kubeconfig = '';
  let base = '';
  let browser: Browser;
  let page: Page;
  let gate: http.Server;
  let openGate: () => void = () => undefined;
  let demo = '';
  const kubectl = async (args: string[], input?: string): Promise<string> => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kcache'), ...args], { timeout: 60_000 });
    if (input !== undefined) child.stdin?.end(input);
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')}: ${err}`))));
    });
  };
  const createRun = async (pipeline: string, params: Record<string, string> = {}): Promise<string> => {
    const ps = Object.entries(params).map(([k, v]) => `    - {name: ${k}, value: "${v}"}`).join('\n');
    const out = await kubectl(['create', '-f', '-'], `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {generateName: ${pipeline}-run-}\nspec:\n  pipelineRef: {name: ${pipeline}}\n${ps ? `  params:\n${ps}\n` : ''}`);
    return /pipelinerun\.tekton\.dev\/(\S+) created/.exec(out)?.[1] ?? '';
  };
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(shots, `${name}.png`) });
  };
  const runHead = () => page.locator('.run-head h1 .status');

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-dashboard.mjs')], { stdio: 'inherit' });
    // the slow pipeline's step waits on this URL until the test has seen its first line
    gate = http.createServer((_req, res) => {
      openGate = () => res.end('go\n');
    });
    await new Promise<void>((r) => gate.listen(0, '127.0.0.1', r));
    const gatePort = (gate.address() as AddressInfo).port;
    up = spawn(process.execPath, [join(repoRoot, 'bin', 'tkt.js'), 'up', '--data-dir', join(dir, 'data'), '--runtime', 'host', '--dashboard-port', '0', '--host-port', String(gatePort)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    [kubeconfig, base] = await new Promise<[string, string]>((resolve, reject) => {
      const check = (): void => {
        const k = /export KUBECONFIG=(\S+)/.exec(out)?.[1];
        const d = /dashboard: (http\S+)/.exec(err)?.[1];
        if (k && d) resolve([k, d]);
      };
      up.stdout?.on('data', (d: Buffer) => { out += d.toString(); check(); });
      up.stderr?.on('data', (d: Buffer) => { err += d.toString(); check(); });
      up.on('exit', (code) => reject(new Error(`tkt up exited ${code}: ${err}`)));
    });
    await kubectl(['apply', '-f', join(repoRoot, 'test', 'dashboard', 'fixtures', 'demo.yaml')]);
    (globalThis as { __gateUrl?: string }).__gateUrl = `http://127.0.0.1:${gatePort}/next`;
    const { chromium: pw } = await import('playwright-core');
    browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    page.on('pageerror', (e) => console.error('page error:', e.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    openGate();
    gate?.closeAllConnections();
    gate?.close();
    if (up && up.exitCode === null) {
      up.kill('SIGTERM');
      await new Promise((r) => up.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists a PipelineRun created while the runs page is open, its state live, and filters by state', async () => {
    await page.goto(`${base}#/runs`);
    await page.locator('.live.on').waitFor();
    demo = await createRun('demo');
    const row = page.locator('tr', { has: page.locator(`a:text-is("${demo}")`) });
    await row.waitFor();
    await row.locator('.status-succeeded').waitFor({ timeout: 60_000 });
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('demo');
    await page.getByRole('button', { name: /^failed/ }).click();
    await expect.poll(() => page.url()).toContain('status=failed');
    await page.locator('text=No runs match.').waitFor();
    await page.getByRole('button', { name: /^failed/ }).click();
    await row.waitFor();
    await shot('runs');
  }, 90_000);

  it('draws the DAG: fan-out, matrix, retry, skip with its reason, finally; coloured log, search, line permalink', async () => {
    await page.locator(`a:text-is("${demo}")`).click();
    await expect.poll(() => page.url()).toContain(`#/pipelineruns/default/${demo}`);
    const node = (t: string) => page.locator(`g.node[data-task="${t}"]`);
    for (const t of ['checkout', 'lint', 'build', 'flaky-test', 'notify']) await node(t).and(page.locator('.state-succeeded')).waitFor();
    expect(await node('deploy').getAttribute('class')).toContain('state-skipped');
    expect(await node('notify').getAttribute('class')).toContain('finally');
    expect(await node('build').textContent()).toContain('×3 matrix');
    expect(await node('flaky-test').textContent()).toContain('1 retry');
    // checkout→build (result), checkout→lint, lint→flaky-test, build→deploy, flaky-test→deploy, deploy→finally, finally→notify
    expect(await page.locator('path.edge').count()).toBe(7);
    await node('deploy').focus();
    await page.keyboard.press('Enter');
    await page.locator('.skipped', { hasText: 'When Expressions' }).waitFor();
    expect(await page.locator('.skipped code').first().textContent()).toContain('in [prod]');
    await node('build').click();
    const matrix = page.locator('.matrix button');
    await expect.poll(() => matrix.allTextContents()).toEqual([expect.stringContaining('platform=linux'), expect.stringContaining('platform=darwin'), expect.stringContaining('platform=windows')]);
    await page.locator('button.step[data-step="fetch"]').click();
    const fetched = page.locator('.line .txt span', { hasText: '✔ fetched' });
    await fetched.waitFor();
    const color = (el: unknown): string => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color;
    expect(await fetched.evaluate(color)).not.toBe(await page.locator('.log-box').evaluate(color));
    await page.locator('button.step[data-step="build"]').click();
    await page.locator('.line', { hasText: 'built linux' }).waitFor();
    await page.getByPlaceholder('Search log…').fill('module 7');
    await page.locator('text=1 of 2').waitFor();
    await page.locator('#L7 a.ln').click();
    await expect.poll(() => page.url()).toContain('line=7');
    await shot('pipelinerun');
    await page.reload();
    await page.locator('#L7.selected', { hasText: 'compiling module 7 of 30' }).waitFor();
  }, 60_000);

  it('shows log lines as the step writes them, then cancels the run; the log stays after its pod is gone', async () => {
    const slow = await createRun('slow', { gate: (globalThis as { __gateUrl?: string }).__gateUrl ?? '' });
    await page.goto(`${base}#/pipelineruns/default/${slow}`);
    const log = page.locator('.log-box');
    await log.locator('.line', { hasText: 'tick 1' }).waitFor({ timeout: 60_000 });
    // the step is blocked on the gate: nothing after "tick 1" exists yet
    expect(await log.locator('.line', { hasText: 'tick 2' }).count()).toBe(0);
    openGate();
    await log.locator('.line', { hasText: 'waiting for cancel' }).waitFor();
    await expect.poll(() => runHead().textContent()).toContain('Running');
    expect(await kubectl(['get', 'pods', '-l', `tekton.dev/taskRun=${slow}-watch`, '-o', 'name'])).toBe(`pod/${slow}-watch-pod\n`);
    await page.locator('button[data-action="cancel"]').click();
    await page.locator('.run-head h1 .status-cancelled').waitFor({ timeout: 30_000 });
    await expect.poll(async () => JSON.parse(await kubectl(['get', 'pr', slow, '-o', 'json'])).spec.status).toBe('Cancelled');
    // the cancelled TaskRun's pod is deleted; its log is still served
    await expect.poll(() => kubectl(['get', 'pods', '-l', `tekton.dev/taskRun=${slow}-watch`, '-o', 'name']), { timeout: 30_000 }).toBe('');
    await page.reload();
    await page.locator('g.node[data-task="watch"].state-cancelled').waitFor();
    await page.locator('.log-box .line', { hasText: 'tick 2' }).waitFor();
  }, 90_000);

  it('reruns a PipelineRun from its page', async () => {
    await page.goto(`${base}#/pipelineruns/default/${demo}`);
    await page.locator('button[data-action="rerun"]').click();
    await expect.poll(() => page.url()).not.toContain(demo);
    const rerun = /pipelineruns\/default\/([^?]+)/.exec(page.url())?.[1] ?? '';
    expect(rerun).toMatch(/^demo-run-/);
    await page.locator('.run-head', { hasText: `rerun of ${demo}` }).waitFor();
    await page.locator('.run-head h1 .status-succeeded').waitFor({ timeout: 60_000 });
    const labels = JSON.parse(await kubectl(['get', 'pr', rerun, '-o', 'json'])).metadata.labels;
    expect(labels['dashboard.tekton.dev/rerunOf']).toBe(demo);
  }, 90_000);

  it('shows a TaskRun, the definitions, an EventListener with the outcome of an event, and Events', async () => {
    await page.goto(`${base}#/taskruns/default/${demo}-checkout`);
    await page.locator('.line', { hasText: 'cloning' }).waitFor();
    await shot('taskrun');
    await page.goto(`${base}#/pipelines`);
    await page.locator('td.name a:text-is("demo")').waitFor();
    await shot('pipelines');
    await page.goto(`${base}#/tasks`);
    await page.locator('tr', { hasText: 'compile' }).locator('text=fetch, build').waitFor();
    const address = await (async () => {
      for (;;) {
        const url = JSON.parse(await kubectl(['get', 'el', 'webhooks', '-o', 'json'])).status?.address?.url as string | undefined;
        if (url) return url;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const answer = await fetch(address, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ref":"refs/heads/main"}' });
    expect(answer.status).toBe(202);
    await page.goto(`${base}#/eventlisteners`);
    await page.locator('tr', { hasText: 'webhooks' }).locator(`text=${address}`).waitFor();
    await shot('eventlisteners');
    await page.locator('a:text-is("webhooks")').click();
    await page.locator('table.events tr', { hasText: 'TaskRun default/push-' }).waitFor({ timeout: 30_000 });
    await shot('eventlistener');
    await page.goto(`${base}#/events`);
    await page.locator('table.events tbody tr').first().waitFor();
    await shot('events');
  }, 60_000);

  it('fits a phone: the run page at 390 px wide', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}#/pipelineruns/default/${demo}?task=build`);
    await page.locator('g.node[data-task="build"]').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('pipelinerun-phone');
  }, 30_000);

  it('tkt dashboard --read-only against the kubeconfig: no action buttons, actions refused; the cluster manifests apply', async () => {
    const proc = spawn(process.execPath, [join(repoRoot, 'bin', 'tkt.js'), '--kubeconfig', kubeconfig, 'dashboard', '--port', '0', '--read-only'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        proc.stderr?.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /tektite dashboard at (http\S+) \(read-only\)/.exec(err);
          if (m?.[1]) resolve(m[1]);
        });
        proc.on('exit', (code) => reject(new Error(`tkt dashboard exited ${code}: ${err}`)));
      });
      await page.setViewportSize({ width: 1360, height: 900 });
      await page.goto(`${url}#/pipelineruns/default/${demo}`);
      await page.locator('.top .badge', { hasText: 'read-only' }).waitFor();
      await page.locator('g.node[data-task="build"]').waitFor();
      expect(await page.locator('.actions button').count()).toBe(0);
      const post = await fetch(`${url}api/actions/PipelineRun/default/${demo}/cancel`, { method: 'POST', headers: { 'x-tektite-dashboard': '1' } });
      expect(post.status).toBe(403);
      expect(((await post.json()) as { error: string }).error).toContain('read-only');
    } finally {
      proc.kill('SIGTERM');
    }
    await kubectl(['create', 'namespace', 'tektite-pipelines']);
    const dry = await kubectl(['apply', '-k', join(repoRoot, 'config', 'dashboard-read-write'), '--dry-run=server']);
    expect(dry).toContain('deployment.apps/tektite-dashboard created (server dry run)');
    expect(dry).toContain('clusterrole.rbac.authorization.k8s.io/tektite-dashboard-read created (server dry run)');
    expect(dry).toContain('clusterrole.rbac.authorization.k8s.io/tektite-dashboard-actions created (server dry run)');
  }, 60_000);

  it('refuses actions without its header and requests naming another host', async () => {
    const post = await fetch(`${base}api/actions/PipelineRun/default/${demo}/delete`, { method: 'POST' });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { error: string }).error).toContain('x-tektite-dashboard');
    const port = new URL(base).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/api/info', headers: { Host: `attacker.example:${port}` } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject);
    });
    expect(rebound).toBe(421);
    const bad = await fetch(`${base}api/runs?status=exploded`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('status "exploded"');
    expect((await exec('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pr', demo, '-o', 'name'])).stdout.trim()).toBe(`pipelinerun.tekton.dev/${demo}`);
  }, 30_000);
});
