/**
 * The README's quick start, followed literally on a fresh clone: `git clone` of this repository's HEAD into an empty
 * directory, then the quick start's first command (`npm ci && npx tkt run -f examples/hello-world.yaml ...`) exactly
 * as the README writes it, with no KUBECONFIG and nothing from this checkout. The second command must be the
 * suite's own (`npm test`, not run here). No link in the README, docs/ or .ci/ may point outside the repository.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/conformance.js';

/** The shell commands of the README's quick start block (comments dropped). */
export function quickStartCommands(readme: string): string[] {
  const section = readme.split('\n## Quick start')[1]?.split('\n## ')[0] ?? '';
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const block = blocks.find((b) => b.includes('npx tkt run')) ?? '';
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l !== '');
}

const isGitCheckout = existsSync(path.join(repoRoot, '.git'));

describe('fresh clone, README quick start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tkt-fresh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no link leaves the repository (README, docs/, .ci/)', () => {
    const files = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), '.ci/run'];
    for (const f of files) expect(readFileSync(path.join(repoRoot, f), 'utf8'), f).not.toMatch(/\.\.\/shared|\]\(\.\.\//);
  });

  it('the first command runs a real pipeline on a fresh clone; the second is the test suite', async (ctx) => {
    if (!isGitCheckout) {
      console.warn('SKIP fresh-clone test: this copy is not a git checkout (nothing to clone)');
      return ctx.skip();
    }
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const [first, second, ...rest] = quickStartCommands(readme);
    expect(rest).toEqual([]);
    expect(second).toBe('npm test');
    expect(first).toMatch(/^npm ci && npx tkt run -f examples\/hello-world\.yaml/);
    const clone = path.join(dir, 'tektite');
    execFileSync('git', ['clone', '--quiet', repoRoot, clone]);
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
    for (const k of ['KUBECONFIG', 'TKT_FROM_SOURCE', 'TKT_ENTRYPOINT', 'VITEST', 'NODE_OPTIONS']) delete env[k];
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('sh', ['-c', first ?? 'false'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
      child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(r.out).toMatch(/PipelineRun hello-world-run-\S+\s+Succeeded/);
    expect(r.out).toContain('HELLO, TEKTITE!');
  }, 600_000);
});
