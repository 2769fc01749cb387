/**
 * docs/cli.md's tkn parity table, walked: every row's tkt command runs, in the table's order, against a real
 * `tkt up --runtime host` holding examples/hello-world.yaml and test/cli/fixtures/parity/*.yaml (real controllers,
 * real pods, real kubectl to create them), and its output and exit code are checked by that row's entry in CHECKS.
 * A row without a check, or a check without a row, fails: the table cannot promise what is not tested.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';
import { hostRuntimeMissing, repoRoot } from '../catalog/harness.js';
import { tkt } from './helpers/io.js';
import { CHECKS, type Outcome } from './parity-checks.js';
import { parityRows, shellWords } from './parity-table.js';

const exec = promisify(execFile);
const rows = parityRows(fs.readFileSync(path.join(repoRoot, 'docs', 'cli.md'), 'utf8'));
const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping the tkn parity walk: ${missing}`);

describe('the parity table', () => {
  it('has a check for every row and a row for every check', () => {
    expect(rows.length).toBeGreaterThan(80);
    expect(rows.filter((r) => !CHECKS[r.tkt]).map((r) => r.tkt)).toEqual([]);
    const commands = new Set(rows.map((r) => r.tkt));
    expect(Object.keys(CHECKS).filter((c) => !commands.has(c))).toEqual([]);
    expect(rows.length).toBe(commands.size);
  });
});

describe.skipIf(!!missing)('every tkt form of the parity table against a real tkt up', () => {
  let dir: string;
  let up: ChildProcess;
  let kubeconfig: string;
  let client: KubeClient;

  const kubectl = (args: string[]) => exec('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'kcache'), ...args], { cwd: repoRoot });
  const done = (o: KubeObject | undefined): boolean => (o as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined)?.status?.conditions?.some((c) => c.type === 'Succeeded' && c.status !== 'Unknown') ?? false;
  const started = (o: KubeObject | undefined): boolean => Boolean((o as { status?: { startTime?: string } } | undefined)?.status?.startTime);

  async function until(what: string, test: () => Promise<boolean>): Promise<void> {
    for (let i = 0; ; i++) {
      if (await test().catch(() => false)) return;
      if (i > 600) throw new Error(`gave up waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const get = (apiVersion: string, kind: string, name: string, ns = 'default') => client.get<KubeObject>({ apiVersion, kind }, ns, name).catch(() => undefined);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-parity-'));
    up = spawn(process.execPath, [path.join(repoRoot, 'bin', 'tkt.js'), 'up', '--data-dir', path.join(dir, 'data'), '--runtime', 'host'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      up.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /export KUBECONFIG=(\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      up.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      up.on('exit', (code) => reject(new Error(`tkt up exited ${code}: ${err}`)));
    });
    client = new KubeClient(loadKubeConfig({ kubeconfig }));
    const hello = fs.readFileSync(path.join(repoRoot, 'examples', 'hello-world.yaml'), 'utf8').split(/^---$/m).filter((d) => !/^kind: PipelineRun$/m.test(d)).join('---');
    fs.writeFileSync(path.join(dir, 'hello-defs.yaml'), hello);
    await kubectl(['create', 'namespace', 'scratch']);
    await kubectl(['create', '-f', path.join(dir, 'hello-defs.yaml')]);
    await kubectl(['create', '-f', 'test/cli/fixtures/parity/world.yaml', '-f', 'test/cli/fixtures/parity/scratch.yaml']);
    const T = 'tekton.dev/v1';
    for (const name of ['hello-run', 'flaky-run']) await until(name, async () => done(await get(T, 'PipelineRun', name)));
    for (const name of ['quick-1', 'quick-2', 'quick-3']) await until(name, async () => done(await get(T, 'PipelineRun', name, 'scratch')));
    for (const name of ['tiny-1', 'tiny-2', 'tiny-3']) await until(name, async () => done(await get(T, 'TaskRun', name, 'scratch')));
    await until('echo-tr', async () => done(await get(T, 'TaskRun', 'echo-tr')));
    for (const name of ['wait-cr', 'old-cr']) await until(name, async () => done(await get('tekton.dev/v1beta1', 'CustomRun', name)));
    for (const name of ['sleepy-a', 'sleepy-b']) await until(name, async () => started(await get(T, 'PipelineRun', name)));
    await until('sleepy-tr', async () => started(await get(T, 'TaskRun', 'sleepy-tr')));
    let url = '';
    await until('EventListener hooks', async () => Boolean((url = ((await get('triggers.tekton.dev/v1beta1', 'EventListener', 'hooks')) as { status?: { address?: { url?: string } } } | undefined)?.status?.address?.url ?? '')));
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ who: 'hook' }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBeLessThan(300);
    await until('the trigger Event', async () => (await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Event' }, 'default')).items.some((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'hooks'));
  }, 120_000);

  afterAll(async () => {
    if (up && up.exitCode === null) {
      up.kill('SIGTERM');
      await new Promise((r) => up.once('exit', r));
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const row of rows) {
    it(`${row.tkn} → ${row.tkt}`, async () => {
      const args = shellWords(row.tkt).slice(1);
      const k = ['--kubeconfig', kubeconfig];
      const r = await tkt(args[0] === '__complete' ? ['__complete', ...k, ...args.slice(1)] : [...args, ...k], { env: { HOME: dir } });
      const outcome: Outcome = { code: r.code, stdout: r.stdout, stderr: r.stderr };
      expect(r.stderr, 'no usage error from the argument parser').not.toMatch(/^error: (unknown option|too many arguments|missing required)/m);
      const check = CHECKS[row.tkt];
      if (!check) throw new Error(`no check for ${row.tkt}`);
      check(outcome);
    }, 60_000);
  }
});
