/**
 * Hostile steps against the host runtime (issue 14): what a pull request's code could try in a step. Each attack
 * runs for real through `tkt run --runtime host` — as root (what CI runs as) and as user nobody — and must be
 * refused: the cgroup v1 release_agent escape, mounts, kernel modules, raw sockets, reading /etc/shadow, reaching
 * a service on the host's loopback, a hostPath volume of the data dir, a privileged container. Controls show that
 * the test can see a success: a --host-port opens the loopback service, the default capabilities let root read a
 * mode-000 file (DAC_OVERRIDE) that `drop: [ALL]` refuses. The attacks print ESCAPED when they succeed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineNetMode } from '../../src/embedded/kubelet/runtimes/engine-net.js';
import { pastaWorks } from '../../src/embedded/kubelet/runtimes/host.js';
import { ensureBusyboxImage } from '../kubelet/helpers.js';

const exec = promisify(execFile);
const root = path.join(import.meta.dirname, '..', '..');
const tkt = path.join(root, 'bin', 'tkt.js');
const isRoot = process.getuid?.() === 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-hostile-'));
fs.chmodSync(dir, 0o777);
const SECRET = 'host-loopback-secret-7f3a';

let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end(SECRET));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let image = 'busybox';
const step = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, image, script: `#!/bin/sh\n${script}\nexit 0\n`, ...extra });

/** A shell pipeline printing the body of http://127.0.0.1:PORT/ (busybox nc; nothing when unreachable). */
const get = (p: number): string => `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 ${p} 2>/dev/null`;

/** The attacks: each prints ESCAPED when it got through. */
function attacks(loopbackPort: number, withLoopback = true) {
  return [
    step('release-agent', [
      'mkdir -p /tmp/cg',
      'if mount -t cgroup -o memory cgroup /tmp/cg 2>&1 || mount -t cgroup -o rdma cgroup /tmp/cg 2>&1; then',
      '  echo "/tmp/x" > /tmp/cg/release_agent && echo ESCAPED release_agent written',
      'fi',
      'busybox unshare -Urm sh -c "mount -t cgroup -o rdma cgroup /tmp/cg && echo ESCAPED cgroup in new userns" 2>&1',
      'echo release-agent-done',
    ].join('\n')),
    step('mount', 'mount -t tmpfs none /tmp 2>&1 && echo ESCAPED mounted tmpfs\nmount --bind / /tmp 2>&1 && echo ESCAPED bind mount\necho mount-done'),
    step('module', 'printf "\\177ELF-not-a-module" > /tmp/evil.ko\ninsmod /tmp/evil.ko 2>&1 | grep -q "not permitted" && echo module-refused || echo ESCAPED-or-unexpected module load: $(insmod /tmp/evil.ko 2>&1)'),
    step('raw-socket', 'ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 && echo ESCAPED raw socket ping\necho raw-done'),
    step('shadow', 'grep -q "^root:" /etc/shadow 2>/dev/null && echo ESCAPED read /etc/shadow\nls /etc/ssh/ 2>/dev/null | grep -q host_.*_key && cat /etc/ssh/ssh_host_*_key 2>/dev/null | grep -q PRIVATE && echo ESCAPED host key\necho shadow-done'),
    ...(withLoopback ? [step('loopback', `${get(loopbackPort)} | grep -q ${SECRET} && echo ESCAPED reached host loopback\necho loopback-done`)] : []),
    step('dac-default', 'echo x > /tmp/f && chmod 000 /tmp/f && cat /tmp/f >/dev/null && echo dac-override-allowed'),
    step('dac-drop-all', 'echo x > /tmp/f && chmod 000 /tmp/f && cat /tmp/f >/dev/null 2>&1 && echo ESCAPED DAC_OVERRIDE despite drop ALL || echo dac-refused', { securityContext: { capabilities: { drop: ['ALL'] } } }),
  ];
}

function taskRun(name: string, steps: unknown[], podTemplate?: unknown): string {
  return JSON.stringify({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name }, spec: { ...(podTemplate ? { podTemplate } : {}), taskSpec: { steps } } });
}

interface Ran { code: number; out: string }

