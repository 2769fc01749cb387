/**
 * ENTRYPOINT/CMD lookup for steps that give no `command` (Tekton's entrypoint cache): the image's config from
 * its registry, authenticated with the service account's imagePullSecrets, cached by digest. A reference that
 * names a digest is answered from the cache without asking the registry; a tag costs one HEAD (or GET) to learn
 * its digest. The answer carries the pinned reference (`repo@sha256:…`) so the pod runs the image whose
 * entrypoint was read.
 */
import type { TaskSpec } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { builtinImageEntrypoints, type ImageEntrypoint, type ImageEntrypointLookup } from '../../pod/image-entrypoints.js';
import { credentialsFor } from './credentials.js';
import { parseImageReference, pinnedReference, type ImageReference } from './reference.js';
import { ImageLookupError, RegistrySession, type Platform } from './registry.js';

/** What a lookup answers. */
export interface ImageLookupResult extends ImageEntrypoint {
  /** Digest the reference resolved to (the index digest for a multi-platform image). */
  digest: string;
  /** `registry/repository@digest`. */
  pinned: string;
}

/** Who pulls the image: the TaskRun's namespace and service account, and its podTemplate's imagePullSecrets. */
export interface LookupContext {
  namespace: string;
  serviceAccountName?: string;
  /** podTemplate.imagePullSecrets, tried before the ServiceAccount's (as Tekton's entrypoint cache). */
  imagePullSecrets?: string[];
}

/** A registry lookup; rejects with {@link ImageLookupError} (missing image, access denied, unreachable). */
export type RegistryLookup = (image: string, ctx: LookupContext) => Promise<ImageLookupResult | undefined>;

/** Options of {@link makeRegistryLookup}. */
export interface RegistryLookupOptions {
  client: KubeClient;
  /** Registries (`host[:port]`) spoken to over plain HTTP. */
  insecureRegistries?: readonly string[];
  /** Platform picked from image indexes (default linux/amd64). */
  platform?: Platform;
  /** Longest wait for one registry request (default 30 s). */
  timeoutMs?: number;
  /** Most cached digests kept (default 1,000; oldest dropped first). */
  cacheSize?: number;
}

/** ENTRYPOINT/CMD by `registry/repository@digest`, oldest entries dropped past `limit`. */
class DigestCache {
  private readonly map = new Map<string, ImageEntrypoint>();
  constructor(private readonly limit: number) {}

  get(ref: ImageReference, digest: string): ImageLookupResult | undefined {
    const v = this.map.get(`${ref.registry}/${ref.repository}@${digest}`);
    return v ? { ...copy(v), digest, pinned: pinnedReference(ref, digest) } : undefined;
  }

  set(ref: ImageReference, digest: string, value: ImageEntrypoint): void {
    this.map.set(`${ref.registry}/${ref.repository}@${digest}`, copy(value));
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
}

interface Deps { opts: RegistryLookupOptions; insecure: Set<string>; platform: Platform; cache: DigestCache }

/** One lookup: cache by digest, else HEAD for a tag's digest, else manifest + config from the registry. */
async function resolveImage(ref: ImageReference, ctx: LookupContext, d: Deps): Promise<ImageLookupResult> {
  const pinnedHit = ref.digest ? d.cache.get(ref, ref.digest) : undefined;
  if (pinnedHit) return pinnedHit;
  const credentials = await credentialsFor(d.opts.client, ctx.namespace, ctx.serviceAccountName || 'default', ref.registry, ctx.imagePullSecrets);
  const session = new RegistrySession(ref, { insecure: d.insecure.has(ref.registry), credentials, timeoutMs: d.opts.timeoutMs });
  if (!ref.digest) {
    const digest = await session.headDigest();
    const hit = digest ? d.cache.get(ref, digest) : undefined;
    if (hit) return hit;
  }
  const { digest, manifest } = await session.resolveManifest(d.platform);
  const configDigest = manifest.config?.digest;
  if (!configDigest) throw new ImageLookupError('BadResponse', `image "${ref.registry}/${ref.repository}": manifest has no config`);
  const config = (await session.config(configDigest)).config ?? {};
  d.cache.set(ref, digest, {
    ...(config.Entrypoint?.length ? { entrypoint: [...config.Entrypoint] } : {}),
    ...(config.Cmd?.length ? { cmd: [...config.Cmd] } : {}),
  });
  return d.cache.get(ref, digest)!;
}

/** Builds the lookup (concurrent lookups of one image for one service account share a request). */
export function makeRegistryLookup(opts: RegistryLookupOptions): RegistryLookup {
  const deps: Deps = {
    opts, insecure: new Set(opts.insecureRegistries ?? []), platform: opts.platform ?? { os: 'linux', architecture: 'amd64' },
    cache: new DigestCache(opts.cacheSize ?? 1000),
  };
  const inFlight = new Map<string, Promise<ImageLookupResult | undefined>>();
  return (image, ctx) => {
    let ref: ImageReference;
    try {
      ref = parseImageReference(image);
    } catch (err) {
      return Promise.reject(new ImageLookupError('BadResponse', (err as Error).message));
    }
    const key = `${ctx.namespace}/${ctx.serviceAccountName ?? ''}/${(ctx.imagePullSecrets ?? []).join(',')}/${image}`;
    let p = inFlight.get(key);
    if (!p) {
      p = resolveImage(ref, ctx, deps).finally(() => inFlight.delete(key));
      inFlight.set(key, p);
    }
    return p;
  };
}

function copy(v: ImageEntrypoint): ImageEntrypoint {
  return { ...(v.entrypoint ? { entrypoint: [...v.entrypoint] } : {}), ...(v.cmd ? { cmd: [...v.cmd] } : {}) };
}

/**
 * Looks up, before building a pod, every image of the spec's steps and sidecars that has no `command` and no
 * `script`, and answers the synchronous lookup buildPod takes (`config.imageEntrypoint`), falling back to the
 * built-in table. A failed lookup rejects, so the caller can fail the TaskRun with the message.
 */
export async function prefetchImageEntrypoints(spec: TaskSpec, lookup: RegistryLookup, ctx: LookupContext): Promise<ImageEntrypointLookup> {
  const containers = [...(spec.steps ?? []), ...(spec.sidecars ?? [])] as Array<{ image?: string; command?: string[]; script?: string }>;
  const images = [...new Set(containers.filter((c) => c.image && !c.command?.length && !c.script).map((c) => c.image!))];
  const found = new Map<string, ImageEntrypoint>();
  await Promise.all(images.map(async (image) => {
    const r = await lookup(image, ctx);
    if (r) found.set(image, copy(r));
  }));
  return (image) => found.get(image) ?? builtinImageEntrypoints(image);
}
