/** Pods run by the kubelet (host runtime) through the real embedded API server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bwrapWorks } from '../../src/embedded/kubelet/runtimes/host.js';
import { createPod, startCluster, waitDone, waitPod, type Cluster } from './helpers.js';

let c: Cluster | undefined;
beforeAll(async () => {
  if (!(await bwrapWorks())) {
    console.warn('SKIP kubelet pod tests: bubblewrap (bwrap) is missing or cannot create a sandbox');
    return;
  }
  c = await startCluster('host');
});
afterAll(async () => { await c?.stop(); });

describe('kubelet (host runtime)', () => {
  it('runs init containers first, then containers together sharing an emptyDir', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'shared', {
      volumes: [{ name: 'scratch', emptyDir: {} }],
      initContainers: [{ name: 'prepare', image: 'busybox', command: ['sh', '-c', 'echo init > /s/init.txt; echo init-log'], volumeMounts: [{ name: 'scratch', mountPath: '/s' }] }],
      containers: [
        { name: 'writer', image: 'busybox', command: ['sh', '-c', 'cat /s/init.txt; echo from-writer > /s/w.txt'], volumeMounts: [{ name: 'scratch', mountPath: '/s' }] },
        { name: 'reader', image: 'busybox', command: ['sh', '-c', 'while [ ! -f /s/w.txt ]; do sleep 0.02; done; cat /s/w.txt; exit 4'], volumeMounts: [{ name: 'scratch', mountPath: '/s' }] },
      ],
    });
    const pod = await waitDone(c, 'shared');
    expect(pod.status?.phase).toBe('Failed');
    const byName = new Map(pod.status?.containerStatuses?.map((s) => [s.name, s]));
    expect(byName.get('writer')?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(byName.get('reader')?.state?.terminated).toMatchObject({ exitCode: 4, reason: 'Error' });
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status?.conditions?.find((x) => x.type === 'Initialized')?.status).toBe('True');
    expect(pod.status?.hostIP).toBe('127.0.0.1');
    expect(pod.status?.startTime).toBeTruthy();
    expect(c.logs.read('default', 'shared', 'prepare')).toBe('init-log\n');
    expect(c.logs.read('default', 'shared', 'writer')).toBe('init\n');
    expect(c.logs.read('default', 'shared', 'reader')).toBe('from-writer\n');
    expect(c.logs.isFinished('default', 'shared', 'reader')).toBe(true);
  });

  it('succeeds when every container exits 0 and keeps log lines in order', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'ordered', { containers: [{ name: 'main', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done'] }] });
    const pod = await waitDone(c, 'ordered');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'ordered', 'main')).toBe('out1\nerr1\nout2\nerr2\nout3\nerr3\nout4\nerr4\nout5\nerr5\n');
  });

  it('reports the termination message from terminationMessagePath', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'term', {
      containers: [
        { name: 'custom', command: ['sh', '-c', 'printf "[{\\"key\\":\\"r\\",\\"value\\":\\"v\\",\\"type\\":1}]" > /tekton/termination'], terminationMessagePath: '/tekton/termination' },
        { name: 'default-path', command: ['sh', '-c', 'echo bye > /dev/termination-log'] },
        { name: 'fallback', command: ['sh', '-c', 'echo last words; exit 2'], terminationMessagePolicy: 'FallbackToLogsOnError' },
      ],
    });
    const pod = await waitDone(c, 'term');
    const byName = new Map(pod.status?.containerStatuses?.map((s) => [s.name, s.state?.terminated]));
    expect(byName.get('custom')?.message).toBe('[{"key":"r","value":"v","type":1}]');
    expect(byName.get('default-path')?.message).toBe('bye\n');
    expect(byName.get('fallback')?.message).toBe('last words\n');
  });

  it('fails the pod with the init container state when an init container fails', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'badinit', {
      initContainers: [{ name: 'i1', command: ['sh', '-c', 'exit 3'] }, { name: 'i2', command: ['sh', '-c', 'echo never'] }],
      containers: [{ name: 'main', command: ['true'] }],
    });
    const pod = await waitDone(c, 'badinit');
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(pod.status?.initContainerStatuses?.[1]?.state?.waiting).toBeTruthy();
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('reports Running with a started, ready container while it runs', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'running', { containers: [{ name: 'sleeper', command: ['sh', '-c', 'sleep 300'] }] });
    const pod = await waitPod(c, 'running', (p) => p.status?.phase === 'Running' && !!p.status?.containerStatuses?.[0]?.ready);
    const cs = pod.status?.containerStatuses?.[0];
    expect(cs?.state?.running?.startedAt).toBeTruthy();
    expect(cs?.ready).toBe(true);
    expect(pod.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    await c.client.delete({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'running');
  });
});
