#!/usr/bin/env node
// Sets up what examples/gitops-ci/pipeline.yaml needs on this machine, then prints the `tkt run` command that
// runs it and serves until Ctrl-C:
//   - the two repositories of repos/ (app, gitops) as bare git repositories served over git smart HTTP (clone and
//     push) on 127.0.0.1:8000 (`git http-backend`);
//   - an OCI registry on 127.0.0.1:5000 (Debian's docker-registry) holding a small base image made from this
//     machine's static busybox (no image is pulled from the internet).
// Needs git, docker-registry and busybox-static (Debian packages); the pipeline's buildah step needs buildah and
// root. Usage: node examples/gitops-ci/setup.mjs [--dir DIR] [--git-port 8000] [--registry-port 5000]
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dir = resolve(flag('--dir', mkdtempSync(join(tmpdir(), 'gitops-demo-'))));
const gitPort = Number(flag('--git-port', '8000'));
const registryPort = Number(flag('--registry-port', '5000'));
const REGISTRY = '/usr/bin/docker-registry';
const BUSYBOX = '/usr/bin/busybox';

function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}

const which = (cmd) => {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
};
if (!which('git')) fail('git is not installed (Debian package git)');
if (!existsSync(REGISTRY)) fail(`${REGISTRY} is not installed (Debian package docker-registry)`);
if (!existsSync(BUSYBOX)) fail(`${BUSYBOX} is not installed (Debian package busybox-static): it makes the base image`);

const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Demo', GIT_AUTHOR_EMAIL: 'demo@example.test', GIT_COMMITTER_NAME: 'Demo', GIT_COMMITTER_EMAIL: 'demo@example.test' };
const git = (cwd, ...a) => execFileSync('git', a, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// 1. The repositories: one commit of repos/<name> on main, in <dir>/git/demo-<name>.git.
const gitRoot = join(dir, 'git');
mkdirSync(gitRoot, { recursive: true });
for (const name of ['app', 'gitops']) {
  const bare = join(gitRoot, `demo-${name}.git`);
  if (existsSync(bare)) continue;
  git(gitRoot, 'init', '-q', '--bare', '-b', 'main', bare);
  git(bare, 'config', 'http.receivepack', 'true');
  const work = join(dir, `seed-${name}`);
  cpSync(join(here, 'repos', name), work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', `demo ${name}`);
  git(work, 'push', '-q', bare, 'HEAD:refs/heads/main');
}

// 2. Git smart HTTP: every request goes to `git http-backend` (CGI) over the bare repositories.
const gitServer = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const child = spawn('git', ['http-backend'], {
    env: {
      ...gitEnv, GIT_PROJECT_ROOT: gitRoot, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1), REQUEST_METHOD: req.method ?? 'GET', CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: 'demo', REMOTE_ADDR: '127.0.0.1', GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  child.stdout.on('data', (chunk) => {
    if (started) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    started = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString().split('\r\n')) {
      const [k, ...v] = line.split(':');
      if (k.toLowerCase() === 'status') status = Number(v.join(':').trim().split(' ')[0]);
      else res.setHeader(k, v.join(':').trim());
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => res.end());
});
await new Promise((ok, bad) => gitServer.once('error', bad).listen(gitPort, '127.0.0.1', ok)).catch((e) => fail(`cannot serve git on 127.0.0.1:${gitPort}: ${e.message}`));

// 3. The registry, then the base image (one layer: busybox as /bin/busybox and /bin/sh, root in /etc).
const host = `127.0.0.1:${registryPort}`;
writeFileSync(join(dir, 'registry.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry-data')}\nhttp:\n  addr: ${host}\n  secret: gitops-demo\n`);
let stopping = false;
const registry = spawn(REGISTRY, ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', 'ignore', 'inherit'] });
registry.on('exit', (code) => { if (!stopping) fail(`docker-registry exited (${code}); is 127.0.0.1:${registryPort} free?`); });
for (let i = 0; ; i++) {
  const up = await fetch(`http://${host}/v2/`).then((r) => r.status === 200, () => false);
  if (up) break;
  if (i > 100) fail(`the registry on ${host} did not answer`);
  await new Promise((r) => setTimeout(r, 100));
}
const sha256 = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
async function pushBlob(repo, data) {
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
  location.searchParams.set('digest', sha256(data));
  const put = await fetch(location, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) fail(`pushing a blob: HTTP ${put.status}`);
  return sha256(data);
}
const rootfs = join(dir, 'base-rootfs');
mkdirSync(join(rootfs, 'bin'), { recursive: true });
mkdirSync(join(rootfs, 'etc'), { recursive: true });
cpSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
cpSync(BUSYBOX, join(rootfs, 'bin', 'sh'));
writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\n');
execFileSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '--mtime=2026-01-01', '-cf', join(dir, 'base-layer.tar'), '-C', rootfs, 'bin', 'etc']);
const layer = readFileSync(join(dir, 'base-layer.tar'));
const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] }, rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
const manifest = JSON.stringify({
  schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await pushBlob('base/busybox', config), size: config.length },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: await pushBlob('base/busybox', layer), size: layer.length }],
});
const put = await fetch(`http://${host}/v2/base/busybox/manifests/1`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
if (put.status !== 201) fail(`pushing the base image: HTTP ${put.status}`);

// 4. How to run the pipeline against them.
const gitUrl = `http://127.0.0.1:${gitPort}`;
console.log(`git repositories: ${gitUrl}/demo-app.git, ${gitUrl}/demo-gitops.git (in ${gitRoot})`);
console.log(`registry: ${host} (base image ${host}/base/busybox:1)`);
console.log('run the pipeline (buildah needs root and a privileged step; steps reach only these two host ports):');
console.log(`npx tkt run -f examples/gitops-ci/pipeline.yaml --runtime host -w source=dir=${join(dir, 'work')} --host-port ${gitPort} --host-port ${registryPort} --allow-privileged -p app-repo-url=${gitUrl}/demo-app.git -p gitops-repo-url=${gitUrl}/demo-gitops.git -p image-repo=${host}/demo-app -p base-image=${host}/base/busybox:1 -p tls-verify=false`);
console.log('serving until Ctrl-C');

const stop = () => {
  stopping = true;
  gitServer.close();
  registry.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
