/**
 * Looking inside a running step: real `kubectl exec` (WebSocket v5), `kubectl exec -it` on a pseudo-terminal
 * (`script`), `kubectl attach` and `tkt taskrun exec`, against embedded mode with the host runtime and, when podman
 * answers, the podman runtime. The exec'd command sees the step's files and processes and has no more privilege
 * than the step (host runtime: same capabilities, seccomp filter, masked /etc/shadow).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';
import { buildBusyboxImage, removeImages } from '../podman/images.js';

const pexec = promisify(execFile);
const TKT = path.join(repoRoot, 'bin', 'tkt.js');
const POD = { apiVersion: 'v1', kind: 'Pod' };
const BUSYBOX = `localhost/busybox:tektite-exec-${process.pid}`;

interface Ran { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], input?: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.stdin.end(input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function sleeper(name: string, image: string) {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, namespace: 'default' },
    spec: {
      timeout: '10m',
      taskSpec: {
        steps: [{
          name: 'work', image,
          script: 'echo from-the-step > /tmp/marker\ngrep CapEff /proc/self/status > /tmp/caps\nwhile true; do echo tick; sleep 1; done\n',
        }],
      },
    },
  };
}

async function runningPod(world: Embedded, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const pod = await world.client.tryGet<Pod>(POD, 'default', name);
    const st = (pod?.status?.containerStatuses ?? []) as Array<{ state?: { running?: unknown } }>;
    if (st[0]?.state?.running) {
      // the step has written its marker once /tmp/caps exists; give the script a moment
      await new Promise((r) => setTimeout(r, 300));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pod ${name} never ran`);
}

const runtimes: Array<{ runtime: 'host' | 'podman'; image: string }> = [
  { runtime: 'host', image: 'busybox' },
  { runtime: 'podman', image: BUSYBOX },
];

describe.each(runtimes)('exec and attach ($runtime runtime)', ({ runtime, image }) => {
  let world: Embedded | undefined;
  let dir = '';
  let skip: string | undefined;
  const kubectl = (args: string[], input?: string, env?: Record<string, string>) => run('kubectl', ['--kubeconfig', world!.kubeconfigPath, '--cache-dir', path.join(dir, 'kcache'), ...args], input, env);
  const tkt = (args: string[], input?: string) => run(process.execPath, [TKT, '--kubeconfig', world!.kubeconfigPath, ...args], input);

  beforeAll(async () => {
    if (runtime === 'podman') {
      if (!(await engineAnswers('podman', 15_000))) skip = 'podman is missing or `podman info` does not answer';
      else skip = buildBusyboxImage(BUSYBOX);
      if (skip) return;
    }
    dir = mkdtempSync(path.join(tmpdir(), 'tkt-exec-'));
    world = await startEmbedded({ runtime, dataDir: path.join(dir, 'data'), eventListeners: false });
    await world.client.create(sleeper('sleepy', image));
    await runningPod(world, 'sleepy-pod');
  }, 180_000);

  afterAll(async () => {
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (runtime === 'podman' && !skip) removeImages(BUSYBOX);
  });

  const skipped = (ctx: { skip: () => void }): boolean => {
    if (!skip) return false;
    console.warn(`SKIP exec tests on ${runtime}: ${skip}`);
    ctx.skip();
    return true;
  };

  it('kubectl exec: stdout, stderr and the exit code are the command\'s; it sees the step\'s files and processes', async (ctx) => {
    if (skipped(ctx)) return;
    const r = await kubectl(['exec', 'sleepy-pod', '-c', 'step-work', '--', 'sh', '-c', 'cat /tmp/marker; echo to-stderr >&2; ps | grep -c "sleep 1" >/dev/null && echo sees-step; exit 3']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('from-the-step');
    expect(r.stdout).toContain('sees-step');
    expect(r.stderr).toContain('to-stderr');
    expect(r.stderr).toContain('command terminated with exit code 3');
    const ok = await kubectl(['exec', 'sleepy-pod', '-c', 'step-work', '--', 'true']);
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);

  it('kubectl exec -i passes stdin and its end', async (ctx) => {
    if (skipped(ctx)) return;
    const r = await kubectl(['exec', '-i', 'sleepy-pod', '-c', 'step-work', '--', 'sh', '-c', 'wc -l; echo end'], 'a\nb\nc\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.trim())).toEqual(['3', 'end', '']);
  }, 60_000);

  it('kubectl exec -it runs on a terminal of the caller\'s size', async (ctx) => {
    if (skipped(ctx)) return;
    const inner = ['kubectl', '--kubeconfig', world!.kubeconfigPath, '--cache-dir', path.join(dir, 'kcache'), 'exec', '-it', 'sleepy-pod', '-c', 'step-work', '--', 'sh', '-c', 'tty; stty size; exit 4'].map(shq).join(' ');
    // `sleep` keeps script's input open so kubectl's terminal stays up until the command ends
    const r = await run('sh', ['-c', `sleep 5 | script -qec ${shq(`stty cols 101 rows 33; ${inner}`)} /dev/null`]);
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(r.stdout).toContain('33 101');
    expect(r.code).toBe(4);
  }, 60_000);

  it('over SPDY too (kubectl before 1.30, and kubectl\'s fallback): exit code, stdin, terminal', async (ctx) => {
    if (skipped(ctx)) return;
    const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    const r = await kubectl(['exec', 'sleepy-pod', '-c', 'step-work', '--', 'sh', '-c', 'cat /tmp/marker; echo to-stderr >&2; exit 3'], undefined, spdy);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('from-the-step\n');
    expect(r.stderr).toContain('to-stderr');
    const piped = await kubectl(['exec', '-i', 'sleepy-pod', '-c', 'step-work', '--', 'sh', '-c', 'wc -l'], 'a\nb\n', spdy);
    expect(piped.stdout.trim()).toBe('2');
    const inner = ['kubectl', '--kubeconfig', world!.kubeconfigPath, 'exec', '-it', 'sleepy-pod', '-c', 'step-work', '--', 'sh', '-c', 'stty size; exit 4'].map(shq).join(' ');
    const t = await run('sh', ['-c', `sleep 5 | script -qec ${shq(`stty cols 77 rows 21; ${inner}`)} /dev/null`], undefined, spdy);
    expect(t.stdout).toContain('21 77');
    expect(t.code).toBe(4);
  }, 60_000);

  it('tkt taskrun exec enters the running step; -s picks a step; exit codes pass through', async (ctx) => {
    if (skipped(ctx)) return;
    const r = await tkt(['tr', 'exec', 'sleepy', '--', 'sh', '-c', 'cat /tmp/marker; exit 7']);
    expect(r.stdout).toContain('from-the-step');
    expect(r.code).toBe(7);
    const piped = await tkt(['tr', 'exec', 'sleepy', '-i', '-s', 'work', '--', 'cat'], 'through-stdin\n');
    expect(piped).toMatchObject({ code: 0, stdout: 'through-stdin\n' });
    const bad = await tkt(['tr', 'exec', 'sleepy', '-s', 'nope', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('TaskRun sleepy has no step "nope"; its steps: work');
  }, 60_000);

  it('kubectl attach streams the container\'s output from now on', async (ctx) => {
    if (skipped(ctx)) return;
    const child = spawn('kubectl', ['--kubeconfig', world!.kubeconfigPath, 'attach', 'sleepy-pod', '-c', 'step-work'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    for (let i = 0; i < 100 && (out.match(/tick/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect((out.match(/tick/g) ?? []).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('errors: an unknown container, a finished pod', async (ctx) => {
    if (skipped(ctx)) return;
    const r = await kubectl(['exec', 'sleepy-pod', '-c', 'nope', '--', 'true']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('container nope is not valid for pod sleepy-pod');
    await world!.client.create({ ...sleeper('quick', image), spec: { taskSpec: { steps: [{ name: 'work', image, script: 'true' }] } } });
    for (let i = 0; i < 300; i++) {
      const pod = await world!.client.tryGet<Pod>(POD, 'default', 'quick-pod');
      if (pod?.status?.phase === 'Succeeded') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const done = await kubectl(['exec', 'quick-pod', '-c', 'step-work', '--', 'true']);
    expect(done.code).not.toBe(0);
    expect(done.stderr).toContain('cannot exec into a container in a completed pod; current phase is Succeeded');
  }, 90_000);
});

describe('exec has no more privilege than the step (host runtime)', () => {
  let world: Embedded | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tkt-exec-priv-'));
    world = await startEmbedded({ runtime: 'host', dataDir: path.join(dir, 'data'), eventListeners: false });
    await world.client.create(sleeper('priv', 'busybox'));
    await runningPod(world, 'priv-pod');
  }, 120_000);
  afterAll(async () => {
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('same capabilities, masked /etc/shadow, no new user namespaces, no mounts', async () => {
    const exec = (script: string) => pexec('kubectl', ['--kubeconfig', world!.kubeconfigPath, 'exec', 'priv-pod', '-c', 'step-work', '--', 'sh', '-c', script]).then(
      (r) => ({ code: 0, out: r.stdout }), (e: { code?: number; stdout?: string }) => ({ code: e.code ?? -1, out: e.stdout ?? '' }));
    const caps = await exec('grep CapEff /proc/self/status; cat /tmp/caps');
    const [mine, step] = caps.out.trim().split('\n');
    expect(mine).toMatch(/^CapEff:\s+[0-9a-f]+$/);
    expect(mine).toBe(step);
    expect((await exec('cat /etc/shadow')).out).toBe('');
    expect((await exec('unshare -U true && echo escaped')).out).not.toContain('escaped');
    expect((await exec('mount -t tmpfs none /mnt && echo mounted')).out).not.toContain('mounted');
  }, 60_000);
});
