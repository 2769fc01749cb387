import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHelper, HELPER, runHelper, tempDir } from './harness.js';

let dir = '';
let cleanup = (): void => {};

beforeAll(() => buildHelper());
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('init (prepare init container)', () => {
  it('copies itself, links /tekton/steps entries, places scripts and creates working dirs', async () => {
    const dst = join(dir, 'bin', 'entrypoint');
    const script = join(dir, 'scripts', 'script-0-abcde');
    const workdir = join(dir, 'workspace', 'src', 'sub');
    const out = await runHelper([
      'init', '-steps_dir', join(dir, 'steps'), '-run_dir', join(dir, 'run'),
      '-script', script, b64('#!/bin/sh\nset -e\necho "$@"\n'), '-workdir', workdir,
      HELPER, dst, 'step-build', 'step-unnamed-1',
    ]);
    expect(out.code).toBe(0);
    expect(readFileSync(dst).equals(readFileSync(HELPER))).toBe(true);
    expect(statSync(dst).mode & 0o777).toBe(0o755);
    expect(readFileSync(script, 'utf8')).toBe('#!/bin/sh\nset -e\necho "$@"\n');
    expect(statSync(script).mode & 0o777).toBe(0o755);
    expect(statSync(workdir).isDirectory()).toBe(true);
    const links: Array<[string, number]> = [['step-build', 0], ['0', 0], ['step-unnamed-1', 1], ['1', 1]];
    for (const [name, i] of links) {
      const link = join(dir, 'steps', name);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe(join(dir, 'run', String(i), 'status'));
    }
    const ran = await runHelper(['--', script, 'hello', 'world']);
    expect(ran.stdout).toBe('hello world\n');
  });

  it('is idempotent (a second init replaces links and the binary)', async () => {
    const args = ['init', '-steps_dir', join(dir, 'steps'), '-run_dir', join(dir, 'run'), HELPER, join(dir, 'ep'), 'step-a'];
    expect((await runHelper(args)).code).toBe(0);
    expect((await runHelper(args)).code).toBe(0);
    expect(readlinkSync(join(dir, 'steps', 'step-a'))).toBe(join(dir, 'run', '0', 'status'));
  });

  it('reports usage errors', async () => {
    expect((await runHelper(['init', HELPER])).code).toBe(2);
    expect((await runHelper(['init', '-bogus', HELPER, join(dir, 'x')])).code).toBe(2);
    expect((await runHelper(['init', join(dir, 'missing'), join(dir, 'x')])).code).toBe(1);
  });
});

describe('decode-script', () => {
  it('decodes base64 in place and keeps the mode', async () => {
    mkdirSync(join(dir, 's'));
    const file = join(dir, 's', 'script');
    const text = '#!/usr/bin/env python3\nprint("ünïcode ok")\n';
    writeFileSync(file, `${b64(text).replace(/(.{20})/g, '$1\n')}\n`, { mode: 0o750 });
    expect((await runHelper(['decode-script', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mode & 0o777).toBe(0o750);
  });
});
