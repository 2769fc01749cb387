/**
 * Tekton's own example suite, run unchanged: every in-scope file of ../shared/conformance/tekton-examples
 * through `tkt run --runtime host`, each of which must exit 0 (every run Succeeded).
 */
import { spawn, spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conformanceDir, examplesIn, repoRoot } from '../helpers/conformance.js';

const dir = conformanceDir();
const results: Array<{ file: string; ok: boolean }> = [];

function runExample(file: string, extra: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tkt.js'), 'run', '-f', file, '--runtime', 'host', '--timeout', '2m', ...extra], {
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

/**
 * Tekton's beta examples of issue 13, vendored unchanged in test/fixtures/tekton-examples-beta (the shared
 * corpus holds only the stable ones). large-task-result needs results-from: sidecar-logs, as in Tekton's CI.
 */
const betaDir = join(repoRoot, 'test', 'fixtures', 'tekton-examples-beta');
const BETA: Array<{ file: string; flags?: string }> = [
  { file: 'pipelineruns/isolated-workspaces.yaml' },
  { file: 'taskruns/workspace-isolation.yaml' },
  { file: 'taskruns/large-task-result.yaml', flags: 'results-from=sidecar-logs' },
];
const hasFeatureFlagsOption = spawnSync(process.execPath, [join(repoRoot, 'bin', 'tkt.js'), 'run', '--help'], { encoding: 'utf8' }).stdout.includes('--feature-flags');

describe.concurrent('Tekton beta examples', () => {
  for (const { file, flags } of BETA) {
    const skip = flags !== undefined && !hasFeatureFlagsOption;
    if (skip) console.log(`skipping beta ${file}: tkt run has no --feature-flags option to set ${flags}`);
    it.skipIf(skip)(file, { timeout: 180_000 }, async () => {
      const { code, output } = await runExample(join(betaDir, file), flags ? ['--feature-flags', flags] : []);
      expect(code, output.slice(-4000)).toBe(0);
    });
  }
});
