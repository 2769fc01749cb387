import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHelper, HELPER, tempDir, type Entry } from './harness.js';

/** bwrap and musl-gcc (or cc) must be usable; otherwise the test is skipped with a printed reason. */
function unavailable(): string | undefined {
  if (spawnSync('bwrap', ['--version']).status !== 0) return 'bwrap is not installed';
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--', 'true']);
  if (probe.status !== 0) return `bwrap cannot create a sandbox here: ${probe.stderr.toString().trim()}`;
  if (spawnSync('musl-gcc', ['--version']).status !== 0 && spawnSync('cc', ['--version']).status !== 0) {
    return 'no C compiler for the static test program';
  }
  return undefined;
}

const reason = unavailable();
if (reason) console.log(`skipping shell-less sandbox test: ${reason}`);

const HELLO_C = `
#include <stdio.h>
int main(int argc, char **argv) {
  FILE *f = fopen("/tekton/results/greeting", "w");
  if (!f) return 3;
  fputs("hello \\"scratch\\"", f);
  fclose(f);
  printf("hello from a shell-less root, %d args, last=%s\\n", argc - 1, argv[argc - 1]);
  return 0;
}
`;

describe.skipIf(reason !== undefined)('helper in a shell-less root (bubblewrap)', () => {
  let tmp = { dir: '', cleanup: (): void => {} };
  let image = '';
  let tekton = '';

  beforeAll(() => {
    buildHelper();
    tmp = tempDir('tkt-ep-bwrap-');
    image = join(tmp.dir, 'image');
    tekton = join(tmp.dir, 'tekton');
    mkdirSync(image);
    mkdirSync(join(tekton, 'results'), { recursive: true });
    writeFileSync(join(tmp.dir, 'hello.c'), HELLO_C);
    const cc = spawnSync('musl-gcc', ['--version']).status === 0 ? 'musl-gcc' : 'cc';
    execFileSync(cc, ['-static', '-Os', '-o', join(image, 'hello'), join(tmp.dir, 'hello.c')]);
    copyFileSync(HELPER, join(image, 'entrypoint'));
  });
  afterAll(() => tmp.cleanup());

  const sandbox = (args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync('bwrap', ['--tmpfs', '/', '--ro-bind', image, '/tektite', '--bind', tekton, '/tekton',
      '--dev', '/dev', '--proc', '/proc', '--', ...args], { encoding: 'utf8' });

  it('prepares the pod and runs a step and a script whose interpreter is a static program', () => {
    expect(existsSync(join(image, 'sh'))).toBe(false);
    const scriptB64 = Buffer.from('#!/tektite/hello\n').toString('base64');
    const prep = sandbox(['/tektite/entrypoint', 'init', '-script', '/tekton/scripts/script-1-x', scriptB64,
      '/tektite/entrypoint', '/tekton/bin/entrypoint', 'step-hello', 'step-script']);
    expect(prep.status, String(prep.stderr)).toBe(0);

    const step0 = sandbox(['/tekton/bin/entrypoint', '-post_file', '/tekton/run/0/out', '-termination_path',
      '/tekton/termination-0', '-step_metadata_dir', '/tekton/run/0/status', '-results', 'greeting',
      '-entrypoint', '/tektite/hello', '--', 'one', 'two']);
    expect(step0.status, String(step0.stderr)).toBe(0);
    expect(step0.stdout).toBe('hello from a shell-less root, 2 args, last=two\n');
    const msg = JSON.parse(readFileSync(join(tekton, 'termination-0'), 'utf8')) as Entry[];
    expect(msg.find((e) => e.key === 'greeting')).toEqual({ key: 'greeting', value: 'hello "scratch"', type: 1 });

    const step1 = sandbox(['/tekton/bin/entrypoint', '-wait_file', '/tekton/run/0/out', '-post_file',
      '/tekton/run/1/out', '-termination_path', '/tekton/termination-1', '--', '/tekton/scripts/script-1-x', 'arg']);
    expect(step1.status, String(step1.stderr)).toBe(0);
    expect(step1.stdout).toBe('hello from a shell-less root, 2 args, last=arg\n');
    expect(existsSync(join(tekton, 'run', '1', 'out'))).toBe(true);
  });
});
