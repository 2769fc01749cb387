/**
 * The `http` resolver: a document fetched over HTTP(S). Params: `url` (required), `digest` (optional
 * `sha256:<hex>` or `sha512:<hex>` the body must match), `http-username` + `http-password-secret` +
 * `http-password-secret-key` (basic auth, password from a Secret in the run's namespace).
 */
import { createHash } from 'node:crypto';
import { paramOf, requiredParam } from './params.js';
import { secretValue } from './secrets.js';
import type { ResolvedData, Resolver, ResolveRequest, ResolverContext } from './types.js';
import { ResolutionError } from './types.js';

const DIGEST = /^(sha256|sha512):([0-9a-f]+)$/;

async function authHeader(req: ResolveRequest, ctx: ResolverContext): Promise<Record<string, string>> {
  const user = paramOf(req, 'http-username');
  const secret = paramOf(req, 'http-password-secret');
  if (!user && !secret) return {};
  if (!user || !secret) throw new ResolutionError('basic auth needs both "http-username" and "http-password-secret"');
  const key = paramOf(req, 'http-password-secret-key') ?? 'password';
  const password = await secretValue(ctx.client, req.namespace, secret, key);
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

async function fetchBody(url: string, headers: Record<string, string>, ctx: ResolverContext): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(ctx.config.timeoutMs) });
  } catch (err) {
    throw new ResolutionError(`cannot reach ${url}: ${causeOf(err)}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new ResolutionError(`GET ${url} answered HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (check the basic-auth params and Secret)' : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > ctx.config.maxBytes) throw new ResolutionError(`${url} is larger than ${ctx.config.maxBytes} bytes`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > ctx.config.maxBytes) throw new ResolutionError(`${url} is larger than ${ctx.config.maxBytes} bytes`);
  return body;
}

function checkDigest(body: Buffer, wanted: string | undefined): Record<string, string> {
  const got = { sha256: createHash('sha256').update(body).digest('hex') };
  if (wanted === undefined) return got;
  const m = DIGEST.exec(wanted.toLowerCase());
  if (!m) throw new ResolutionError(`digest "${wanted}" must be sha256:<hex> or sha512:<hex>`);
  const algo = m[1] as 'sha256' | 'sha512';
  const actual = createHash(algo).update(body).digest('hex');
  if (actual !== m[2]) throw new ResolutionError(`digest mismatch: expected ${algo}:${m[2]}, got ${algo}:${actual}`);
  return { [algo]: actual };
}

/** Fetches and checks the document. */
async function resolveHttp(req: ResolveRequest, ctx: ResolverContext): Promise<ResolvedData> {
  const url = requiredParam(req, 'url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ResolutionError(`url "${url}" is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ResolutionError(`url "${url}" must be http:// or https://`);
  const wanted = paramOf(req, 'digest');
  const body = await fetchBody(url, await authHeader(req, ctx), ctx);
  const digest = checkDigest(body, wanted);
  return { data: body.toString('utf8'), source: { uri: url, digest }, immutable: wanted !== undefined };
}

/** The http resolver. */
export const httpResolver: Resolver = { name: 'http', resolve: resolveHttp };
