// Bundles the CLI into dist/bundle/tkt.cjs with esbuild (already in the tree through tsx): one CommonJS script with
// every part of tektite the CLI loads (embedded mode, the sink, the cluster controller, manifest tools, the
// dashboard server), the parts a command does not need wrapped so that they are evaluated only on first import. It
// is one script, not ES modules, so that bin/tkt.js can hand V8 a code cache for it (Node 20 has no compile cache
// for modules): after building, a short `tkt run` on the noop runtime writes dist/bundle/cache/ (see bin/tkt.js).
// bin/tkt.js runs the bundle when it is at least as new as every source file, so starting `tkt` does not pay for
// compiling TypeScript at each run. Writes dist/bundle/stamp.json (what it was built from, and a build id).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { esmOptions, external, WORKERS } from './bundle-options.mjs';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');

/** Newest mtime and count of the sources bin/tkt.js compares against (same walk as there). */
function sourceStamp() {
  let count = 0;
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        count++;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(root, 'src'));
  return { count, newest };
}

if (!existsSync(join(root, 'src', 'cli', 'main.ts'))) {
  console.log('no src/cli: nothing to bundle');
  process.exit(0);
}
const stamp = sourceStamp();
// Built aside and swapped in, so a `tkt` starting meanwhile sees the old bundle, none (→ sources), or the new one.
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
try {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outfile: join(tmp, 'tkt.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // pure-JS dependencies are bundled in (one module each instead of Node resolving and, for CommonJS packages,
    // lexing dozens of files at every start); native, huge or optional ones stay external
    external: external(root),
    // the sources are ES modules: import.meta.url is the bundle's own URL (paths.ts finds the package from it)
    define: { 'import.meta.url': '__tktImportMetaUrl' },
    banner: { js: "var __tktImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
} catch (err) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`Could not bundle the CLI (tkt will run from the TypeScript sources instead): ${err.message}`);
  process.exit(0);
}
// Worker threads run their own modules: ES modules beside the bundle, with the same packages left external. The
// EventListener sink worker (opt-in, src/triggers/sink-thread.ts) and the controllers of `tkt up`
// (src/embedded/controller-thread.ts); see src/threads.ts for how they are found.
for (const [entry, outfile, without] of WORKERS) {
  try {
    await build({ ...esmOptions(root), entryPoints: [entry], outfile: join(tmp, outfile) });
  } catch (err) {
    console.error(`Could not bundle ${entry} (${without}): ${err.message}`);
  }
}
// client-node's KubeConfig alone, tree-shaken into one file: importing the whole package to read a kubeconfig costs
// ~0.6 s of module loading per command (src/kube/client.ts loadKubeConfig uses this file when present).
try {
  await build({
    absWorkingDir: root,
    stdin: { contents: "export { KubeConfig } from '@kubernetes/client-node';", resolveDir: root, loader: 'js' },
    outfile: join(tmp, 'vendor', 'kubeconfig.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire as __tktRequire } from 'node:module'; const require = __tktRequire(import.meta.url);" },
    logLevel: 'warning',
  });
} catch (err) {
  console.error(`Could not bundle client-node's KubeConfig (tkt will load the whole package): ${err.message}`);
}
writeFileSync(join(tmp, 'stamp.json'), `${JSON.stringify({ ...stamp, build: randomBytes(6).toString('hex') })}\n`);
const old = `${out}.old-${process.pid}`;
if (existsSync(out)) renameSync(out, old);
renameSync(tmp, out);
rmSync(old, { recursive: true, force: true });

// The code cache: bin/tkt.js writes it at the exit of a process that found none. A short one-shot run makes it hold
// the code of the common paths (commands, manifest tools, embedded mode, controllers), not only of `--version`.
const train = mkdtempSync(join(tmpdir(), 'tkt-build-cli-'));
try {
  writeFileSync(join(train, 'run.yaml'), 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: warm-up}\nspec:\n  taskSpec:\n    steps:\n      - {name: a, image: busybox, script: echo a}\n');
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tkt.js'), 'run', '-f', join(train, 'run.yaml'), '--runtime', 'noop'], { cwd: train, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TKT_FROM_SOURCE: '' } });
  if (r.status !== 0) console.error(`Could not warm the CLI's code cache (tkt starts a little slower): ${r.error?.message ?? r.stderr}`);
} finally {
  rmSync(train, { recursive: true, force: true });
}
