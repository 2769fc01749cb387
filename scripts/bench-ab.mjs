// Interleaved A/B runs of a bench: the tree at a git ref ("before", in a temporary worktree sharing this checkout's
// node_modules, beside this checkout) against this working tree ("after"), alternating which goes first each round, so that the machine's
// drifts (these VMs move ±40 % within minutes) hit both alike. Prints the matching lines of every run, labelled,
// the medians of the first number on each kind of line, and the median of the per-round ratios after / before (the
// figure to read on a machine whose speed moves between rounds: each ratio compares two runs minutes apart).
//
//   node scripts/bench-ab.mjs --ref 2e36228 [--rounds 3] [--grep REGEX] [--bench-from-here] -- pipelinerun --skip-host --rate-runs 0 --solo-runs 0
//
// --bench-from-here copies bench/ and scripts/bench.mjs of this tree into the worktree (a bench that gained options
// since the ref); it fails when the copied bench imports sources the ref does not have.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const own = sep < 0 ? argv : argv.slice(0, sep);
const benchArgs = sep < 0 ? [] : argv.slice(sep + 1);
const opt = (name, fallback) => { const i = own.indexOf(name); return i < 0 ? fallback : own[i + 1]; };
const ref = opt('--ref');
const rounds = Number(opt('--rounds', '3'));
const grep = new RegExp(opt('--grep', 'throughput:|req/s|^ratio:|CPU per TaskRun by thread'));
if (!ref || benchArgs.length === 0) {
  console.error('usage: node scripts/bench-ab.mjs --ref <commit> [--rounds N] [--grep REGEX] [--bench-from-here] -- <bench> [bench args...]');
  process.exit(2);
}
const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--short', ref);
// beside the repository, as the repository is: benches read fixtures from ../shared
const dir = mkdtempSync(join(dirname(root), `.tkt-ab-${sha}-`));
rmSync(dir, { recursive: true, force: true });
git('worktree', 'add', '--detach', dir, sha);
const cleanup = () => { try { git('worktree', 'remove', '--force', dir); } catch { rmSync(dir, { recursive: true, force: true }); } };
process.on('SIGINT', () => { cleanup(); process.exit(130); });
try {
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (own.includes('--bench-from-here')) {
    cpSync(join(root, 'bench'), join(dir, 'bench'), { recursive: true });
    cpSync(join(root, 'scripts', 'bench.mjs'), join(dir, 'scripts', 'bench.mjs'));
  }
  if (!existsSync(join(dir, 'scripts', 'bench.mjs'))) throw new Error(`${sha} has no scripts/bench.mjs (use --bench-from-here)`);
  const trees = { before: dir, after: root };
  const byKind = new Map();
  console.log(`A/B: before = ${sha} (${dir}), after = this working tree; ${rounds} rounds of: node scripts/bench.mjs ${benchArgs.join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
      const run = spawnSync(process.execPath, ['scripts/bench.mjs', ...benchArgs], { cwd: trees[side], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => grep.test(l));
      if (run.status !== 0) lines.push(`(exit ${run.status}) ${run.stderr.trim().split('\n').slice(-2).join(' / ')}`);
      for (const l of lines) {
        console.log(`round ${r + 1} ${side.padEnd(6)} ${l.trim()}`);
        const kind = l.trim().split(/[0-9]/)[0]?.trim() ?? '';
        const n = Number(/[0-9][0-9.,]*/.exec(l)?.[0].replace(/,/g, ''));
        if (kind && Number.isFinite(n)) {
          if (!byKind.has(kind)) byKind.set(kind, { before: [], after: [] });
          byKind.get(kind)[side].push(n);
        }
      }
    }
  }
  const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
  for (const [kind, v] of byKind) {
    const ratios = v.before.map((b, i) => v.after[i] / b).filter((x) => Number.isFinite(x));
    console.log(`median of the first number, "${kind.slice(0, 60)}": before ${median(v.before)}, after ${median(v.after)}; after / before by round ${ratios.map((x) => x.toFixed(2)).join(' ')}, median ${median(ratios).toFixed(2)}`);
  }
} finally {
  cleanup();
}
