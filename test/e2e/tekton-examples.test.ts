/**
 * Tekton's own example suite, run unchanged: every in-scope file of ../shared/conformance/tekton-examples
 * through `tkt run --runtime host`, each of which must exit 0 (every run Succeeded).
 */
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conformanceDir, examplesIn, repoRoot } from '../helpers/conformance.js';

const dir = conformanceDir();
const results: Array<{ file: string; ok: boolean }> = [];

function runExample(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tkt.js'), 'run', '-f', file, '--runtime', 'host', '--timeout', '2m'], {
      cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

if (!dir) {
  console.log('skipping Tekton examples: ../shared/conformance is not present next to the repository');
}

describe.runIf(dir)('Tekton examples (conformance)', () => {
  for (const folder of ['taskruns', 'pipelineruns']) {
    describe.concurrent(folder, () => {
      for (const file of dir ? examplesIn(dir, folder) : []) {
        it(basename(file), { timeout: 180_000 }, async () => {
          const { code, output } = await runExample(file);
          results.push({ file: `${folder}/${basename(file)}`, ok: code === 0 });
          expect(code, output.slice(-4000)).toBe(0);
        });
      }
    });
  }

  afterAll(() => {
    const passed = results.filter((r) => r.ok).length;
    for (const r of results.filter((x) => !x.ok)) console.log(`FAILED ${r.file}`);
    console.log(`tekton-examples: ${passed} passed, ${results.length - passed} failed`);
  });
});
