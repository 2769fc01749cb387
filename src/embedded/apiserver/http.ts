/**
 * HTTP plumbing: body reading with the 3 MiB cap, JSON/YAML decoding, JSON and Status answers, Warning
 * headers, and the Accept negotiation kubectl relies on (Table, aggregated discovery versions).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { badRequest, StatusError, type Status } from './errors.js';
import { sendValue, ValueBody, valueBodyOf } from './in-process.js';
import { checkDepth } from './limits.js';
import { decodeProtobuf } from './protobuf.js';
import { objectJson } from './store.js';

/** Kubernetes' request body limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** A request's body: its bytes, or (in process) its JSON value (see ValueBody). */
export type RequestBody = Buffer | ValueBody;

/** Reads the whole request body; throws 413 past the limit. */
export function readBody(req: IncomingMessage): Promise<RequestBody> {
  const value = valueBodyOf(req);
  if (value) return Promise.resolve(value);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES && !failed) {
        failed = true;
        reject(tooLarge());
      }
      if (!failed) chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (err) => { if (!failed) reject(err); });
  });
}

function tooLarge(): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
}

/** The media type of a request without parameters (`application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Decodes a JSON (or YAML) body; throws 400 for malformed input and 415 for other media types. */
export function decodeBody(body: RequestBody, type: string): unknown {
  if (body instanceof ValueBody) {
    checkDepth(body.value);
    return body.value;
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  let value: unknown;
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      value = YAML.parse(text, { maxAliasCount: 100 }) as unknown;
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  } else {
    try {
      value = JSON.parse(text) as unknown;
    } catch (err) {
      throw badRequest(`error decoding JSON: ${(err as Error).message}`);
    }
  }
  checkDepth(value);
  return value;
}

/** Decodes a body that must be a JSON object (an object to create or replace). */
export function decodeObject(body: RequestBody, type: string): Record<string, unknown> {
  if (type === 'application/vnd.kubernetes.protobuf' && !(body instanceof ValueBody)) return decodeProtobuf(body);
  if (!['application/json', 'application/yaml', '*/*', ''].includes(type)) {
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  const v = decodeBody(body, type);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest('the request body must be a JSON object');
  return v as Record<string, unknown>;
}

/** Formats `Warning` header values (RFC 7234 code 299). */
export function warningHeaders(warnings: string[]): string[] {
  return warnings.map((w) => `299 - "${w.replace(/[\r\n]+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')}"`);
}

/** Sends a JSON answer (a stored object's JSON is serialised once, see objectJson). */
export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: string[] = [], contentType = 'application/json'): void {
  if (contentType === 'application/json' && sendValue(res, code, body)) return;
  const text = objectJson(body);
  const headers: Record<string, string | string[] | number> = { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' };
  if (warnings.length > 0) headers.Warning = warningHeaders(warnings);
  res.writeHead(code, headers);
  res.end(text);
}

/** Sends a Status error. */
export function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status.code, status);
}

/** Which representation a GET asks for. */
export interface Negotiated {
  table: boolean;
  /** `v2` / `v2beta1` when aggregated discovery is asked for. */
  discovery?: 'v2' | 'v2beta1';
}

/** Parses an Accept header: each media range with its parameters. */
function acceptRanges(accept: string): Map<string, string>[] {
  return accept.split(',').map((range) => {
    const params = new Map<string, string>();
    const [type, ...rest] = range.split(';');
    params.set('', (type ?? '').trim().toLowerCase());
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
    }
    return params;
  });
}

/** Negotiates Table output and aggregated discovery from the Accept header. */
export function negotiate(req: IncomingMessage): Negotiated {
  const ranges = acceptRanges(String(req.headers.accept ?? ''));
  const table = ranges.some((r) => r.get('as') === 'Table' && r.get('g') === 'meta.k8s.io' && (r.get('v') === 'v1' || r.get('v') === 'v1beta1'));
  const disc = (v: string): boolean => ranges.some((r) => r.get('as') === 'APIGroupDiscoveryList' && r.get('g') === 'apidiscovery.k8s.io' && r.get('v') === v);
  const discovery = disc('v2') ? 'v2' : disc('v2beta1') ? 'v2beta1' : undefined;
  return { table, ...(discovery ? { discovery } : {}) };
}
