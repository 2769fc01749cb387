// bench:cli — how long `tkt` takes to start, as a ratio to `node -e 0` measured in the same run (issue 19's goals:
// --version ≤ 2 × node's start; a whole `tkt run` of a 3-step TaskRun on the noop runtime ≤ 0.3 s).
// Usage: npm run bench:cli [-- --runs N]. Rebuilds the bundle first (scripts/build-cli.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const root = new URL('..', import.meta.url).pathname;
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'tkt-bench-cli-'));
const file = join(dir, 'three.yaml');
writeFileSync(file, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: three}
spec:
  taskSpec:
    steps:
${['a', 'b', 'c'].map((s) => `      - {name: ${s}, image: busybox, script: echo ${s}}`).join('\n')}
`);
const tkt = join(root, 'bin', 'tkt.js');

function median(cmd, args, env = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// Interleaved would be fairer on a noisy machine; medians over `runs` each are what we report.
const floor = median(process.execPath, ['-e', '0']);
const rows = [
  ['node -e 0 (floor)', floor],
  ['tkt --version (bundle)', median(process.execPath, [tkt, '--version'])],
  ['tkt --version (sources via tsx)', median(process.execPath, [tkt, '--version'], { TKT_FROM_SOURCE: '1' })],
  ['tkt run 3-step TaskRun, noop (bundle)', median(process.execPath, [tkt, 'run', '-f', file, '--runtime', 'noop'])],
  ['tkt run 3-step TaskRun, noop (sources)', median(process.execPath, [tkt, 'run', '-f', file, '--runtime', 'noop'], { TKT_FROM_SOURCE: '1' })],
];
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${runs} runs each, medians`);
for (const [name, ms] of rows) console.log(`${name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / floor).toFixed(2)} × floor`);
