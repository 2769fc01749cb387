// Builds the web dashboard's page into dist/dashboard-ui/ (not dist/dashboard/, where tsc puts the server) with esbuild (already in the tree through tsx): app.js
// (Preact, dagre and anser bundled in, minified; no CDN at run time), app.css and index.html. Fast (< 1 s), so
// `prepare` runs it on every `npm ci`. Without src/dashboard/ui (a partial copy) it does nothing.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ui = join(root, 'src', 'dashboard', 'ui');
const out = join(root, 'dist', 'dashboard-ui');
if (!existsSync(join(ui, 'main.tsx'))) {
  console.log('no src/dashboard/ui: no dashboard to build');
  process.exit(0);
}
// built aside and swapped in, so a running dashboard serves the old page or the new one, never half of one
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
try {
  await build({
    absWorkingDir: root,
    entryPoints: { app: join(ui, 'main.tsx') },
    outdir: tmp,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    tsconfig: join(ui, 'tsconfig.json'),
    logLevel: 'warning',
  });
  await build({ entryPoints: [join(ui, 'app.css')], outfile: join(tmp, 'app.css'), bundle: true, minify: true, logLevel: 'warning' });
  copyFileSync(join(ui, 'index.html'), join(tmp, 'index.html'));
} catch (err) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`Could not build the dashboard: ${err.message}`);
  process.exit(1);
}
const old = `${out}.old-${process.pid}`;
if (existsSync(out)) renameSync(out, old);
renameSync(tmp, out);
rmSync(old, { recursive: true, force: true });
