// Runs a benchmark on the code as `tkt` runs it: bench/<name>.ts bundled by esbuild with the CLI bundle's options
// (scripts/bundle-options.mjs) into dist/bench/, worker modules beside it, then run by node with the given arguments.
// Running the TypeScript sources through tsx instead costs a few per cent more CPU (tsx keeps function names: a
// defineProperty per closure made), so figures for the product are taken this way.
// `--profile` / `--profile-out` run the sources through tsx: the profile attributes samples to src/ files by URL.
//
//   node scripts/bench.mjs pipelinerun [args...]      (npm run bench:pipelinerun -- [args...])
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esmOptions, WORKERS } from './bundle-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
const source = name ? join(root, 'bench', `${name}.ts`) : '';
if (!name || !existsSync(source)) {
  console.error(`usage: node scripts/bench.mjs <name> [args...], where bench/<name>.ts exists${name ? ` (no ${source})` : ''}`);
  process.exit(2);
}
const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
};
if (args.some((a) => a === '--profile' || a.startsWith('--profile-out'))) {
  run(process.execPath, ['--import', 'tsx', source, ...args]);
}
const { build } = await import('esbuild');
const out = join(root, 'dist', 'bench');
mkdirSync(out, { recursive: true });
await build({ ...esmOptions(root), entryPoints: [source], outfile: join(out, `${name}.mjs`), sourcemap: 'linked' });
for (const [entry, outfile] of WORKERS) await build({ ...esmOptions(root), entryPoints: [entry], outfile: join(out, outfile) });
run(process.execPath, [join(out, `${name}.mjs`), ...args]);
