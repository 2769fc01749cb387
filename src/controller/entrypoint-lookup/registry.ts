/**
 * A small OCI distribution API client: manifests (image index / manifest list → the wanted platform) and the
 * image config blob, with the registry's WWW-Authenticate challenge answered (Bearer: a token from the realm,
 * with basic credentials when there are some; Basic: the credentials). Digests are verified.
 */
import { createHash } from 'node:crypto';
import type { RegistryCredentials } from './credentials.js';
import type { ImageReference } from './reference.js';

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
const ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ');

/** Why a lookup failed. */
export type LookupFailure = 'NotFound' | 'Unauthorized' | 'Unreachable' | 'BadResponse' | 'NoPlatform';

/** A failed lookup, with a message naming the image and what the registry said. */
export class ImageLookupError extends Error {
  constructor(readonly reason: LookupFailure, message: string) {
    super(message);
    this.name = 'ImageLookupError';
  }
}

/** The wanted platform of an image index. */
export interface Platform { os: string; architecture: string; variant?: string }

/** A parsed WWW-Authenticate challenge. */
export interface Challenge { scheme: string; params: Record<string, string> }

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted values may hold commas). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

const sha256 = (body: Buffer): string => `sha256:${createHash('sha256').update(body).digest('hex')}`;

/** What a manifest request answered. */
interface Fetched { body: Buffer; contentType: string; digest: string }

/** One registry conversation for one repository (tokens are kept for the next requests). */
export class RegistrySession {
  private authorization?: string;

  constructor(
    private readonly ref: ImageReference,
    private readonly opts: { insecure: boolean; credentials?: RegistryCredentials; timeoutMs?: number },
  ) {}

  private get base(): string {
    return `${this.opts.insecure ? 'http' : 'https'}://${this.ref.apiHost}/v2/${this.ref.repository}`;
  }

  private get image(): string {
    return `${this.ref.registry}/${this.ref.repository}${this.ref.digest ? `@${this.ref.digest}` : `:${this.ref.tag ?? 'latest'}`}`;
  }

