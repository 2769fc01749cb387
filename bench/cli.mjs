// bench:cli — how long `tkt` takes to start, as a ratio to `node -e 0` measured in the same run (issue 19's goals:
// --version ≤ 2 × node's start; a whole `tkt run` of a 3-step TaskRun on the noop runtime ≤ 0.3 s).
// Usage: npm run bench:cli [-- --runs N] [-- --no-source]. Rebuilds the bundle first (scripts/build-cli.mjs). The
// commands run interleaved (one of each per round), so that a machine shared with other work slows them alike;
// prints the median and the fastest wall time of each, and the load average seen during the run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const withSources = !process.argv.includes('--no-source');
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
const run = ['run', '-f', file, '--runtime', 'noop'];
const cases = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: 'tkt --version (bundle)', args: [tkt, '--version'] },
  { name: 'tkt run 3-step TaskRun, noop (bundle)', args: [tkt, ...run] },
  ...(withSources ? [
    { name: 'tkt --version (sources via tsx)', args: [tkt, '--version'], env: { TKT_FROM_SOURCE: '1' } },
    { name: 'tkt run 3-step TaskRun, noop (sources)', args: [tkt, ...run], env: { TKT_FROM_SOURCE: '1' } },
  ] : []),
].map((c) => ({ ...c, times: [] }));

const loads = [loadavg()[0]];
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.args, { env: { ...process.env, ...c.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${c.args.join(' ')} failed: ${r.stderr}`);
    c.times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  loads.push(loadavg()[0]);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = cases[0];
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; Node ${process.version}; ${runs} interleaved rounds; load average (1 min) ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`);
console.log(`${''.padEnd(42)} ${'median'.padStart(9)} ${'× floor'.padStart(8)} ${'fastest'.padStart(9)} ${'× floor'.padStart(8)}`);
for (const c of cases) {
  const [med, fast] = [median(c.times), Math.min(...c.times)];
  console.log(`${c.name.padEnd(42)} ${`${med.toFixed(0)} ms`.padStart(9)} ${(med / median(floor.times)).toFixed(2).padStart(8)} ${`${fast.toFixed(0)} ms`.padStart(9)} ${(fast / Math.min(...floor.times)).toFixed(2).padStart(8)}`);
}
