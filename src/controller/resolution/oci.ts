/**
 * A small OCI distribution API client (read side) for the bundles resolver: image references, manifests and
 * blobs, anonymous or with credentials from a docker config Secret, answering Basic and Bearer-token challenges.
 * Loopback and `.local` registries are spoken to over plain HTTP (as go-containerregistry does), others HTTPS.
 */
import { createHash } from 'node:crypto';
import { ResolutionError } from './types.js';

/** A parsed image reference. */
export interface ImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Registry credentials. */
export interface Credentials {
  username: string;
  password: string;
}

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/** Parses `host[:port]/repo[:tag][@sha256:…]` (Docker Hub names get `docker.io` and `library/`). */
export function parseImageRef(ref: string): ImageRef {
  const [nameTag = '', digest] = ref.split('@');
  const slash = nameTag.indexOf('/');
  const first = slash < 0 ? '' : nameTag.slice(0, slash);
  const explicit = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = explicit ? first : 'docker.io';
  let path = explicit ? nameTag.slice(slash + 1) : nameTag;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(path)) throw new ResolutionError(`"${ref}" is not a valid image reference`);
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new ResolutionError(`"${ref}" has an invalid digest`);
  return { registry, repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), ...(!tag && !digest ? { tag: 'latest' } : {}) };
}

/** `http://host` for loopback and `.local` registries, else `https://host` (Docker Hub → registry-1.docker.io). */
export function registryBase(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const plain = host === 'localhost' || /^127\./.test(host) || host === '::1' || host.endsWith('.local');
  return `${plain ? 'http' : 'https'}://${registry}`;
}

function challengeParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Reads manifests and blobs of one repository. */
export class RegistryClient {
  private authorization: string | undefined;

  constructor(private readonly ref: ImageRef, private readonly creds: Credentials | undefined, private readonly timeoutMs: number) {}

  /** The manifest of the reference: raw bytes, media type and digest. */
  async manifest(): Promise<{ body: Buffer; mediaType: string; digest: string }> {
    const res = await this.get(`manifests/${this.ref.digest ?? this.ref.tag ?? 'latest'}`, MANIFEST_TYPES.join(', '));
    const body = Buffer.from(await res.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    return { body, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim(), digest };
  }

  /** A blob, checked against its sha256 digest. */
  async blob(digest: string): Promise<Buffer> {
    const res = await this.get(`blobs/${digest}`, '*/*');
    const body = Buffer.from(await res.arrayBuffer());
    const actual = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (digest.startsWith('sha256:') && actual !== digest) throw new ResolutionError(`blob ${digest} of ${this.describe()} has digest ${actual}`);
    return body;
  }

  private describe(): string {
    return `${this.ref.registry}/${this.ref.repository}`;
  }

  private async get(path: string, accept: string): Promise<Response> {
    const url = `${registryBase(this.ref.registry)}/v2/${this.ref.repository}/${path}`;
    let res = await this.send(url, accept);
    if (res.status === 401 && !this.authorization) {
      await res.body?.cancel();
      this.authorization = await this.answerChallenge(res.headers.get('www-authenticate') ?? '');
      res = await this.send(url, accept);
    }
    if (res.status === 200) return res;
    await res.body?.cancel();
    if (res.status === 404) throw new ResolutionError(`${path.startsWith('manifests') ? 'image' : 'blob'} not found: ${this.describe()}/${path}`);
    throw new ResolutionError(`GET ${url} answered HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (check the bundle\'s "secret" param)' : ''}`);
  }

  private async send(url: string, accept: string, headers: Record<string, string> = {}): Promise<Response> {
    const all: Record<string, string> = { accept, ...(this.authorization ? { authorization: this.authorization } : {}), ...headers };
    try {
      return await fetch(url, { headers: all, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (err instanceof Error ? err.message : String(err));
      throw new ResolutionError(`cannot reach registry ${this.ref.registry}: ${cause}`);
    }
  }

  private basic(): string | undefined {
    return this.creds ? `Basic ${Buffer.from(`${this.creds.username}:${this.creds.password}`).toString('base64')}` : undefined;
  }

  private async answerChallenge(header: string): Promise<string | undefined> {
    if (/^basic/i.test(header)) return this.basic();
    if (!/^bearer/i.test(header)) return this.basic();
    const p = challengeParams(header);
    if (!p.realm) throw new ResolutionError(`registry ${this.ref.registry} sent a Bearer challenge without a realm`);
    const tokenUrl = new URL(p.realm);
    if (p.service) tokenUrl.searchParams.set('service', p.service);
    tokenUrl.searchParams.set('scope', p.scope ?? `repository:${this.ref.repository}:pull`);
    const basic = this.basic();
    const res = await this.send(tokenUrl.toString(), 'application/json', basic ? { authorization: basic } : {});
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new ResolutionError(`registry token service ${tokenUrl.origin} answered HTTP ${res.status}`);
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    return token ? `Bearer ${token}` : undefined;
  }
}
