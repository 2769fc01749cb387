/**
 * Tekton's interceptor wire protocol (`InterceptorRequest` / `InterceptorResponse`) and the gRPC status
 * codes interceptors answer with, plus helpers shared by the built-in interceptors.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { cachedCanonicalKey } from '../event.js';
import type { TriggerLookup } from '../lookup.js';

/** What an interceptor receives (JSON keys as Tekton's). `body` is the raw body text. */
export interface InterceptorRequest {
  body: string;
  header: Record<string, string[]>;
  extensions: Record<string, unknown>;
  interceptor_params: Record<string, unknown>;
  context: { event_url: string; event_id: string; trigger_id: string };
}

/** What an interceptor answers. `continue: false` stops the trigger. */
export interface InterceptorResponse {
  continue: boolean;
  extensions?: Record<string, unknown>;
  status?: { code?: number | string; message?: string };
}

/** gRPC codes used by interceptors. */
export const Code = {
  OK: 0, InvalidArgument: 3, NotFound: 5, PermissionDenied: 7, FailedPrecondition: 9,
  Unimplemented: 12, Internal: 13, Unavailable: 14, Unauthenticated: 16,
} as const;

const CODE_NAMES: Record<string, number> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

/** A numeric gRPC code from a number or its upper-case name (`"FAILED_PRECONDITION"`). */
export function numericCode(code: number | string | undefined): number {
  if (typeof code === 'number') return code;
  if (code === undefined) return 0;
  return CODE_NAMES[code] ?? (/^\d+$/.test(code) ? Number(code) : 2);
}

/** Codes that mean the interceptor itself failed (our side), not that it rejected the event. */
export function isInternalCode(code: number): boolean {
  return code === Code.Internal || code === Code.Unavailable || code === Code.Unimplemented || code === 2 || code === 15;
}

/** A rejection. */
export function fail(code: number, message: string): InterceptorResponse {
  return { continue: false, status: { code, message } };
}

/** Acceptance, optionally with extensions. */
export function pass(extensions?: Record<string, unknown>): InterceptorResponse {
  return extensions ? { continue: true, extensions } : { continue: true };
}

/** What built-in interceptors may use besides the request. */
export interface InterceptorEnv {
  lookup: TriggerLookup;
  /** The trigger's namespace: Secrets are read there. */
  namespace: string;
  /** The raw request bytes (signatures are computed over these). */
  rawBody: Buffer;
  /** The parsed body (parsed once per event). */
  parsedBody: unknown;
  /** Base URL of the GitHub API (a fake forge in tests). */
  githubApiUrl: string;
  /** Timeout for outgoing calls. */
  httpTimeoutMs: number;
}

/** A built-in interceptor. */
export type BuiltinInterceptor = (req: InterceptorRequest, env: InterceptorEnv) => Promise<InterceptorResponse>;

/** First value of a header, looked up canonically. */
export function headerValue(header: Record<string, string[]>, name: string): string | undefined {
  return header[cachedCanonicalKey(name)]?.[0];
}

/** `secretRef: {secretName, secretKey}` from interceptor params, when well-formed. */
export function secretRefParam(v: unknown): { secretName: string; secretKey: string } | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return typeof o.secretName === 'string' && typeof o.secretKey === 'string' ? { secretName: o.secretName, secretKey: o.secretKey } : undefined;
}

/** Thrown when a configured Secret or key cannot be read: an internal failure, not a rejection. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

/** Reads a Secret key's bytes (`data` is base64; `stringData` accepted too). Throws SecretError. */
export async function secretValue(lookup: TriggerLookup, namespace: string, name: string, key: string): Promise<Buffer> {
  const s = await lookup.get<KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }>('Secret', namespace, name);
  if (!s) throw new SecretError(`secret ${namespace}/${name} not found`);
  const b64 = s.data?.[key];
  if (b64 !== undefined) return Buffer.from(b64, 'base64');
  const plain = s.stringData?.[key];
  if (plain !== undefined) return Buffer.from(plain, 'utf8');
  throw new SecretError(`secret ${namespace}/${name} has no key ${JSON.stringify(key)}`);
}

/** Constant-time equality of two byte strings of any length (compares SHA-256 digests). */
export function constantTimeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

/**
 * Validates `<algo>=<hex>` (sha1, sha256, sha512) over the raw body, in constant time, as go-github's
 * ValidateSignature. Answers an error message, or undefined when the signature is valid.
 */
export function checkSignature(header: string, body: Buffer, secret: Buffer): string | undefined {
  const eq = header.indexOf('=');
  if (eq < 0) return `error parsing signature ${JSON.stringify(header)}`;
  const algo = header.slice(0, eq);
  const hex = header.slice(eq + 1);
  if (!['sha1', 'sha256', 'sha512'].includes(algo)) return `unknown hash type prefix: ${JSON.stringify(algo)}`;
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return `error decoding signature ${JSON.stringify(header)}`;
  const expected = createHmac(algo, secret).update(body).digest();
  const given = Buffer.from(hex, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'payload signature check failed';
  return undefined;
}