  /** Resolves the reference to a single-platform manifest; answers it with the digest the reference names. */
  async resolveManifest(platform: Platform): Promise<{ digest: string; manifest: { config?: { digest?: string } } }> {
    const top = await this.fetchManifest(this.ref.digest ?? this.ref.tag ?? 'latest');
    let manifest = this.json(top) as { mediaType?: string; manifests?: Array<{ digest: string; platform?: Platform }>; config?: { digest?: string } };
    if (INDEX_TYPES.includes(top.contentType) || (Array.isArray(manifest.manifests) && !manifest.config)) {
      const entry = (manifest.manifests ?? []).find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture && (!platform.variant || m.platform.variant === platform.variant));
      if (!entry) throw new ImageLookupError('NoPlatform', `image "${this.image}" has no ${platform.os}/${platform.architecture} entry in its index`);
      manifest = this.json(await this.fetchManifest(entry.digest)) as typeof manifest;
    }
    return { digest: top.digest, manifest };
  }

  /** Fetches and parses the image config blob (digest verified). */
  async config(digest: string): Promise<{ config?: { Entrypoint?: string[] | null; Cmd?: string[] | null } }> {
    const res = await this.send(`${this.base}/blobs/${digest}`, 'application/json', 'GET');
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw this.failure(res.status, body, `config blob ${digest}`);
    if (sha256(body) !== digest && digest.startsWith('sha256:')) throw new ImageLookupError('BadResponse', `image "${this.image}": config blob does not match its digest ${digest}`);
    return this.json({ body, contentType: '', digest }) as { config?: { Entrypoint?: string[] | null; Cmd?: string[] | null } };
  }

  /** Answers only the digest of the reference's manifest (HEAD), or undefined when the registry does not say. */
  async headDigest(): Promise<string | undefined> {
    const res = await this.send(`${this.base}/manifests/${this.ref.tag ?? 'latest'}`, ACCEPT, 'HEAD');
    if (res.status !== 200) return undefined;
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  private async fetchManifest(reference: string): Promise<Fetched> {
    const res = await this.send(`${this.base}/manifests/${reference}`, ACCEPT, 'GET');
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw this.failure(res.status, body, 'manifest');
    const digest = reference.includes(':') ? reference : (res.headers.get('docker-content-digest') ?? sha256(body));
    if (reference.startsWith('sha256:') && sha256(body) !== reference) {
      throw new ImageLookupError('BadResponse', `image "${this.image}": manifest does not match its digest ${reference}`);
    }
    return { body, contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim(), digest };
  }

  private json(f: Fetched): unknown {
    try {
      return JSON.parse(f.body.toString('utf8'));
    } catch {
      throw new ImageLookupError('BadResponse', `image "${this.image}": the registry answered something that is not JSON`);
    }
  }

  private failure(status: number, body: Buffer, what: string): ImageLookupError {
    let code = '';
    try {
      code = (JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: string }> }).errors?.[0]?.code ?? '';
    } catch { /* not JSON */ }
    const said = `registry ${this.ref.registry} answered ${status}${code ? ` ${code}` : ''} for the ${what}`;
    if (status === 404) return new ImageLookupError('NotFound', `image "${this.image}" not found: ${said}`);
    if (status === 401 || status === 403) {
      const hint = this.opts.credentials ? 'the credentials from imagePullSecrets were refused' : 'no credentials for this registry in the service account\'s imagePullSecrets';
      return new ImageLookupError('Unauthorized', `image "${this.image}": access denied (${hint}): ${said}`);
    }
    return new ImageLookupError('BadResponse', `image "${this.image}": ${said}`);
  }

  /** One request; on 401 answers the challenge once and retries. Redirects are followed without credentials to other hosts. */
  private async send(url: string, accept: string, method: 'GET' | 'HEAD'): Promise<Response> {
    let res = await this.fetchFollowing(url, accept, method);
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      if (challenge && (await this.authorize(challenge))) {
        await res.arrayBuffer().catch(() => undefined);
        res = await this.fetchFollowing(url, accept, method);
      }
    }
    return res;
  }

  private async fetchFollowing(url: string, accept: string, method: 'GET' | 'HEAD'): Promise<Response> {
    const origin = new URL(url).host;
    let current = url;
    for (let hops = 0; hops < 5; hops++) {
      const sameHost = new URL(current).host === origin;
      const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'tektite-entrypoint-lookup' };
      if (sameHost && this.authorization) headers.Authorization = this.authorization;
      let res: Response;
      try {
        res = await fetch(current, { method, headers, redirect: 'manual', signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
      } catch (err) {
        throw new ImageLookupError('Unreachable', `image "${this.image}": cannot reach registry ${this.ref.registry}: ${errorText(err)}`);
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return res;
      await res.arrayBuffer().catch(() => undefined);
      current = new URL(location, current).href;
    }
    throw new ImageLookupError('BadResponse', `image "${this.image}": too many redirects from registry ${this.ref.registry}`);
  }

  /** Sets the Authorization header for a challenge; false when it cannot be answered. */
  private async authorize(ch: Challenge): Promise<boolean> {
    const creds = this.opts.credentials;
    const basic = creds?.username !== undefined ? `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}` : undefined;
    if (ch.scheme === 'basic') {
      if (!basic) return false;
      this.authorization = basic;
      return true;
    }
    if (ch.scheme !== 'bearer') return false;
    if (creds?.registryToken) {
      this.authorization = `Bearer ${creds.registryToken}`;
      return true;
    }
    if (!ch.params.realm) return false;
    const tokenUrl = new URL(ch.params.realm);
    if (ch.params.service) tokenUrl.searchParams.set('service', ch.params.service);
    tokenUrl.searchParams.set('scope', ch.params.scope ?? `repository:${this.ref.repository}:pull`);
    const token = await this.fetchToken(tokenUrl, basic);
    this.authorization = `Bearer ${token}`;
    return true;
  }

  private async fetchToken(url: URL, basic: string | undefined): Promise<string> {
    let res: Response;
    try {
      res = await fetch(url, { headers: basic ? { Authorization: basic } : {}, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new ImageLookupError('Unreachable', `image "${this.image}": cannot reach the token service ${url.origin}: ${errorText(err)}`);
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new ImageLookupError('Unauthorized', `image "${this.image}": the token service ${url.origin} refused ${basic ? 'the credentials' : 'anonymous access'} (${res.status})`);
    try {
      const body = JSON.parse(text) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (res.ok && token) return token;
    } catch { /* fall through */ }
    throw new ImageLookupError('BadResponse', `image "${this.image}": the token service ${url.origin} answered ${res.status} without a token`);
  }
}

function errorText(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
