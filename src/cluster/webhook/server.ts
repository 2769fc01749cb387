/**
 * `tkt webhook`: one HTTPS server answering Kubernetes' calls — `POST /validate` and `/mutate` (AdmissionReview v1,
 * review.ts) and `/convert` (ConversionReview v1, src/api/convert) — plus `GET /healthz` and `/readyz`. Its serving
 * certificate is kept in `--cert-dir` (`tls.crt`, `tls.key`, as a Kubernetes TLS Secret mounts them); when the
 * directory has none (or one that expires within 30 days, or does not name the service) one is generated there,
 * for the webhook Service's DNS names, so it serves with no cluster reachable. The certificate is self-signed:
 * it is its own CA, and `tls.crt` is the caBundle of the webhook configurations.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { answerConversionReview } from '../../api/convert/review.js';
import { makeServingCert, type ServingCert } from '../../embedded/apiserver/tls.js';
import { mutateReview, validateReview, type AdmissionReview, type WebhookConfig } from './review.js';

/** Largest review body accepted (Kubernetes' request limit is 3 MiB). */
const MAX_BODY = 3 * 1024 * 1024;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export interface WebhookOptions {
  port?: number;
  host?: string;
  certDir: string;
  /** The webhook's Service and namespace (the certificate names `<service>.<namespace>.svc`). */
  service?: string;
  namespace?: string;
  config?: WebhookConfig;
}

export interface WebhookServer {
  url: string;
  /** PEM of the serving certificate (the caBundle). */
  caBundle: string;
  /** Serves another certificate from now on (rotation), without dropping the listener. */
  reload(cert: string, key: string): void;
  close(): Promise<void>;
}

/** DNS names the certificate must carry. */
export function webhookHosts(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, 'localhost'];
}

/** Loads the certificate in `dir`, or makes (and writes) one when it is missing, expiring, or for other names. */
export function webhookCert(dir: string, hosts: string[], now = Date.now()): ServingCert & { generated: boolean } {
  const certFile = path.join(dir, 'tls.crt');
  const keyFile = path.join(dir, 'tls.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const cert = fs.readFileSync(certFile, 'utf8');
    const key = fs.readFileSync(keyFile, 'utf8');
    try {
      const x = new X509Certificate(cert);
      const fresh = Date.parse(x.validTo) - now > RENEW_BEFORE_MS;
      if (fresh && hosts.every((h) => x.checkHost(h) !== undefined)) return { cert, key, generated: false };
    } catch {
      // unreadable: replaced below
    }
  }
  const made = makeServingCert(['127.0.0.1'], hosts);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, made.key, { mode: 0o600 });
  fs.writeFileSync(certFile, made.cert, { mode: 0o644 });
  return { ...made, generated: true };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the webhook server. */
export async function startWebhook(opts: WebhookOptions): Promise<WebhookServer> {
  const hosts = webhookHosts(opts.service ?? 'tektite-webhook', opts.namespace ?? 'tektite-pipelines');
  const { cert, key } = webhookCert(opts.certDir, hosts);
  const server = https.createServer({ cert, key }, (req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const url = req.url?.split('?')[0] ?? '';
    if (req.method === 'GET' && (url === '/healthz' || url === '/readyz')) return void res.writeHead(200).end('ok');
    if (req.method !== 'POST' || !['/validate', '/mutate', '/convert'].includes(url)) return send(404, { message: `no such path: ${req.method ?? ''} ${url}` });
    readBody(req).then((text) => {
      let review: unknown;
      try {
        review = JSON.parse(text);
      } catch {
        return send(400, { message: 'the body is not JSON' });
      }
      if (typeof review !== 'object' || review === null) return send(400, { message: 'the body is not a review object' });
      if (url === '/convert') return send(200, answerConversionReview(review as Parameters<typeof answerConversionReview>[0]));
      const answer = url === '/validate' ? validateReview(review as AdmissionReview, opts.config) : mutateReview(review as AdmissionReview, opts.config);
      return send(200, answer);
    }, (err: Error & { status?: number }) => send(err.status ?? 400, { message: err.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8443, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caBundle: cert,
    reload: (c, k) => server.setSecureContext({ cert: c, key: k }),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
