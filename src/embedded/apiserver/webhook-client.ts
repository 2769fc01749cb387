/**
 * Calling a webhook as kube-apiserver does (admission webhooks, CRD conversion webhooks): `clientConfig.url`, or
 * `clientConfig.service` resolved through the server's service map (embedded mode has no Service network), JSON
 * over HTTPS trusting `caBundle`, within a timeout.
 */
import https from 'node:https';

/** Where a webhook is called (admission webhooks, CRD conversion webhooks). */
export interface ClientConfig { url?: string; caBundle?: string; service?: { namespace?: string; name?: string; path?: string; port?: number } }
/** The URL of a webhook's client config; a Service through the server's service map (`ns/name` → base URL). */
export function endpointOf(cc: ClientConfig, services: Record<string, string>): string {
  if (cc.url) return cc.url;
  const s = cc.service;
  const base = s ? services[`${s.namespace ?? 'default'}/${s.name ?? ''}`] : undefined;
  if (!s || !base) throw new Error(`service ${s?.namespace ?? ''}/${s?.name ?? ''} cannot be reached in embedded mode (map it with tkt up --webhook-service NAMESPACE/NAME=URL)`);
  return `${base.replace(/\/$/, '')}${s.path ?? ''}`;
}

/** POSTs JSON over HTTPS (trusting `caBundle` when given); answers the JSON answer of a 2xx. */
export function postJson(url: string, body: unknown, caBundle: string | undefined, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = https.request(url, {
      method: 'POST', timeout: timeoutMs, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      ...(caBundle ? { ca: Buffer.from(caBundle, 'base64').toString('utf8') } : {}),
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString('utf8'); });
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) return reject(new Error(`the server answered HTTP ${res.statusCode ?? 0}`));
        try {
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch {
          reject(new Error('the answer is not JSON'));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

