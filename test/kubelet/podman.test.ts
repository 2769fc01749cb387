/** The podman runtime with a locally imported busybox image (no registry), and the noop runtime. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { selectRuntime } from '../../src/embedded/kubelet/runtimes/select.js';
import { createPod, ensureBusyboxImage, startCluster, succeeds, waitDone, waitPod, type Cluster } from './helpers.js';

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
  });

  it('auto picks an engine when one answers, else host; noop and host resolve as asked', async () => {
    expect((await selectRuntime('noop')).name).toBe('noop');
    const auto = await selectRuntime('auto');
    const podman = await engineAnswers('podman', 5000);
    const docker = await engineAnswers('docker', 3000);
    expect(auto.name).toBe(docker ? 'docker' : podman ? 'podman' : 'host');
  }, 30_000);
});