async function tktRun(file: string, args: string[], asNobody: boolean, runtime = 'host'): Promise<Ran> {
  const argv = [tkt, 'run', '--runtime', runtime, '-f', file, ...args];
  const cmd = asNobody ? 'setpriv' : process.execPath;
  const full = asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...argv] : argv;
  try {
    const r = await exec(cmd, full, { cwd: dir, env: { ...process.env, HOME: dir, TMPDIR: dir }, maxBuffer: 1 << 24 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  fs.chmodSync(f, 0o644);
  return f;
}

const users: Array<[string, boolean]> = [['root', true], ['nobody', false]];

describe.each(users)('hostile steps on the host runtime, tkt running as %s', (who, asRoot) => {
  const skip = asRoot ? (!isRoot ? 'tkt does not run as root here' : undefined) : (!isRoot ? 'switching to user nobody needs root' : undefined);
  if (skip) console.log(`skipped hostile steps as ${who}: ${skip}`);

  it.skipIf(!!skip)('refuses every attack; the controls succeed', async () => {
    const f = write(`attacks-${who}.json`, taskRun(`attacks-${who}`, attacks(port)));
    const r = await tktRun(f, [], !asRoot);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain('ESCAPED');
    for (const done of ['release-agent-done', 'mount-done', 'module-refused', 'raw-done', 'shadow-done', 'loopback-done', 'dac-override-allowed', 'dac-refused']) expect(r.out, done).toContain(done);
  }, 180_000);

  if (asRoot) it.skipIf(!!skip)('reaches a host loopback port named with --host-port (the loopback check can see a success)', async () => {
    const f = write('allowed.json', taskRun('allowed', [step('loopback', get(port))]));
    const r = await tktRun(f, ['--host-port', String(port)], false);
    expect(r.out).toContain(SECRET);
  }, 120_000);

  it.skipIf(!!skip)('refuses a hostPath volume of the data dir and a privileged container unless --allow-privileged', async () => {
    const data = path.join(dir, `data-${who}`);
    const hostPath = write(`hostpath-${who}.json`, taskRun('mount-data', [step('read', 'cat /stolen/token && echo ESCAPED token read', { volumeMounts: [{ name: 'data', mountPath: '/stolen' }] })],
      { volumes: [{ name: 'data', hostPath: { path: data } }] }));
    const a = await tktRun(hostPath, ['--data-dir', data], !asRoot);
    expect(a.code).toBe(1);
    expect(a.out).not.toContain('ESCAPED');
    expect(a.out).toContain(`violates PodSecurity "baseline:latest": hostPath volumes (volume "data")`);
    const priv = write(`privileged-${who}.json`, taskRun('privileged', [step('root', 'echo ESCAPED privileged ran', { securityContext: { privileged: true } })]));
    const b = await tktRun(priv, [], !asRoot);
    expect(b.code).toBe(1);
    expect(b.out).not.toContain('ESCAPED');
    expect(b.out).toContain(`privileged (container "step-root" must not set securityContext.privileged=true)`);
  }, 180_000);
});

describe('hostile steps under podman (root)', () => {
  const skip = !isRoot ? 'needs root' : !ensureBusyboxImage() ? 'podman cannot import the local busybox image here' : undefined;
  if (skip) console.log(`skipped hostile steps under podman: ${skip}`);
  it.skipIf(!!skip)('refuses the same attacks, the host loopback included (a podman pod has its own network), in real containers', async () => {
    image = 'localhost/tektite-test-bb:latest';
    try {
      const f = write('attacks-podman.json', taskRun('attacks-podman', attacks(port).map((s) => ({ ...s, imagePullPolicy: 'Never' }))));
      const r = await tktRun(f, [], false, 'podman');
      expect(r.code, r.out).toBe(0);
      expect(r.out).not.toContain('ESCAPED');
      for (const done of ['release-agent-done', 'mount-done', 'module-refused', 'raw-done', 'shadow-done', 'loopback-done', 'dac-override-allowed', 'dac-refused']) expect(r.out, done).toContain(done);
    } finally {
      image = 'busybox';
    }
  }, 300_000);

  it.skipIf(!!skip)('reaches a host loopback port named with --host-port (pasta), and a step meets its sidecar on the pod\'s localhost', async (ctx) => {
    const mode = await engineNetMode(await pastaWorks());
    if (mode !== 'netns') {
      console.log('skipped --host-port under podman: pods are podman pods on the default network here (needs root, pasta and ip)');
      return ctx.skip();
    }
    const bb = 'localhost/tektite-test-bb:latest';
    const tr = {
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'podman-host-port' },
      spec: {
        taskSpec: {
          sidecars: [{ name: 'server', image: bb, imagePullPolicy: 'Never', script: '#!/bin/sh\nmkdir -p /www && echo sidecar-on-localhost > /www/index.html && exec httpd -f -p 127.0.0.1:8088 -h /www\n' }],
          steps: [
            { name: 'host', image: bb, imagePullPolicy: 'Never', script: `#!/bin/sh\n${get(port)}\n` },
            { name: 'sidecar', image: bb, imagePullPolicy: 'Never', script: '#!/bin/sh\nfor i in $(seq 50); do wget -q -O- http://127.0.0.1:8088/ 2>/dev/null && exit 0; sleep 0.1; done; exit 1\n' },
          ],
        },
      },
    };
    const f = write('podman-host-port.json', JSON.stringify(tr));
    const r = await tktRun(f, ['--host-port', String(port)], false, 'podman');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(SECRET);
    expect(r.out).toContain('sidecar-on-localhost');
  }, 300_000);
});
