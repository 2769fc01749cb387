#!/usr/bin/env node
// Entry point of the `tkt` CLI. Runs, in order of preference: the esbuild bundle (dist/bundle/tkt.cjs, built by
// `npm ci`'s prepare step) when it is at least as new as every source file; the tsc build (dist/cli, the container
// image, which has no sources); else the TypeScript sources through tsx. TKT_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const bundleDir = join(root, 'dist', 'bundle');
const bundle = join(bundleDir, 'tkt.cjs');
const compiled = join(root, 'dist', 'cli', 'main.js');

/** dist/bundle/stamp.json: the sources' count and newest mtime when the bundle was built, and a build id. */
function readStamp() {
  try {
    return JSON.parse(readFileSync(join(bundleDir, 'stamp.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Calls `visit` with the path of every source file under `dir` (.ts, not tests); a walk by hand is twice as fast as readdirSync's recursive one. */
function eachSource(dir, visit) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) eachSource(path, visit);
    else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) visit(path);
  }
}

/** The bundle matches the sources: same number of source files, none newer (a walk of ~400 files, ~5 ms). */
function bundleIsFresh(stamp) {
  if (!stamp || !existsSync(bundle)) return false;
  if (!existsSync(src)) return true;
  let count = 0;
  let newer = false;
  eachSource(src, (path) => {
    count++;
    if (!newer && statSync(path).mtimeMs > stamp.newest) newer = true;
  });
  return !newer && count === stamp.count;
}

/**
 * Runs the bundle as a CommonJS module compiled through vm.Script with V8's code cache: V8 skips parsing and
 * compiling what the cache holds (~40 ms of a one-shot run). The cache is named by the bundle's build id (a rebuilt
 * bundle never reads an older cache, even one written late by a process of the old build), Node's version and
 * architecture, and the options node runs with; V8 itself refuses a cache from another V8 or other flags. A process
 * that found no cache, or one V8 refused, writes it at exit (best effort: a read-only install just runs without).
 */
function runBundle(stamp) {
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = join(bundleDir, 'cache', `${stamp.build ?? 'unknown'}-${process.version}-${process.arch}${flagsTag()}.bin`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // the wrapper stays on the bundle's first line, so that line numbers in stack traces are the bundle's
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'refused' : 'used';
  if (process.env.TKT_PRINT_ENTRY) process.stderr.write(`tkt code cache: ${cache}\n`);
  if (cache !== 'used') process.once('exit', () => writeCache(script, cacheFile));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, bundleDir);
}

/**
 * Node and V8 options change what V8 accepts (a cache made under `--trace-gc` or NODE_OPTIONS=--max-old-space-size
 * is refused without them): each set of options has its own cache, so that runs with different ones do not keep
 * replacing each other's. Empty without options; else a short hash (FNV-1a) of their names (not their values, so
 * that `--cpu-prof-dir=DIR` with a new DIR each time does not leave a new cache each time).
 */
function flagsTag() {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map((f) => f.replace(/=.*/s, '')).join(' ').trim();
  if (!flags) return '';
  let h = 0x811c9dc5;
  for (let i = 0; i < flags.length; i++) h = Math.imul(h ^ flags.charCodeAt(i), 0x01000193);
  return `-o${(h >>> 0).toString(16)}`;
}

function writeCache(script, file) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
  } catch {
    // not writable (an install owned by another user): tkt runs without a cache
  }
}

const fromSource = Boolean(process.env.TKT_FROM_SOURCE);
const stamp = fromSource ? undefined : readStamp();
const entry = !fromSource && bundleIsFresh(stamp) ? 'bundle' : !fromSource && existsSync(compiled) && !existsSync(src) ? 'compiled' : 'source';
if (process.env.TKT_PRINT_ENTRY) process.stderr.write(`tkt entry: ${entry}\n`);
if (entry === 'bundle') runBundle(stamp);
else if (entry === 'compiled') await import(pathToFileURL(compiled).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(src, 'cli', 'main.ts')).href);
}
