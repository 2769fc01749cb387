/**
 * What a newcomer meets first: `tkt ... | head` must end quietly (no EPIPE stack), `tkt` without KUBECONFIG finds a
 * running `tkt up`'s ./.tkt/kubeconfig or says plainly what to do, and a step with no output prints no blank lines.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';
import { World } from './helpers/world.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tkt.js');
let srv: CliTestServer;
let dir: string;

beforeAll(async () => {
  srv = await startCliServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-newcomer-'));
  const w = new World(srv, 'big', ['many', 'quiet']);
  await w.start();
  await w.task('many', ['print']);
  w.log('big-many-pod', 'print', Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
  await w.endStep('big-many-pod', 'print');
  await w.endTask('big-many');
  await w.task('quiet', ['nothing']);
  await w.endStep('big-quiet-pod', 'nothing');
  await w.endTask('big-quiet');
  await w.end();
  const f = new World(srv, 'mixed', ['ok', 'broken']);
  await f.start();
  await f.task('ok', ['run']);
  f.log('mixed-ok-pod', 'run', 'fine\n');
  await f.endStep('mixed-ok-pod', 'run');
  await f.endTask('mixed-ok');
  await f.task('broken', ['run']);
  f.log('mixed-broken-pod', 'run', 'boom\n');
  await f.endStep('mixed-broken-pod', 'run', 1);
  await f.endTask('mixed-broken', false, 'failed');
  await f.end(false, 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0');
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a reader that goes away', () => {
  it('`tkt pr logs X | head -1` exits 0 with nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'pr', 'logs', 'big', '--kubeconfig', srv.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let first = '';
    await new Promise<void>((resolve) => child.stdout.once('data', (d: Buffer) => { first = d.toString(); resolve(); }));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(first).toContain('[many : print] line 0');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('a reader that goes away from `logs -f`', () => {
  it('`tkt pr logs X -f | head -1` on a running run exits 0 with nothing on stderr', async () => {
    const w = new World(srv, 'live', ['chatty']);
    await w.start();
    await w.task('chatty', ['talk']);
    w.log('live-chatty-pod', 'talk', 'first\n');
    const child = spawn(process.execPath, [BIN, 'pr', 'logs', 'live', '-f', '--kubeconfig', srv.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    let alive = true;
    void exited.then(() => (alive = false));
    for (let i = 0; alive && i < 2000; i++) {
      w.log('live-chatty-pod', 'talk', `more ${i}\n`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const code = await exited;
    expect(first).toContain('[chatty : talk] first');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('empty step logs', () => {
  it('print nothing for a step with no output (tkn ends a step that printed lines with one blank line)', async () => {
    const r = await tkt(['pr', 'logs', 'big', '--kubeconfig', srv.kubeconfig]);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('[many : print] line 19999\n\n')).toBe(true);
    expect(r.stdout).not.toContain('quiet');
  });
});

describe('kubeconfig discovery', () => {
  it('finds ./.tkt/kubeconfig of a running tkt up when nothing else is configured', async () => {
    const cwd = path.join(dir, 'project');
    fs.mkdirSync(path.join(cwd, '.tkt'), { recursive: true });
    fs.copyFileSync(srv.kubeconfig, path.join(cwd, '.tkt', 'kubeconfig'));
    fs.writeFileSync(path.join(cwd, '.tkt', 'tkt.lock'), `${process.pid}\n`);
    const r = await tkt(['pr', 'list'], { env: { HOME: path.join(dir, 'home') }, cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^big\s/m);
  });

  it('says so when the tkt up of ./.tkt is not running any more (its kubeconfig left behind)', async () => {
    const cwd = path.join(dir, 'stopped');
    fs.mkdirSync(path.join(cwd, '.tkt'), { recursive: true });
    fs.copyFileSync(srv.kubeconfig, path.join(cwd, '.tkt', 'kubeconfig'));
    const r = await tkt(['pr', 'list'], { env: { HOME: path.join(dir, 'home') }, cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Error: no cluster configured, and the tkt up of \.\/\.tkt is not running .*`npx tkt up`/);
  });

  it('says what to do when no cluster is configured (exit 3, one line, no stack)', async () => {
    const cwd = path.join(dir, 'empty');
    fs.mkdirSync(cwd, { recursive: true });
    const r = await tkt(['pr', 'list'], { env: { HOME: path.join(dir, 'home') }, cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Error: no cluster configured: .*`npx tkt up`.*--kubeconfig/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prefers ~/.kube/config over ./.tkt (kubectl finds the same cluster)', async () => {
    const home = path.join(dir, 'home2');
    fs.mkdirSync(path.join(home, '.kube'), { recursive: true });
    fs.copyFileSync(srv.kubeconfig, path.join(home, '.kube', 'config'));
    const r = await tkt(['pr', 'list'], { env: { HOME: home }, cwd: path.join(dir, 'empty') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^big\s/m);
  });
});

describe('tkn logs flags', () => {
  it.each([
    [['--prefix=false'], 'fine\n\nboom\n\n'],
    [['--no-prefix'], 'fine\n\nboom\n\n'],
    [['--prefix=true'], '[ok : run] fine\n\n[broken : run] boom\n\n'],
    [['--prefix'], '[ok : run] fine\n\n[broken : run] boom\n\n'],
  ])('%j', async (flags, out) => {
    const r = await tkt(['pr', 'logs', ...flags, 'mixed', '--kubeconfig', srv.kubeconfig]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(out);
  });

  it('--prefix=maybe is a usage error', async () => {
    const r = await tkt(['pr', 'logs', 'mixed', '--prefix=maybe', '--kubeconfig', srv.kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid boolean value "maybe"');
  });

  it('--log-failed shows only the failed TaskRuns', async () => {
    const r = await tkt(['pr', 'logs', 'mixed', '--log-failed', '--kubeconfig', srv.kubeconfig]);
    expect(r.stdout).toBe('[broken : run] boom\n\n');
    const none = await tkt(['pr', 'logs', 'big', '--log-failed', '--kubeconfig', srv.kubeconfig]);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('no failed TaskRuns in PipelineRun big');
  });

  it('tr logs --prefix=false', async () => {
    const r = await tkt(['tr', 'logs', 'mixed-ok', '--prefix=false', '--kubeconfig', srv.kubeconfig]);
    expect(r.stdout).toBe('fine\n\n');
  });
});
