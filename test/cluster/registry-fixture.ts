/**
 * A real registry on loopback for the entrypoint-lookup tests: Debian's `docker-registry` (distribution 2.8)
 * with a temp storage dir, optionally behind htpasswd auth, filled with tiny images made by podman from a
 * busybox rootfs (reference/runtime-feasibility.md §1.2) in an isolated podman storage; plus a Bearer-token
 * front (token realm + forwarding) in front of a registry, as Docker Hub does it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** Runs a command; rejects with its output on failure. */
export function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000, maxBuffer: 16 << 20 }, (err, so, se) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${se || so || err.message}`)) : resolve(so)));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** True when `cmd` is on PATH. */
export async function has(cmd: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${cmd}`]).then(() => true, () => false);
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running docker-registry. */
export interface Registry { host: string; proc: ChildProcess; stop(): Promise<void> }

/** Starts docker-registry on a free port with storage under `dir`; `htpasswd` = path of an htpasswd file. */
export async function startRegistry(dir: string, htpasswd?: string): Promise<Registry> {
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const auth = htpasswd ? `auth:\n  htpasswd:\n    realm: tektite-test\n    path: ${htpasswd}\n` : '';
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: tektite-test\n${auth}`);
  const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const host = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`http://${host}/v2/`).then(() => true, () => false);
    if (up) break;
    if (proc.exitCode !== null || i > 200) throw new Error(`docker-registry did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host, proc,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

/** podman with a private storage under `dir` (vfs: no mounts needed). */
export function podman(dir: string): (args: string[]) => Promise<string> {
  const base = ['--root', path.join(dir, 'storage'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs'];
  return (args) => run('podman', [...base, ...args]);
}

/** Writes a busybox rootfs tar (just /bin/busybox and /bin/sh) and answers its path. */
export function busyboxRootfs(dir: string, busybox: string): string {
  const rootfs = path.join(dir, 'rootfs');
  fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
  fs.copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
  fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  fs.symlinkSync('busybox', path.join(rootfs, 'bin', 'sh'));
  fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  return rootfs;
}

/** A bcrypt htpasswd line (cost 4: the registry checks it on every request) (htpasswd from apache2-utils, else python3's crypt); undefined when neither works. */
export async function htpasswdLine(user: string, password: string): Promise<string | undefined> {
  if (await has('htpasswd')) return (await run('htpasswd', ['-nbB', '-C', '4', user, password])).trim();
  const py = `import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))`;
  const hash = await run('python3', ['-W', 'ignore', '-c', py, password]).then((s) => s.trim(), () => '');
  return hash.startsWith('$2') ? `${user}:${hash}` : undefined;
}

/** A Bearer-token front for a registry: /token issues a token for basic `user:password`; /v2/* needs it. */
export interface TokenFront { host: string; requests: string[]; tokenRequests: Array<{ auth?: string; scope?: string; service?: string }>; close(): Promise<void> }

/** Starts the front on a free port, forwarding authorized requests to `upstream` (host:port). */
export async function startTokenFront(upstream: string, user: string, password: string): Promise<TokenFront> {
  const token = 'tok-' + Math.random().toString(36).slice(2);
  const requests: string[] = [];
  const tokenRequests: TokenFront['tokenRequests'] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let self = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      tokenRequests.push({ auth: req.headers.authorization, scope: url.searchParams.get('scope') ?? undefined, service: url.searchParams.get('service') ?? undefined });
      if (req.headers.authorization !== expected) return void res.writeHead(401).end('{"details":"bad credentials"}');
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
    }
    requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${token}`) {
      const repo = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${self}/token",service="tektite-test",scope="repository:${repo}:pull"`, 'Content-Type': 'application/json' });
      return void res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    const up = http.request({ host: upstream.split(':')[0], port: Number(upstream.split(':')[1]), method: req.method, path: req.url, headers: { accept: req.headers.accept ?? '*/*' } }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return { host: self, requests, tokenRequests, close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}
