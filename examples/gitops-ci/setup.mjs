#!/usr/bin/env node
// Sets up what examples/gitops-ci/pipeline.yaml needs on this machine, and prints the command that runs it:
//   - the two repositories of repos/ as bare git repositories, served over git smart HTTP (push enabled) on
//     127.0.0.1 by `git http-backend`;
//   - Debian's docker-registry on 127.0.0.1 with a tiny busybox base image pushed into it (made here from
//     /usr/bin/busybox: no image is pulled from anywhere).
// Then it keeps serving until Ctrl-C. Needs: git, docker-registry, busybox-static, tar (apt-get install -y git
// docker-registry busybox-static); the pipeline itself needs buildah and root for its privileged build step.
//
//   node examples/gitops-ci/setup.mjs [--dir DIR] [--git-port 8000 (0: any)] [--registry-port 5000]
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const dir = arg('--dir', mkdtempSync(join(tmpdir(), 'tektite-gitops-demo-')));
let gitPort = Number(arg('--git-port', '8000'));
const registryPort = Number(arg('--registry-port', '5000'));
const REGISTRY = '/usr/bin/docker-registry';
const BUSYBOX = '/usr/bin/busybox';

function fail(message) {
  process.stderr.write(`setup: ${message}\n`);
  process.exit(1);
}
for (const [path, pkg] of [[REGISTRY, 'docker-registry'], [BUSYBOX, 'busybox-static']]) {
  if (!existsSync(path)) fail(`${path} is missing: apt-get install -y ${pkg}`);
}
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'demo', GIT_COMMITTER_EMAIL: 'demo@example.com' } }).trim();

/** repos/<name> → <dir>/demo-<name>.git (bare, one commit on main, push over HTTP allowed). */
function bareRepo(name) {
  const work = join(dir, `work-${name}`);
  cpSync(join(here, 'repos', name), work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', `${name}: initial commit`);
  const bare = join(dir, `demo-${name}.git`);
  git(dir, 'clone', '-q', '--bare', work, bare);
  git(bare, 'config', 'http.receivepack', 'true');
  rmSync(work, { recursive: true, force: true });
  return git(bare, 'rev-parse', 'main');
}

/** Git smart HTTP: each request runs `git http-backend` as a CGI program. */
function serveGit() {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const env = {
      PATH: process.env.PATH, GIT_PROJECT_ROOT: dir, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: decodeURIComponent(u.pathname),
      QUERY_STRING: u.search.slice(1), REQUEST_METHOD: req.method ?? 'GET', CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: 'demo', REMOTE_ADDR: '127.0.0.1', GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
    };
    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (chunk) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      started = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        if (line.slice(0, i).trim().toLowerCase() === 'status') status = Number(line.slice(i + 1).trim().split(' ')[0]);
        else res.setHeader(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`git server on 127.0.0.1:${gitPort}: ${err.message}`)));
    server.listen(gitPort, '127.0.0.1', () => resolve(server));
  });
}

async function startRegistry() {
  const config = join(dir, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry')}\nhttp:\n  addr: 127.0.0.1:${registryPort}\n  secret: tektite-demo\n`);
  const child = spawn(REGISTRY, ['serve', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) fail(`docker-registry exited (is port ${registryPort} free?)`);
    if (await fetch(`http://127.0.0.1:${registryPort}/v2/`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  fail('docker-registry did not answer');
}

const sha256 = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function pushBlob(repo, data) {
  const start = await fetch(`http://127.0.0.1:${registryPort}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') ?? '', `http://127.0.0.1:${registryPort}`);
  location.searchParams.set('digest', sha256(data));
  const put = await fetch(location, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) fail(`pushing a blob: HTTP ${put.status}`);
  return { digest: sha256(data), size: data.length };
}

/** base/busybox:1 — /bin/busybox and /bin/sh from this machine's static busybox, in one OCI layer. */
async function pushBase() {
  const root = join(dir, 'base-rootfs');
  for (const d of ['bin', 'etc']) mkdirSync(join(root, d), { recursive: true });
  for (const f of ['busybox', 'sh']) {
    copyFileSync(BUSYBOX, join(root, 'bin', f));
    chmodSync(join(root, 'bin', f), 0o755);
  }
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\n');
  const tar = join(dir, 'base.tar');
  execFileSync('tar', ['-C', root, '--owner=0', '--group=0', '--mtime=2026-01-01', '-cf', tar, 'bin', 'etc']);
  const layer = readFileSync(tar);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] }, rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  const repo = 'base/busybox';
  const c = await pushBlob(repo, config);
  const l = await pushBlob(repo, layer);
  const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...c }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l }] };
  const put = await fetch(`http://127.0.0.1:${registryPort}/v2/${repo}/manifests/1`, { method: 'PUT', body: JSON.stringify(manifest), headers: { 'content-type': manifest.mediaType } });
  if (put.status !== 201) fail(`pushing the base image manifest: HTTP ${put.status}`);
  return `127.0.0.1:${registryPort}/${repo}:1`;
}

mkdirSync(dir, { recursive: true });
const app = bareRepo('app');
bareRepo('gitops');
const server = await serveGit();
gitPort = server.address().port;
const registry = await startRegistry();
const base = await pushBase();
const g = `http://127.0.0.1:${gitPort}`;
process.stdout.write(`git repositories: ${g}/demo-app.git (main at ${app}), ${g}/demo-gitops.git
registry: 127.0.0.1:${registryPort} (base image ${base})
data: ${dir}
Run the pipeline (in another terminal, from the repository's root; Ctrl-C here stops the servers):
npx tkt run -f examples/gitops-ci/pipeline.yaml --runtime host -w source=dir=${join(dir, 'ci-work')} --host-port ${gitPort} --host-port ${registryPort} --allow-privileged -p app-repo-url=${g}/demo-app.git -p gitops-repo-url=${g}/demo-gitops.git -p image-repo=127.0.0.1:${registryPort}/demo-app -p base-image=${base} -p tls-verify=false
`);
const stop = () => {
  server.close();
  registry.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
