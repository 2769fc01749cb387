/** ConfigMaps, Secrets, downward API, PVCs and env through the kubelet (host runtime, real API server). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { bwrapWorks } from '../../src/embedded/kubelet/runtimes/host.js';
import { createPod, startCluster, waitDone, waitPod, type Cluster } from './helpers.js';

let c: Cluster | undefined;
beforeAll(async () => {
  if (!(await bwrapWorks())) {
    console.warn('SKIP kubelet config tests: bubblewrap (bwrap) is missing or cannot create a sandbox');
    return;
  }
  c = await startCluster('host');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  await c.client.create<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { color: 'blue', 'app.conf': 'a=1\n' } });
  await c.client.create<KubeObject>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'default' }, data: { token: b64('t0p'), user: b64('bob') } });
});
afterAll(async () => { await c?.stop(); });

const sh = (script: string) => ({ command: ['sh', '-c', script] });

describe('kubelet config sources', () => {
  it('resolves env from values, configMap/secret keys, fieldRefs and envFrom with prefix', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'envs', {
      containers: [{
        name: 'main', ...sh('echo "$A|$COLOR|$TOKEN|$NAME|$NS|$cfg_color|$S_user|$REF"'),
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'cfg_' }, { secretRef: { name: 'sec' }, prefix: 'S_' }],
        env: [
          { name: 'A', value: 'plain' },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'REF', value: '$(A)-$(MISSING)-$$(A)' },
        ],
      }],
    });
    expect((await waitDone(c, 'envs')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'envs', 'main')).toBe('plain|blue|t0p|envs|default|blue|bob|plain-$(MISSING)-$(A)\n');
  });

  it('holds a container in CreateContainerConfigError until the missing ConfigMap exists', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'late-cm', { containers: [{ name: 'main', ...sh('echo $V'), env: [{ name: 'V', valueFrom: { configMapKeyRef: { name: 'late', key: 'k' } } }] }] });
    const waiting = await waitPod(c, 'late-cm', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
    expect(waiting.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/configmap "late" not found/);
    expect(waiting.status?.phase).toBe('Pending');
    await c.client.create<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'default' }, data: { k: 'arrived' } });
    expect((await waitDone(c, 'late-cm')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'late-cm', 'main')).toBe('arrived\n');
  });

  it('mounts secret and configMap volumes (items, paths, modes) read-only', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'vols', {
      volumes: [
        { name: 's', secret: { secretName: 'sec', defaultMode: 0o400 } },
        { name: 'm', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
      ],
      containers: [{
        name: 'main', ...sh('cat /s/token; echo; cat /s/user; echo; cat /m/conf/app.conf; ls /m; stat -c %a /s/token; touch /s/x 2>/dev/null || echo ro'),
        volumeMounts: [{ name: 's', mountPath: '/s' }, { name: 'm', mountPath: '/m' }],
      }],
    });
    expect((await waitDone(c, 'vols')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'vols', 'main')).toBe('t0p\nbob\na=1\nconf\n400\nro\n');
  });

  it('mounts a configMap key with subPath as a file in /etc and a volume nested in a read-only one', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'subfile', {
      volumes: [{ name: 'm', configMap: { name: 'cfg' } }, { name: 'e', emptyDir: {} }],
      containers: [{
        name: 'main', ...sh('cat /etc/tektite-app.conf; echo x > /cfg/scratch/f && cat /cfg/scratch/f; cat /cfg/color'),
        volumeMounts: [{ name: 'm', mountPath: '/etc/tektite-app.conf', subPath: 'app.conf' }, { name: 'm', mountPath: '/cfg' }, { name: 'e', mountPath: '/cfg/scratch' }],
      }],
    });
    expect((await waitDone(c, 'subfile')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'subfile', 'main')).toBe('a=1\nx\nblue\n');
  });

  it('writes downward API files and refreshes them when annotations change', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'downward', {
      volumes: [{ name: 'd', downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }],
      containers: [{ name: 'main', ...sh('cat /d/labels; echo; while [ ! -s /d/ready ]; do sleep 0.02; done; cat /d/ready'), volumeMounts: [{ name: 'd', mountPath: '/d' }] }],
    }, { labels: { app: 'x' } });
    await waitPod(c, 'downward', (p) => p.status?.phase === 'Running');
    await c.client.patch({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'downward', { metadata: { annotations: { 'tekton.dev/ready': 'READY' } } });
    expect((await waitDone(c, 'downward')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'downward', 'main')).toBe('app="x"\nREADY\n');
  });

  it('projects configMap, secret and downwardAPI sources into one volume', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'projected', {
      volumes: [{ name: 'p', projected: { sources: [
        { configMap: { name: 'cfg', items: [{ key: 'color', path: 'color' }] } },
        { secret: { name: 'sec', items: [{ key: 'user', path: 'who' }] } },
        { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
      ] } }],
      containers: [{ name: 'main', ...sh('cat /p/color /p/who /p/name'), volumeMounts: [{ name: 'p', mountPath: '/p' }] }],
    });
    expect((await waitDone(c, 'projected')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'projected', 'main')).toBe('bluebobprojected\n');
  });

  it('provisions a PVC, shares it between two pods, and removes it when the claim is deleted', async (ctx) => {
    if (!c) return ctx.skip();
    const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
    await c.client.create<KubeObject>({ ...PVC, metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const claim = { volumes: [{ name: 'w', persistentVolumeClaim: { claimName: 'data' } }] };
    await createPod(c, 'pvc-a', { ...claim, containers: [{ name: 'main', ...sh('mkdir -p /w/sub && echo shared > /w/sub/f'), volumeMounts: [{ name: 'w', mountPath: '/w' }] }] });
    expect((await waitDone(c, 'pvc-a')).status?.phase).toBe('Succeeded');
    await createPod(c, 'pvc-b', { ...claim, containers: [{ name: 'main', ...sh('cat /x/f; pwd'), workingDir: '/x/new/dir', volumeMounts: [{ name: 'w', mountPath: '/x', subPath: 'sub' }] }] });
    expect((await waitDone(c, 'pvc-b')).status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'pvc-b', 'main')).toBe('shared\n/x/new/dir\n');
    const bound = await c.client.get<KubeObject>(PVC, 'default', 'data');
    expect((bound.status as { phase?: string }).phase).toBe('Bound');
    const dir = path.join(c.dataDir, 'pv', 'default', 'data');
    expect(existsSync(path.join(dir, 'sub', 'f'))).toBe(true);
    await c.client.delete(PVC, 'default', 'data');
    await expect.poll(() => existsSync(dir), { timeout: 10_000 }).toBe(false);
  });

  it('fails a pod with a csi volume with a clear message', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'csi', { volumes: [{ name: 'x', csi: { driver: 'foo' } }], containers: [{ name: 'main', command: ['true'] }] });
    const pod: Pod = await waitDone(c, 'csi');
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.message).toMatch(/volume "x": volume type csi is not supported/);
  });
});
