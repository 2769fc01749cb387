/**
 * Worker threads of the embedded process (the EventListener sinks, the controllers): where a worker's module is —
 * beside the module that starts it in the sources or the tsc build, or beside the CLI bundle (dist/bundle/<dir>/) —
 * and how it is started: an ES module whose named export runs the worker; from the TypeScript sources the worker
 * registers tsx first, as the main thread did.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';

/**
 * The URL of a worker module `name` (without extension) that lives in the sources directory `dir` (e.g.
 * `triggers`), looked up relative to `base` (the caller's import.meta.url): `./name.ts`, `./name.js`, or the bundled
 * `./dir/name.mjs` beside the CLI bundle.
 */
export function workerModule(base: string, dir: string, name: string): string | undefined {
  for (const rel of [`./${name}.ts`, `./${name}.js`, `./${dir}/${name}.mjs`]) {
    const url = new URL(rel, base);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  return undefined;
}

/** tsx's ESM API (sources only: the worker compiles TypeScript as the main thread does). */
function tsxApi(): string {
  // require.resolve answers the CommonJS build (index.cjs); its ESM twin is beside it
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
}

const BOOT = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  (await import(workerData.entry))[workerData.run]();
})().catch((err) => { parentPort.postMessage({ t: 'fatal', message: String((err && err.stack) || err) }); process.exit(1); });
`;

/**
 * Starts a worker running `run` (a named export of the module at `entry`) with `data` as its workerData. A worker
 * that cannot load its module posts `{ t: 'fatal', message }` and exits.
 */
export function startWorker(entry: string, run: string, data: Record<string, unknown>, opts: { name: string; transferList?: TransferListItem[]; resourceLimits?: ResourceLimits }): Worker {
  const workerData = { ...data, entry, run, ...(entry.endsWith('.ts') ? { tsx: tsxApi() } : {}) };
  return new Worker(BOOT, { eval: true, workerData, name: opts.name, ...(opts.transferList ? { transferList: opts.transferList } : {}), ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}) });
}
