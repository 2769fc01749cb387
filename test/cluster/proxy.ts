/**
 * A recording reverse proxy for the e2e test: plain HTTP on loopback in front of the embedded API server
 * (HTTPS), forwarding every request (watch streams included) and recording which API permission each one needs
 * (`group/resource[/subresource]:verb`), so the test can check them against the RBAC rules.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** One recorded request. */
export interface Recorded { permission: string; method: string; path: string }

/** Maps a request to the RBAC permission it needs; undefined for non-resource paths. */
export function permissionOf(method: string, url: string): string | undefined {
  const u = new URL(url, 'http://x');
  const parts = u.pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) { group = ''; rest = parts.slice(2); }
  else if (parts[0] === 'apis' && parts.length >= 4) { group = parts[1]!; rest = parts.slice(3); }
  else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource, name, sub] = rest;
  const watch = u.searchParams.get('watch') === 'true' || u.searchParams.get('watch') === '1';
  const verb = method === 'GET' ? (name ? 'get' : watch ? 'watch' : 'list')
    : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch'
      : method === 'DELETE' ? (name ? 'delete' : 'deletecollection') : method.toLowerCase();
  return `${group}/${resource}${sub ? `/${sub}` : ''}:${verb}`;
}

/** Starts the proxy; `upstream` is the API server URL, `ca` its certificate. */
export async function startRecordingProxy(upstream: string, ca: string): Promise<{ url: string; recorded: Recorded[]; close(): Promise<void> }> {
  const target = new URL(upstream);
  const agent = new https.Agent({ ca, keepAlive: true });
  const recorded: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const permission = permissionOf(req.method ?? 'GET', req.url ?? '/');
    if (permission) recorded.push({ permission, method: req.method ?? '', path: req.url ?? '' });
    const up = https.request({ agent, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      res.flushHeaders();
      ures.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, recorded,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); agent.destroy(); }),
  };
}
