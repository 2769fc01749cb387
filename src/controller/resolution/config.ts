/**
 * Resolution settings, read once (from the environment unless {@link configureResolution} set them) and passed
 * down to every resolver: where the hub resolver's catalog is, where git mirrors live, cache lifetimes and the
 * per-resolution timeout (Tekton's is one minute).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';

/** Settings of the resolvers. */
export interface ResolutionConfig {
  /** Root of the catalog the hub resolver answers from (`<dir>/task/<name>/<version>/<name>.yaml`). */
  catalogDir: string;
  /** Directory for git mirrors; absent = a per-process temp dir made on first use and removed at exit. */
  cacheDir?: string;
  /** How long a resolved mutable reference (branch, tag, URL, cluster object) is reused. */
  ttlMs: number;
  /** How long an immutable reference (commit SHA, digest) is reused. */
  immutableTtlMs: number;
  /** Most cached resolutions kept. */
  maxEntries: number;
  /** Timeout of one resolution (network and git included). */
  timeoutMs: number;
  /** Largest resolved document accepted, in bytes. */
  maxBytes: number;
}

/** The repository's own catalog/ (next to src/ or dist/). */
export function defaultCatalogDir(): string {
  return join(packageRoot(), 'catalog');
}

let tempCache: string | undefined;

/** The configured cache directory, or a per-process one (made on first use, removed when the process exits). */
export function cacheDirOf(config: ResolutionConfig): string {
  if (config.cacheDir) return config.cacheDir;
  if (!tempCache) {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-resolution-'));
    tempCache = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return tempCache;
}

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined ? v : fallback;
}

/** Settings from the environment (`TKT_CATALOG_DIR`, `TKT_RESOLVER_CACHE_DIR`, `TKT_RESOLVER_TTL_SECONDS`). */
export function resolutionConfigFromEnv(): ResolutionConfig {
  return {
    catalogDir: process.env.TKT_CATALOG_DIR || defaultCatalogDir(),
    ...(process.env.TKT_RESOLVER_CACHE_DIR ? { cacheDir: process.env.TKT_RESOLVER_CACHE_DIR } : {}),
    ttlMs: envNumber('TKT_RESOLVER_TTL_SECONDS', 60) * 1000,
    immutableTtlMs: envNumber('TKT_RESOLVER_IMMUTABLE_TTL_SECONDS', 300) * 1000,
    maxEntries: 1000,
    timeoutMs: envNumber('TKT_RESOLVER_TIMEOUT_SECONDS', 60) * 1000,
    maxBytes: 4 * 1024 * 1024,
  };
}
