/** Shared helpers of the kubelet tests: temp dirs, launches, a local busybox image. */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, copyFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { ContainerLaunch, PodIdentity } from '../../src/embedded/kubelet/types.js';

/** A temp dir removed by the returned cleanup. */
export function tempDir(prefix = 'tkt-kubelet-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A helper stand-in: the built step helper when present, else a small file. */
export function helperFile(dir: string): string {
  const built = path.resolve('dist/entrypoint/entrypoint');
  if (existsSync(built)) return built;
  const f = path.join(dir, 'entrypoint');
  writeFileSync(f, '#!/bin/sh\necho helper\n');
  chmodSync(f, 0o755);
  return f;
}

/** A ContainerLaunch with sensible defaults for runtime tests. */
export function launchOf(dir: string, over: Partial<ContainerLaunch> & { name: string }): ContainerLaunch {
  const pod: PodIdentity = { namespace: 'default', name: 'test-pod', uid: `uid-${path.basename(dir)}`.toLowerCase(), dir };
  const term = path.join(dir, `term-${over.name}`);
  writeFileSync(term, '');
  chmodSync(term, 0o666);
  return {
    pod, image: 'localhost/tektite-test-bb:latest', env: [], mounts: [],
    termination: { hostPath: term, containerPath: '/dev/termination-log' },
    helperPath: helperFile(dir), init: false, ...over,
  };
}

/** Whether a command exits 0. */
export function succeeds(argv: string[]): boolean {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd ?? 'false', args, { stdio: 'ignore', timeout: 20_000 });
  return r.status === 0;
}

/** Imports a busybox-only image (no registry) as `localhost/tektite-test-bb:latest` with podman; true when present. */
export function ensureBusyboxImage(): boolean {
  if (succeeds(['podman', 'image', 'exists', 'localhost/tektite-test-bb:latest'])) return true;
  if (!existsSync('/bin/busybox')) return false;
  const { dir, cleanup } = tempDir('tkt-bbimg-');
  try {
    const root = path.join(dir, 'rootfs');
    for (const d of ['bin', 'tmp', 'etc', 'proc', 'sys', 'dev', 'root']) mkdirSync(path.join(root, d), { recursive: true });
    copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
    chmodSync(path.join(root, 'bin/busybox'), 0o755);
    const list = spawnSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((c) => c && c !== 'busybox');
    for (const c of list) symlinkSync('busybox', path.join(root, 'bin', c));
    writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
    const tar = path.join(dir, 'bb.tar');
    if (!succeeds(['tar', '-C', root, '-cf', tar, '.'])) return false;
    return succeeds(['podman', 'import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tar, 'localhost/tektite-test-bb:latest']);
  } finally {
    cleanup();
  }
}

/** An in-process API server, a client and a kubelet on a temp data dir. */
export interface Cluster {
  client: import('../../src/kube/client.js').KubeClient;
  logs: import('../../src/embedded/logs.js').FileLogStore;
  kubelet: import('../../src/embedded/kubelet/index.js').Kubelet;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the API server (memory store) and a kubelet with the given runtime. */
export async function startCluster(runtime: 'host' | 'podman' | 'docker' | 'noop', opts: { dataDir?: string; persist?: boolean } = {}): Promise<Cluster> {
  const { startApiServer } = await import('../../src/embedded/apiserver/index.js');
  const { FileLogStore } = await import('../../src/embedded/logs.js');
  const { KubeClient, loadKubeConfig } = await import('../../src/kube/client.js');
  const { startKubelet } = await import('../../src/embedded/kubelet/index.js');
  const t = opts.dataDir ? undefined : tempDir('tkt-cluster-');
  const dataDir = opts.dataDir ?? t?.dir ?? '';
  const logs = new FileLogStore(path.join(dataDir, 'logs'));
  const api = await startApiServer({ logs, ...(opts.persist ? { dataDir } : {}) });
  const kc = path.join(dataDir, 'kubeconfig');
  api.writeKubeconfig(kc);
  const client = new KubeClient(loadKubeConfig({ kubeconfig: kc }));
  const kubelet = await startKubelet({ client, logs, dataDir, runtime, helperPath: helperFile(dataDir) });
  return {
    client, logs, kubelet, dataDir,
    async stop() {
      await kubelet.stop();
      await api.close();
      t?.cleanup();
    },
  };
}

type PodT = import('../../src/api/types.js').Pod;
const POD_REF = { apiVersion: 'v1', kind: 'Pod' };

/** Creates a pod in `default`. */
export function createPod(c: Cluster, name: string, spec: PodT['spec'], meta: Partial<PodT['metadata']> = {}): Promise<PodT> {
  return c.client.create<PodT>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...meta }, spec: { restartPolicy: 'Never', ...spec } });
}

/** Polls the pod until `pred` holds; answers it. */
export async function waitPod(c: Cluster, name: string, pred: (p: PodT) => boolean, timeoutMs = 20_000): Promise<PodT> {
  const end = Date.now() + timeoutMs;
  let last: PodT | undefined;
  while (Date.now() < end) {
    last = await c.client.tryGet<PodT>(POD_REF, 'default', name);
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pod ${name} did not reach the expected state; last status: ${JSON.stringify(last?.status)}`);
}

/** Waits until the pod is Succeeded or Failed. */
export function waitDone(c: Cluster, name: string, timeoutMs?: number): Promise<PodT> {
  return waitPod(c, name, (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', timeoutMs);
}
