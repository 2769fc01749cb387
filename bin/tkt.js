#!/usr/bin/env node
// Entry point of the `tkt` CLI. Runs, in order of preference: the esbuild bundle (dist/bundle, built by `npm ci`'s
// prepare step) when it is at least as new as every source file; the tsc build (dist/cli, the container image,
// which has no sources); else the TypeScript sources through tsx. TKT_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const bundle = join(root, 'dist', 'bundle', 'cli', 'main.js');
const compiled = join(root, 'dist', 'cli', 'main.js');

/** The bundle matches the sources: same number of source files, none newer (a walk of ~350 files, a few ms). */
function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  if (!existsSync(src)) return true;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, 'dist', 'bundle', 'stamp.json'), 'utf8'));
  } catch {
    return false;
  }
  let count = 0;
  for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) continue;
    count++;
    if (statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs > stamp.newest) return false;
  }
  return count === stamp.count;
}

const fromSource = Boolean(process.env.TKT_FROM_SOURCE);
const entry = !fromSource && bundleIsFresh() ? 'bundle' : !fromSource && existsSync(compiled) && !existsSync(src) ? 'compiled' : 'source';
if (process.env.TKT_PRINT_ENTRY) process.stderr.write(`tkt entry: ${entry}\n`);
if (entry === 'bundle') await import(pathToFileURL(bundle).href);
else if (entry === 'compiled') await import(pathToFileURL(compiled).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(src, 'cli', 'main.ts')).href);
}
