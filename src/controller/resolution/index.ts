/**
 * Remote resolution of `taskRef`, `pipelineRef` and step `ref`s that name a `resolver:` — cluster, git, http,
 * bundles and hub (this repository's catalog) — done by the controller itself (no ResolutionRequest objects).
 * Answers are cached for a short time so the reconciles of one run do not fetch again. A failure is a value
 * whose message names the reference; only Kubernetes API errors are thrown (transient: retried with backoff).
 */
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError } from '../../kube/errors.js';
import { bundlesResolver } from './bundles.js';
import { ResolutionCache } from './cache.js';
import { clusterResolver } from './cluster.js';
import type { ResolutionConfig } from './config.js';
import { resolutionConfigFromEnv } from './config.js';
import { decodeResolved } from './decode.js';
import { gitResolver } from './git.js';
import { httpResolver } from './http.js';
import { hubResolver } from './hub.js';
import { describeRef, redactUrl } from './params.js';
import type { RefSource, Resolver, ResolveRequest } from './types.js';
import { ResolutionError } from './types.js';

export type { ResolutionConfig } from './config.js';
export type { ExpectedKind, RefSource, ResolveRequest, Resolver } from './types.js';
export { ResolutionError } from './types.js';
export { substituteRunParams } from './params.js';

/** The outcome of resolving one reference. */
export type ResolvedRef =
  | { ok: true; object: KubeObject & { spec: unknown }; name?: string; source: RefSource }
  | { ok: false; message: string };

/** The built-in resolvers. */
export const BUILTIN_RESOLVERS: readonly Resolver[] = [clusterResolver, gitResolver, httpResolver, bundlesResolver, hubResolver];

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ResolutionError(`timed out after ${Math.round(ms / 1000)}s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A set of resolvers with their settings and cache. */
export class Resolution {
  readonly config: ResolutionConfig;
  readonly cache = new ResolutionCache();
  private readonly resolvers: Map<string, Resolver>;

  constructor(opts: { config?: Partial<ResolutionConfig>; resolvers?: readonly Resolver[] } = {}) {
    this.config = { ...resolutionConfigFromEnv(), ...opts.config };
    this.resolvers = new Map((opts.resolvers ?? BUILTIN_RESOLVERS).map((r) => [r.name, r]));
  }

  /** Resolves one reference into a checked, defaulted object of the expected kind. */
  async resolve(client: KubeClient, req: ResolveRequest): Promise<ResolvedRef> {
    const what = describeRef(req.resolver, req.params);
    const resolver = this.resolvers.get(req.resolver);
    if (!resolver) {
      return { ok: false, message: `${what}: unknown resolver; tektite resolves ${[...this.resolvers.keys()].join(', ')}` };
    }
    try {
      const ctx = { client, config: this.config };
      const data = await this.cache.lookup(req, this.config, () => withTimeout(resolver.resolve(req, ctx), this.config.timeoutMs));
      const object = decodeResolved(data.data, req.kind);
      return { ok: true, object, ...(object.metadata.name ? { name: object.metadata.name } : {}), source: data.source };
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, message: redactUrl(`${what}: ${message}`) };
    }
  }
}

let shared: Resolution | undefined;

/** The process-wide resolution used by the reconcilers (settings from the environment unless configured). */
export function sharedResolution(): Resolution {
  shared ??= new Resolution();
  return shared;
}

/** Replaces the process-wide resolution (new settings, empty cache). */
export function configureResolution(config: Partial<ResolutionConfig> = {}, resolvers?: readonly Resolver[]): Resolution {
  shared = new Resolution({ config, ...(resolvers ? { resolvers } : {}) });
  return shared;
}

/** Resolves a reference with the process-wide resolution. */
export function resolveRef(client: KubeClient, req: ResolveRequest): Promise<ResolvedRef> {
  return sharedResolution().resolve(client, req);
}
