/** The podman runtime with a locally imported busybox image (no registry), and the noop runtime. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliRuntime, engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { podmanPodName } from '../../src/embedded/kubelet/runtimes/engine-net.js';
import { selectRuntime } from '../../src/embedded/kubelet/runtimes/select.js';
import { createPod, ensureBusyboxImage, launchOf, startCluster, succeeds, tempDir, waitDone, waitPod, type Cluster } from './helpers.js';

const IMAGE = 'localhost/tektite-test-bb:latest';

describe('podman runtime', () => {
  let c: Cluster | undefined;
  beforeAll(async () => {
    if (!(await engineAnswers('podman', 15_000))) {
      console.warn('SKIP podman runtime tests: `podman info` does not answer (podman missing)');
      return;
    }
    if (!ensureBusyboxImage()) {
      console.warn('SKIP podman runtime tests: cannot build the local busybox image (needs /bin/busybox and podman import)');
      return;
    }
    c = await startCluster('podman');
  }, 60_000);
  afterAll(async () => { await c?.stop(); });

  it('runs an init container, then two containers sharing a volume, with logs, exit codes and messages', async (ctx) => {
    if (!c) return ctx.skip();
    const pod = await createPod(c, 'pm', {
      volumes: [{ name: 'ws', emptyDir: {} }],
      initContainers: [{ name: 'init', image: IMAGE, command: ['sh', '-c', 'echo init > /ws/init; echo init-ran'], volumeMounts: [{ name: 'ws', mountPath: '/ws' }] }],
      containers: [
        { name: 'a', image: IMAGE, command: ['sh', '-c'], args: ['cat /ws/init; echo from-a > /ws/a; echo err >&2; echo $GREETING'], env: [{ name: 'GREETING', value: 'hello' }], volumeMounts: [{ name: 'ws', mountPath: '/ws' }] },
        { name: 'b', image: IMAGE, command: ['sh', '-c', 'while [ ! -f /ws/a ]; do sleep 0.05; done; cat /ws/a; printf done-b > /dev/termination-log; exit 3'], volumeMounts: [{ name: 'ws', mountPath: '/ws' }] },
      ],
    });
    const done = await waitDone(c, 'pm', 60_000);
    expect(done.status?.phase).toBe('Failed');
    const byName = new Map(done.status?.containerStatuses?.map((s) => [s.name, s]));
    expect(byName.get('a')?.state?.terminated?.exitCode).toBe(0);
    expect(byName.get('b')?.state?.terminated).toMatchObject({ exitCode: 3, message: 'done-b' });
    expect(byName.get('a')?.containerID).toMatch(/^podman:\/\//);
    expect(c.logs.read('default', 'pm', 'init')).toBe('init-ran\n');
    // conmon reads stdout and stderr through separate pipes: order is kept within each stream (as in Kubernetes)
    const lines = c.logs.read('default', 'pm', 'a').split('\n').filter(Boolean);
    expect(lines.filter((l) => l !== 'err')).toEqual(['init', 'hello']);
    expect(lines).toContain('err');
    expect(c.logs.read('default', 'pm', 'b')).toBe('from-a\n');
    await expect.poll(() => succeeds(['sh', '-c', `test -z "$(podman ps -a -q --filter label=tektite.dev/pod-uid=${pod.metadata.uid ?? ''})"`]), { timeout: 20_000 }).toBe(true);
  }, 90_000);

  it('gives a pod its own network: probes reach its localhost servers, the hostname is the pod name, the network goes with the pod', async (ctx) => {
    if (!c) return ctx.skip();
    const serve = (port: number): string[] => ['sh', '-c', `hostname; mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 127.0.0.1:${port} -h /www`];
    const pod = await createPod(c, 'pm-net', {
      containers: [
        { name: 'web', image: IMAGE, command: serve(8080), readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } },
        { name: 'tcp', image: IMAGE, command: serve(9090), readinessProbe: { tcpSocket: { port: 9090 }, periodSeconds: 1 } },
        { name: 'none', image: IMAGE, command: ['sleep', '300'], readinessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1 } },
      ],
    });
    const ready = (p: import('../../src/api/types.js').Pod, name: string): boolean | undefined => p.status?.containerStatuses?.find((s) => s.name === name)?.ready;
    const running = await waitPod(c, 'pm-net', (p) => ready(p, 'web') === true && ready(p, 'tcp') === true, 60_000);
    expect(ready(running, 'none')).toBe(false);
    expect(c.logs.read('default', 'pm-net', 'web')).toBe('pm-net\n');
    const uid = pod.metadata.uid ?? '';
    const netns = `/run/netns/tkt-${uid}`;
    console.log(`podman pod network here: ${existsSync(netns) ? `network namespace ${netns} with pasta` : 'a podman pod'}`);
    await c.client.delete({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'pm-net');
    await expect.poll(() => succeeds(['sh', '-c', `test -z "$(podman ps -a -q --filter label=tektite.dev/pod-uid=${uid})"`]), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => existsSync(netns), { timeout: 10_000 }).toBe(false);
    expect(succeeds(['sh', '-c', `! pgrep -f "[n]etns tkt-${uid}"`])).toBe(true);
  }, 90_000);

  it('keeps output that is not UTF-8 byte for byte (kubectl logs)', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'pm-bytes', { containers: [{ name: 'c', image: IMAGE, command: ['sh', '-c', "printf '\\377\\376\\200 caf\\303\\251 \\351\\n'"] }] });
    await waitDone(c, 'pm-bytes', 60_000);
    // async: kubectl talks to this process's API server
    const r = await promisify(execFile)('kubectl', ['--kubeconfig', path.join(c.dataDir, 'kubeconfig'), 'logs', 'pm-bytes'], { encoding: 'buffer' });
    expect([...r.stdout]).toEqual([0xff, 0xfe, 0x80, 0x20, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xe9, 0x0a]);
  }, 90_000);

  it('stops and removes the containers of a deleted pod', async (ctx) => {
    if (!c) return ctx.skip();
    const pod = await createPod(c, 'pm-del', { containers: [{ name: 's', image: IMAGE, command: ['sleep', '300'] }] });
    await waitPod(c, 'pm-del', (p) => p.status?.phase === 'Running', 60_000);
    await c.client.delete({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'pm-del');
    await expect.poll(() => succeeds(['sh', '-c', `test -z "$(podman ps -a -q --filter label=tektite.dev/pod-uid=${pod.metadata.uid ?? ''})"`]), { timeout: 30_000 }).toBe(true);
  }, 90_000);
});

describe('noop runtime', () => {
  let c: Cluster | undefined;
  beforeAll(async () => { c = await startCluster('noop'); });
  afterAll(async () => { await c?.stop(); });

  it('completes every container at once and declares step results', async () => {
    if (!c) throw new Error('no cluster');
    await createPod(c, 'bench', {
      initContainers: [{ name: 'prepare', image: 'x', command: ['/tektite/entrypoint', 'init'] }],
      containers: [
        { name: 'step-one', image: 'x', command: ['/tekton/bin/entrypoint'], args: ['-post_file', '/tekton/run/0/out', '-results', 'digest,url', '-entrypoint', 'build', '--'], terminationMessagePath: '/tekton/termination' },
        { name: 'sidecar-db', image: 'x', command: ['whatever'] },
      ],
    });
    const pod = await waitDone(c, 'bench');
    expect(pod.status?.phase).toBe('Succeeded');
    const msg = pod.status?.containerStatuses?.find((s) => s.name === 'step-one')?.state?.terminated?.message ?? '';
    const entries = JSON.parse(msg) as Array<{ key: string; value: string; type: number }>;
    expect(entries.filter((e) => e.type === 1)).toEqual([{ key: 'digest', value: '', type: 1 }, { key: 'url', value: '', type: 1 }]);
    expect(entries.find((e) => e.key === 'StartedAt')?.type).toBe(3);
    expect(pod.status?.containerStatuses?.find((s) => s.name === 'sidecar-db')?.state?.terminated?.message).toBeUndefined();
    // nothing on disk for the pod: no scratch directory, and no log file for containers that wrote nothing; yet
    // their logs read as empty and finished (a follower ends at once)
    expect(existsSync(path.join(c.dataDir, 'pods', pod.metadata.uid ?? ''))).toBe(false);
    expect(existsSync(path.join(c.dataDir, 'logs', 'default', 'bench'))).toBe(false);
    const kc = ['--kubeconfig', path.join(c.dataDir, 'kubeconfig')];
    for (const container of ['prepare', 'step-one', 'sidecar-db']) {
      const r = await promisify(execFile)('kubectl', [...kc, 'logs', '-f', 'bench', '-c', container], { timeout: 20_000 });
      expect(r.stdout).toBe('');
    }
  });

  it('auto picks an engine when one answers, else host; noop and host resolve as asked', async () => {
    expect((await selectRuntime('noop')).name).toBe('noop');
    const auto = await selectRuntime('auto');
    const podman = await engineAnswers('podman', 5000);
    const docker = await engineAnswers('docker', 3000);
    expect(auto.name).toBe(docker ? 'docker' : podman ? 'podman' : 'host');
  }, 30_000);
});

describe('podman runtime, pod network through a podman pod (rootless podman, or no pasta)', () => {
  let skip: string | undefined;
  beforeAll(async () => {
    if (!(await engineAnswers('podman', 15_000))) skip = '`podman info` does not answer';
    else if (!ensureBusyboxImage()) skip = 'cannot build the local busybox image';
  }, 60_000);

  it('runs the containers of a pod in one podman pod (they meet on localhost, the host name is the pod name) and removes it', async (ctx) => {
    if (skip) {
      console.warn(`SKIP podman pod network test: ${skip}`);
      return ctx.skip();
    }
    const t = tempDir('tkt-podman-pod-');
    const rt = CliRuntime.create('podman', { mode: 'pod', hostPorts: [] });
    try {
      const server = launchOf(t.dir, { name: 'server', command: ['sh', '-c', 'mkdir -p /www && echo from-server > /www/index.html && exec httpd -f -p 127.0.0.1:8081 -h /www'] });
      const pod = server.pod;
      await rt.preparePod(pod);
      const out: string[] = [];
      const h1 = await rt.start(server, () => undefined);
      const client = launchOf(t.dir, { name: 'client', command: ['sh', '-c', 'hostname; for i in $(seq 50); do wget -q -O- http://127.0.0.1:8081/ 2>/dev/null && exit 0; sleep 0.1; done; exit 1'] });
      const h2 = await rt.start(client, (chunk) => out.push(Buffer.from(chunk).toString()));
      expect((await h2.exited).exitCode).toBe(0);
      expect(out.join('')).toBe('test-pod\nfrom-server\n');
      await h1.kill();
      expect(succeeds(['podman', 'pod', 'exists', podmanPodName(pod)])).toBe(true);
      await rt.cleanupPod(pod);
      expect(succeeds(['podman', 'pod', 'exists', podmanPodName(pod)])).toBe(false);
    } finally {
      t.cleanup();
    }
  }, 90_000);
});
