/** Deletion, activeDeadlineSeconds, probes, runAsUser, sidecar stop and kubelet restart (host runtime). */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bwrapWorks } from '../../src/embedded/kubelet/runtimes/host.js';
import { createPod, startCluster, tempDir, waitDone, waitPod, type Cluster } from './helpers.js';

const POD = { apiVersion: 'v1', kind: 'Pod' };
let c: Cluster | undefined;
beforeAll(async () => {
  if (!(await bwrapWorks())) {
    console.warn('SKIP kubelet lifecycle tests: bubblewrap (bwrap) is missing or cannot create a sandbox');
    return;
  }
  c = await startCluster('host');
});
afterAll(async () => { await c?.stop(); });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('kubelet lifecycle', () => {
  it('kills a sleeping container when its pod is deleted and removes the scratch dir', async (ctx) => {
    if (!c) return ctx.skip();
    const pod = await createPod(c, 'doomed', {
      volumes: [{ name: 'e', emptyDir: {} }],
      containers: [{ name: 'sleeper', command: ['sh', '-c', 'echo $PPID > /e/pid; exec sleep 3017'], volumeMounts: [{ name: 'e', mountPath: '/e' }] }],
    });
    const dir = path.join(c.dataDir, 'pods', pod.metadata.uid ?? '');
    const pidFile = path.join(dir, 'volumes', 'e', 'pid');
    await waitPod(c, 'doomed', (p) => p.status?.phase === 'Running');
    await expect.poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '').toBe(true);
    // the pid inside the sandbox is namespaced: find the host's sleep via /proc instead
    const sleepers = (): number[] => findProcs('sleep 3017');
    expect(sleepers().length).toBeGreaterThan(0);
    await c.client.delete(POD, 'default', 'doomed');
    await expect.poll(() => sleepers().length, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => existsSync(dir), { timeout: 10_000 }).toBe(false);
  });

  it('fails a pod past activeDeadlineSeconds with reason DeadlineExceeded', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'deadline', { activeDeadlineSeconds: 1, containers: [{ name: 'sleeper', command: ['sleep', '300'] }] });
    const pod = await waitDone(c, 'deadline');
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.reason).toBe('DeadlineExceeded');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBeGreaterThan(128);
  });

  it('runs a container as runAsUser (container level over pod level)', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'users', {
      securityContext: { runAsUser: 1001 },
      containers: [
        { name: 'pod-level', command: ['id', '-u'] },
        { name: 'own', command: ['id', '-u'], securityContext: { runAsUser: 2000 } },
      ],
    });
    expect((await waitDone(c, 'users')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'users', 'pod-level')).toBe('1001\n');
    expect(c.logs.read('default', 'users', 'own')).toBe('2000\n');
  });

  it('marks a readiness-probed sidecar ready only after its probe passes', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'probed', {
      volumes: [{ name: 'shared', emptyDir: {} }],
      containers: [
        {
          name: 'sidecar', command: ['sleep', '300'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          readinessProbe: { exec: { command: ['sh', '-c', 'test -f /shared/go && touch /shared/ready'] }, periodSeconds: 1 },
        },
        { name: 'step', command: ['sh', '-c', 'while [ ! -f /shared/ready ]; do sleep 0.05; done; echo saw-ready'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
      ],
    });
    const running = await waitPod(c, 'probed', (p) => p.status?.containerStatuses?.find((s) => s.name === 'sidecar')?.state?.running !== undefined);
    expect(running.status?.containerStatuses?.find((s) => s.name === 'sidecar')?.ready).toBe(false);
    const pod = await c.client.get<import('../../src/api/types.js').Pod>(POD, 'default', 'probed');
    const dir = path.join(c.dataDir, 'pods', pod.metadata.uid ?? '', 'volumes', 'shared');
    writeFileSync(path.join(dir, 'go'), '');
    const ready = await waitPod(c, 'probed', (p) => p.status?.containerStatuses?.find((s) => s.name === 'sidecar')?.ready === true);
    expect(ready.status?.containerStatuses?.find((s) => s.name === 'sidecar')?.state?.running).toBeTruthy();
    await waitPod(c, 'probed', (p) => p.status?.containerStatuses?.find((s) => s.name === 'step')?.state?.terminated !== undefined);
    expect(c.logs.read('default', 'probed', 'step')).toBe('saw-ready\n');
    // Tekton stops a sidecar by swapping its image: the kubelet stops it and reports Completed
    const live = await c.client.get<import('../../src/api/types.js').Pod>(POD, 'default', 'probed');
    live.spec.containers = live.spec.containers.map((x) => (x.name === 'sidecar' ? { ...x, image: 'nop' } : x));
    await c.client.update(live);
    const done = await waitDone(c, 'probed');
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.containerStatuses?.find((s) => s.name === 'sidecar')?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});

describe('kubelet network probes', () => {
  it('marks containers ready after httpGet and tcpSocket probes pass (host network)', async (ctx) => {
    if (!c) return ctx.skip();
    const port = await freePort();
    const pod = await createPod(c, 'netprobe', {
      volumes: [{ name: 'e', emptyDir: {} }],
      containers: [
        {
          name: 'web', command: ['sh', '-c', `while [ ! -f /e/go ]; do sleep 0.05; done; exec python3 -m http.server ${port} --bind 127.0.0.1`],
          volumeMounts: [{ name: 'e', mountPath: '/e' }],
          ports: [{ containerPort: port, name: 'http' }],
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
        },
        { name: 'tcp', command: ['sleep', '300'], readinessProbe: { tcpSocket: { port }, periodSeconds: 1 } },
      ],
    });
    const all = (p: { status?: { containerStatuses?: Array<{ ready: boolean; state?: { running?: unknown } }> } }, f: (s: { ready: boolean; state?: { running?: unknown } }) => boolean): boolean =>
      (p.status?.containerStatuses ?? []).length === 2 && (p.status?.containerStatuses ?? []).every(f);
    const early = await waitPod(c, 'netprobe', (p) => all(p, (s) => s.state?.running !== undefined));
    expect(early.status?.containerStatuses?.some((s) => s.ready)).toBe(false);
    writeFileSync(path.join(c.dataDir, 'pods', pod.metadata.uid ?? '', 'volumes', 'e', 'go'), '');
    const ready = await waitPod(c, 'netprobe', (p) => all(p, (s) => s.ready));
    expect(ready.status?.conditions?.find((x) => x.type === 'ContainersReady')?.status).toBe('True');
    await c.client.delete(POD, 'default', 'netprobe');
  });
});

describe('kubelet restart', () => {
  it('marks a pod that was running when the kubelet stopped as Failed (NodeRestarted)', async (ctx) => {
    if (!(await bwrapWorks())) return ctx.skip();
    const t = tempDir('tkt-restart-');
    try {
      const first = await startCluster('host', { dataDir: t.dir, persist: true });
      await createPod(first, 'interrupted', { containers: [{ name: 'sleeper', command: ['sleep', '300'] }] });
      await createPod(first, 'finished', { containers: [{ name: 'quick', command: ['true'] }] });
      await waitPod(first, 'interrupted', (p) => p.status?.phase === 'Running');
      await waitDone(first, 'finished');
      await first.stop();
      const second = await startCluster('host', { dataDir: t.dir, persist: true });
      try {
        const pod = await waitDone(second, 'interrupted');
        expect(pod.status?.reason).toBe('NodeRestarted');
        expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(137);
        expect((await waitDone(second, 'finished')).status?.phase).toBe('Succeeded');
      } finally {
        await second.stop();
      }
    } finally {
      t.cleanup();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Host pids whose command line is exactly `cmd` (space-separated). */
function findProcs(cmd: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const line = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (line === cmd && alive(Number(e))) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}
