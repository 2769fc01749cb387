/**
 * Image references as the container runtimes read them: `busybox` is `docker.io/library/busybox:latest`, a first
 * path component with a dot, a colon or `localhost` names the registry, `@sha256:…` pins a digest.
 */

/** A parsed image reference. */
export interface ImageReference {
  /** Registry host as written (`docker.io` for Docker Hub), with port when given. */
  registry: string;
  /** Host the distribution API is served on (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Parses a reference; throws an Error naming the image when it is not one. */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`image "${image}": invalid digest "${digest}"`);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (!repository || !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
    throw new Error(`image "${image}": invalid repository name "${repository}"`);
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`image "${image}": invalid tag "${tag}"`);
  return {
    registry, apiHost: registry === DOCKER_HUB ? 'registry-1.docker.io' : registry, repository,
    ...(digest ? { digest } : { tag: tag ?? 'latest' }),
    ...(digest && tag ? { tag } : {}),
  };
}

/** `registry/repository@digest`: the reference pinned to a digest (the registry as written). */
export function pinnedReference(ref: ImageReference, digest: string): string {
  return `${ref.registry}/${ref.repository}@${digest}`;
}
