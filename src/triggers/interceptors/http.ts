/**
 * Outgoing HTTP for interceptors: keep-alive agents, a timeout, a response size cap and an optional CA bundle
 * (ClusterInterceptor `caBundle`).
 */
import http from 'node:http';
import https from 'node:https';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** An HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string[]>;
  body: Buffer;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  timeoutMs: number;
  /** PEM CA bundle (base64 of PEM as in caBundle, or PEM text). */
  caBundle?: string;
}

/** Sends one request; rejects on network errors, timeouts and oversized responses. */
export function send(url: string, opts: SendOptions): Promise<HttpAnswer> {
  const u = new URL(url);
  const isHttps = u.protocol === 'https:';
  const mod = isHttps ? https : http;
  const ca = opts.caBundle ? decodeCa(opts.caBundle) : undefined;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, {
      method: opts.method ?? 'POST',
      headers: opts.headers,
      agent: ca ? undefined : isHttps ? httpsAgent : httpAgent,
      ...(ca ? { ca } : {}),
      timeout: opts.timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new Error(`response from ${u.origin} larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: multiHeaders(res.headersDistinct), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${u.origin} within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** GET and parse JSON (json is undefined when the body is not JSON). */
export async function getJson(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; json: unknown }> {
  const r = await send(url, { method: 'GET', headers, timeoutMs });
  try {
    return { status: r.status, json: JSON.parse(r.body.toString('utf8')) };
  } catch {
    return { status: r.status, json: undefined };
  }
}

function multiHeaders(h: Record<string, string[] | undefined>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v) out[k] = v;
  return out;
}

function decodeCa(bundle: string): string {
  if (bundle.includes('-----BEGIN')) return bundle;
  return Buffer.from(bundle, 'base64').toString('utf8');
}
