/**
 * The bundled CLI (scripts/build-cli.mjs → dist/bundle, built by `npm ci`'s prepare step): bin/tkt.js runs it when
 * it matches the sources, falls back to the sources when one is newer, and the bundle runs a real TaskRun (its
 * lazily loaded embedded mode, step helper and catalog are found from dist/bundle/...).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const tkt = join(root, 'bin', 'tkt.js');

async function entryOf(args: string[], env: Record<string, string> = {}) {
  const r = await run(process.execPath, [tkt, ...args], { env: { ...process.env, TKT_PRINT_ENTRY: '1', ...env }, cwd: root });
  return { entry: /tkt entry: (\w+)/.exec(r.stderr)?.[1], cache: /tkt code cache: (\w+)/.exec(r.stderr)?.[1], stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
}, 120_000);

describe('bundled CLI', () => {
  it('bin/tkt.js runs the bundle when it matches the sources, the sources when asked', async () => {
    expect((await entryOf(['--version'])).entry).toBe('bundle');
    expect((await entryOf(['--version'], { TKT_FROM_SOURCE: '1' })).entry).toBe('source');
  });

  it('falls back to the sources when a source file is newer than the bundle', async () => {
    const stamp = join(root, 'src', 'paths.ts');
    const future = new Date(Date.now() + 60_000);
    utimesSync(stamp, future, future);
    try {
      expect((await entryOf(['--version'])).entry).toBe('source');
    } finally {
      await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
    }
    expect((await entryOf(['--version'])).entry).toBe('bundle');
  }, 120_000);

  it('compiles the bundle from a V8 code cache named by its build, written at exit when missing', async () => {
    const build = (JSON.parse(readFileSync(join(root, 'dist', 'bundle', 'stamp.json'), 'utf8')) as { build: string }).build;
    const cache = join(root, 'dist', 'bundle', 'cache', `${build}-${process.version}-${process.arch}.bin`);
    expect(existsSync(cache)).toBe(true); // written by the build's warm-up run
    expect((await entryOf(['--version'])).cache).toBe('used');
    rmSync(cache);
    const first = await entryOf(['--version']);
    expect(first.cache).toBe('none');
    expect(first.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(cache)).toBe(true);
    expect((await entryOf(['--version'])).cache).toBe('used');
    // a cache V8 refuses (here: not a cache at all) is not used, and is replaced at exit
    writeFileSync(cache, 'not a V8 code cache');
    expect((await entryOf(['--version'])).cache).toBe('refused');
    expect((await entryOf(['--version'])).cache).toBe('used');
    // leave the tree as the build does: a cache warmed by a run, not by --version
    await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
  }, 120_000);

  it('runs a real TaskRun on the host runtime from the bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tkt-bundle-'));
    const file = join(dir, 'tr.yaml');
    writeFileSync(file, [
      'apiVersion: tekton.dev/v1', 'kind: TaskRun', 'metadata: {name: from-bundle}', 'spec:', '  taskSpec:', '    steps:',
      '      - {name: hello, image: busybox, script: "echo hello from the bundle"}', '',
    ].join('\n'));
    const r = await entryOf(['run', '-f', file, '--runtime', 'host']);
    expect(r.entry).toBe('bundle');
    expect(r.stdout).toContain('hello from the bundle');
  }, 120_000);
});
