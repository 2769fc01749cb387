/**
 * The README's quick start, followed literally in a fresh clone: the commands of its first `sh` block run one by
 * one with bash in a `git clone` of this repository (`npm test` excepted: that is the whole suite, which CI runs
 * anyway), and each must exit 0; the hello-world run must print its shout and succeed.
 *
 * `npm ci` runs as written, with npm's `prefer-offline` so that the local npm cache serves the packages. The cache
 * is also given the better-sqlite3 binary this checkout already has, under the name prebuild-install looks for
 * (what a first online install leaves there), so the fresh clone does not compile SQLite for a minute.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCommand, hostRuntimeMissing, repoRoot } from '../catalog/harness.js';

const exec = promisify(execFile);

/** The commands of the README's quick start (first `sh` block after "## Quick start"), comments removed. */
export function quickStartCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf('\n## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').map((l) => l.replace(/\s{2,}#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
}

/** Puts this checkout's better-sqlite3 binary into npm's prebuild cache, as a first online install would. */
function seedSqlitePrebuild(): void {
  const pkgDir = path.join(repoRoot, 'node_modules', 'better-sqlite3');
  const binary = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(binary)) return;
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const url = `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const cache = path.join(execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), '_prebuilds');
  const file = path.join(cache, `${createHash('sha512').update(url).digest('hex').slice(0, 6)}-${path.basename(url).replace(/[^a-zA-Z0-9.]+/g, '-')}`);
  if (fs.existsSync(file)) return;
  fs.mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['czf', `${file}.tmp`, '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  fs.renameSync(`${file}.tmp`, file);
}

const missing = hostRuntimeMissing() ?? (hasCommand('git') ? undefined : 'git is not installed');
if (missing) console.warn(`skipping the fresh-clone quick start: ${missing}`);

describe('README quick start in a fresh clone', () => {
  let dir = '';
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the quick start has the prerequisites check, npm ci with the hello-world run, and npm test', () => {
    const commands = quickStartCommands(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
    expect(commands).toEqual([
      'scripts/prerequisites.sh --install',
      'npm ci && npx tkt run -f examples/hello-world.yaml --runtime host',
      'npm test',
    ]);
  });

  it('no link points outside the repository (README, docs/, .ci/run)', () => {
    const files = ['README.md', '.ci/run', ...fs.readdirSync(path.join(repoRoot, 'docs')).map((f) => `docs/${f}`)];
    for (const f of files) {
      const text = fs.readFileSync(path.join(repoRoot, f), 'utf8');
      expect(text, f).not.toMatch(/\.\.\/shared\b|\]\(\.\.\//);
    }
  });

  it.skipIf(!!missing)('runs as written: prerequisites, npm ci, the hello-world pipeline', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-fresh-clone-'));
    const clone = path.join(dir, 'tektite');
    execFileSync('git', ['clone', '-q', repoRoot, clone]);
    seedSqlitePrebuild();
    const commands = quickStartCommands(fs.readFileSync(path.join(clone, 'README.md'), 'utf8'));
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', NO_COLOR: '1' };
    delete env.KUBECONFIG;
    let output = '';
    for (const command of commands) {
      if (command === 'npm test') {
        console.info('fresh clone: not running `npm test` (the whole suite; CI runs it)');
        continue;
      }
      const r = await exec('bash', ['-c', command], { cwd: clone, env, maxBuffer: 64 * 1024 * 1024 }).then((ok) => ({ code: 0, ...ok }), (err: { code?: number; stdout?: string; stderr?: string }) => err);
      expect(r.code ?? 0, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
      output += `${r.stdout}${r.stderr}`;
    }
    expect(output).toContain('ok       bubblewrap');
    expect(output).toContain('[louder : shout] HELLO, TEKTITE!');
    expect(output).toMatch(/^PipelineRun hello-world-run-\w{5}\s+Succeeded/m);
    expect(fs.existsSync(path.join(clone, 'dist', 'entrypoint', 'entrypoint'))).toBe(true);
  }, 600_000);
});
