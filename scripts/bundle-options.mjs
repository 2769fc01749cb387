// The esbuild options the CLI bundle (scripts/build-cli.mjs) and the bundled benchmarks (scripts/bench.mjs) share,
// so that a benchmark measures the code as `tkt` runs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pure-JS dependencies carried inside the bundles; every other package is left to Node at run time. */
const BUNDLED = new Set(['yaml', 'commander', 'picocolors', 'zod', 'fast-json-patch', 'jsonpath-plus', '@marcbachmann/cel-js', '@dagrejs/graphlib']);

/** Packages left to Node at run time: every dependency except the pure-JS ones the bundle carries. */
export function external(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((n) => !BUNDLED.has(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

/** An ES module bundle for Node 20 that can still require() the packages left external. */
export function esmOptions(root) {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: external(root),
    banner: { js: "import { createRequire as __tktRequire } from 'node:module'; const require = __tktRequire(import.meta.url);" },
    logLevel: 'warning',
  };
}

/** The worker modules started by src/threads.ts, and where they go beside a bundle (`<dir>/<name>.mjs`). */
export const WORKERS = [
  ['src/triggers/sink-worker.ts', 'triggers/sink-worker.mjs', 'sinks stay on the main thread'],
  ['src/embedded/controller-worker.ts', 'embedded/controller-worker.mjs', 'controllers stay on the main thread'],
];
