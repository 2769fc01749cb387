/**
 * A small TTL cache of resolutions keyed by resolver, namespace, expected kind and params, so the reconciles of
 * one run (and the TaskRuns of one PipelineRun) resolve a reference once. Concurrent lookups share one load;
 * failures are not kept. Tekton's `cache` param: `never` skips the cache, `always` keeps an entry as long as an
 * immutable one, `auto` (default) keeps immutable references (commit SHA, digest) longer than mutable ones.
 * When a reference that resolved before cannot be fetched again, the last answer is served (stale-if-error), so a
 * running run does not fail because its Task's server went away after the run started.
 */
import type { ResolutionConfig } from './config.js';
import type { ResolvedData, ResolveRequest } from './types.js';

interface Entry {
  expires: number;
  value: Promise<ResolvedData>;
}

/** The cache key of a request. */
export function cacheKey(req: ResolveRequest): string {
  const params = [...req.params].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => [p.name, p.value]);
  return JSON.stringify([req.resolver, req.namespace, req.kind, params]);
}

function cacheMode(req: ResolveRequest): string {
  const p = req.params.find((x) => x.name === 'cache');
  return typeof p?.value === 'string' ? p.value : 'auto';
}

/** TTL-bounded, size-bounded cache of resolutions. */
export class ResolutionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cached answer for `req`, or the result of `load` (stored for its TTL when it succeeds). */
  lookup(req: ResolveRequest, config: ResolutionConfig, load: () => Promise<ResolvedData>): Promise<ResolvedData> {
    const mode = cacheMode(req);
    if (mode === 'never' || config.ttlMs <= 0) return load();
    const key = cacheKey(req);
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    // an expired entry is a past success: if fetching again fails (the server is down mid-run), keep serving it
    const value = hit ? load().catch(() => hit.value) : load();
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.value.then(
      (v) => { entry.expires = this.now() + (v.immutable || mode === 'always' ? config.immutableTtlMs : config.ttlMs); },
      () => { if (this.entries.get(key) === entry) this.entries.delete(key); },
    );
    this.evict(config.maxEntries);
    return entry.value;
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Number of entries held (pending ones included). */
  get size(): number {
    return this.entries.size;
  }

  private evict(max: number): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(key);
    }
  }
}
