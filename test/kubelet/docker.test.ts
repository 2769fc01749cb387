/** The docker runtime: the docker CLI against podman's Docker-compatible service on a temp socket. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { createPod, ensureBusyboxImage, startCluster, succeeds, tempDir, waitDone, type Cluster } from './helpers.js';

const IMAGE = 'localhost/tektite-test-bb:latest';
let service: ChildProcess | undefined;
let sock: { dir: string; cleanup: () => void } | undefined;
let c: Cluster | undefined;

async function startService(): Promise<string | undefined> {
  if (!succeeds(['docker', '--version'])) return 'the docker CLI is missing';
  if (!(await engineAnswers('podman', 15_000))) return 'podman (which serves the Docker API here) does not answer';
  if (!ensureBusyboxImage()) return 'cannot build the local busybox image';
  sock = tempDir('tkt-docker-');
  const url = `unix://${path.join(sock.dir, 'podman.sock')}`;
  service = spawn('podman', ['--runtime', 'runc', 'system', 'service', '--time=0', url], { stdio: 'ignore' });
  process.env.DOCKER_HOST = url;
  for (let i = 0; i < 50; i++) {
    if (await engineAnswers('docker', 2000)) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'podman system service did not answer on its socket';
}

beforeAll(async () => {
  const why = await startService();
  if (why) {
    console.warn(`SKIP docker runtime test: ${why}`);
    return;
  }
  c = await startCluster('docker');
}, 60_000);

afterAll(async () => {
  await c?.stop();
  delete process.env.DOCKER_HOST;
  if (service?.pid) service.kill('SIGTERM');
  sock?.cleanup();
});

describe('docker runtime (through podman\'s Docker API)', () => {
  it('runs a pod: command and args, env, shared volume, exit code and termination message', async (ctx) => {
    if (!c) return ctx.skip();
    await createPod(c, 'dk', {
      volumes: [{ name: 'ws', emptyDir: {} }],
      containers: [
        { name: 'a', image: IMAGE, command: ['/bin/sh', '-c'], args: ['echo "$MSG" > /ws/a; echo a-done'], env: [{ name: 'MSG', value: 'hi there' }], volumeMounts: [{ name: 'ws', mountPath: '/ws' }] },
        { name: 'b', image: IMAGE, command: ['sh', '-c', 'while [ ! -f /ws/a ]; do sleep 0.05; done; cat /ws/a; printf bye > /dev/termination-log; exit 6'], volumeMounts: [{ name: 'ws', mountPath: '/ws' }] },
      ],
    });
    const pod = await waitDone(c, 'dk', 60_000);
    const byName = new Map(pod.status?.containerStatuses?.map((s) => [s.name, s]));
    expect(byName.get('a')?.state?.terminated?.exitCode).toBe(0);
    expect(byName.get('b')?.state?.terminated).toMatchObject({ exitCode: 6, message: 'bye' });
    expect(byName.get('b')?.containerID).toMatch(/^docker:\/\//);
    expect(c.logs.read('default', 'dk', 'a')).toBe('a-done\n');
    expect(c.logs.read('default', 'dk', 'b')).toBe('hi there\n');
  }, 90_000);
});
