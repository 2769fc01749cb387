/**
 * Where tektite's own files are (dist/entrypoint, catalog/, bin/): the nearest folder above this module that holds
 * tektite's package.json. Works from the sources (src/…), the tsc build (dist/…) and the bundle (dist/bundle/…,
 * where a module may sit in a shared chunk at any depth).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isTektite(pkg)) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not found (an unusual install layout): two folders above this module, as the sources are laid out.
  return (cached = join(dirname(fileURLToPath(import.meta.url)), '..'));
}

function isTektite(pkg: string): boolean {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tektite';
  } catch {
    return false;
  }
}
