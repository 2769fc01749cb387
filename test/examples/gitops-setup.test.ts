/**
 * examples/gitops-ci/setup.mjs, the newcomer's way to try the GitOps CI example by hand: it serves the example's
 * two repositories over git smart HTTP (clone and push work with real git), runs a registry holding the base
 * image, and prints a `tkt run` command whose params are exactly the Pipeline's required params, pointing at what
 * it serves. Then the printed command is run as printed (when buildah can run here, as test/examples/gitops-ci.test.ts
 * needs too) and the image and the GitOps commit are checked.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hasCommand, repoRoot } from '../catalog/harness.js';
import { baseImageMissing } from '../catalog/fixtures/base-image.js';
import { registryMissing, tagsOf } from '../catalog/fixtures/registry.js';
import { gitopsMissing } from './gitops-fixture.js';

const exec = promisify(execFile);
const missing = (hasCommand('git') ? undefined : 'git is not installed') ?? registryMissing() ?? baseImageMissing();
if (missing) console.warn(`skipping the GitOps setup script: ${missing}`);
const noPipeline = missing ?? gitopsMissing();

/** A free loopback port. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!!missing)('examples/gitops-ci/setup.mjs', () => {
  let dir: string;
  let child: ChildProcess;
  let printed = '';
  let gitPort = 0;
  let registryPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-gitops-setup-'));
    [gitPort, registryPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['examples/gitops-ci/setup.mjs', '--dir', join(dir, 'demo'), '--git-port', String(gitPort), '--registry-port', String(registryPort)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    printed = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('serving until Ctrl-C')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`setup.mjs exited ${code}: ${err}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const command = (): string => printed.split('\n').find((l) => l.startsWith('npx tkt run ')) ?? '';

  it('serves both repositories over HTTP for clone and push', async () => {
    const work = join(dir, 'clone');
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    await exec('git', ['clone', '-q', `http://127.0.0.1:${gitPort}/demo-gitops.git`, work], { env });
    expect(readFileSync(join(work, 'apps', 'demo', 'kustomization.yaml'), 'utf8')).toContain('registry.example.com/demo-app');
    await exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'probe'], { cwd: work, env });
    await exec('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work, env });
    const remote = execFileSync('git', ['ls-remote', `http://127.0.0.1:${gitPort}/demo-gitops.git`, 'refs/heads/main'], { env, encoding: 'utf8' });
    expect(remote.split('\t')[0]).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim());
    const app = execFileSync('git', ['ls-remote', `http://127.0.0.1:${gitPort}/demo-app.git`], { env, encoding: 'utf8' });
    expect(app).toMatch(/refs\/heads\/main/);
  });

  it('runs a registry with the base image', async () => {
    expect(await tagsOf(`127.0.0.1:${registryPort}`, 'base/busybox')).toEqual(['1']);
  });

  it("prints a tkt run command with exactly the Pipeline's required params, pointing at what it serves", () => {
    const pipeline = parse(readFileSync(join(repoRoot, 'examples', 'gitops-ci', 'pipeline.yaml'), 'utf8')) as { spec: { params: Array<{ name: string; default?: unknown }> } };
    const required = pipeline.spec.params.filter((p) => p.default === undefined).map((p) => p.name).sort();
    const given = [...command().matchAll(/-p ([\w-]+)=(\S+)/g)];
    expect(given.map((m) => m[1]).filter((n) => required.includes(n ?? '')).sort()).toEqual(required);
    expect(command()).toContain(`-p app-repo-url=http://127.0.0.1:${gitPort}/demo-app.git`);
    expect(command()).toContain(`-p base-image=127.0.0.1:${registryPort}/base/busybox:1`);
    expect(command()).toContain(`--host-port ${gitPort} --host-port ${registryPort}`);
  });

  it.skipIf(!!noPipeline)('the printed command runs the pipeline: image pushed, GitOps repository bumped', async () => {
    const r = await exec('bash', ['-c', command()], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }).then((ok) => ({ code: 0, ...ok }), (e: { code?: number; stdout?: string; stderr?: string }) => e);
    expect(r.code ?? 0, `${r.stdout}\n${r.stderr}`).toBe(0);
    const appCommit = execFileSync('git', ['ls-remote', `http://127.0.0.1:${gitPort}/demo-app.git`, 'refs/heads/main'], { encoding: 'utf8' }).split('\t')[0] ?? '';
    expect(await tagsOf(`127.0.0.1:${registryPort}`, 'demo-app')).toContain(appCommit);
    const log = execFileSync('git', ['--git-dir', join(dir, 'demo', 'git', 'demo-gitops.git'), 'log', '-1', '--format=%B', 'main'], { encoding: 'utf8' });
    expect(log).toContain(appCommit);
  }, 600_000);
});
