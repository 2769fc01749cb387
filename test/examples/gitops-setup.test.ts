/**
 * examples/gitops-ci/setup.mjs, the GitOps example's own setup script: it serves the example's repositories over
 * git smart HTTP and a registry with the base image, and prints the `tkt run` command for them. The pipeline run
 * itself with these same parts is test/examples/gitops-ci.test.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registryMissing } from '../catalog/fixtures/registry.js';
import { baseImageMissing } from '../catalog/fixtures/base-image.js';
import { repoRoot } from '../catalog/harness.js';
import { freePort } from '../helpers/ports.js';

const missing = registryMissing() ?? baseImageMissing();
if (missing) console.warn(`skipping the GitOps setup script test: ${missing}`);

describe.skipIf(!!missing)('examples/gitops-ci/setup.mjs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tkt-gitops-setup-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves both repositories and the base image, and prints the tkt run command for them', async () => {
    const registryPort = await freePort();
    child = spawn(process.execPath, [path.join(repoRoot, 'examples/gitops-ci/setup.mjs'), '--dir', path.join(dir, 'demo'), '--git-port', '0', '--registry-port', String(registryPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    for (let i = 0; i < 300 && !out.includes('npx tkt run'); i++) await new Promise((r) => setTimeout(r, 100));
    const cmd = out.split('\n').find((l) => l.startsWith('npx tkt run')) ?? '';
    expect(cmd, out).toContain('-f examples/gitops-ci/pipeline.yaml');
    const param = (name: string) => new RegExp(`-p ${name}=(\\S+)`).exec(cmd)?.[1] ?? '';
    for (const repo of [param('app-repo-url'), param('gitops-repo-url')]) {
      expect(execFileSync('git', ['ls-remote', repo], { encoding: 'utf8' })).toMatch(/^[0-9a-f]{40}\s+refs\/heads\/main$/m);
    }
    const base = param('base-image');
    expect(base).toBe(`127.0.0.1:${registryPort}/base/busybox:1`);
    const tags = (await (await fetch(`http://127.0.0.1:${registryPort}/v2/base/busybox/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['1']);
    const gitPort = new URL(param('app-repo-url')).port;
    expect(cmd).toContain(`--host-port ${gitPort} --host-port ${registryPort}`);
  }, 60_000);
});
