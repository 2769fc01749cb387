/**
 * Container logs are bounded and go with their runs (issue 14): a step writing without end stores at most
 * --max-log-size and a "log truncated" line; deleting a TaskRun removes its pods' logs (they outlive the pods while
 * the TaskRun exists), and a standalone pod's logs go with the pod; `logRetentionMs` (`tkt up --log-retention`)
 * removes finished pods' logs by age; output that is not UTF-8 comes back from `kubectl logs` byte for byte.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-loglimit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sizeOf(d: string): number {
  if (!fs.existsSync(d)) return 0;
  return fs.readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? sizeOf(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0);
}

describe('log limits', () => {
  it('stores at most --max-log-size per container, then a truncation line', async () => {
    const file = path.join(dir, 'yes.yaml');
    fs.writeFileSync(file, 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: noisy}\nspec:\n  taskSpec:\n    steps:\n'
      + '      - {name: noisy, image: busybox, script: "yes tektite | head -c 2000000; echo; echo after"}\n');
    const data = path.join(dir, 'data');
    const r = await run(process.execPath, [path.join(root, 'bin', 'tkt.js'), 'run', '-f', file, '--runtime', 'host', '--data-dir', data, '--max-log-size', '64Ki'], { maxBuffer: 1 << 26 });
    expect(r.stdout).toContain('... log truncated: this container wrote more than 64 KiB, the log limit (tkt up/run --max-log-size) ...');
    expect(r.stdout).not.toContain('after');
    const logFile = path.join(data, 'logs', 'default', 'noisy-pod', 'step-noisy.log');
    expect(fs.statSync(logFile).size).toBeLessThanOrEqual(64 * 1024 + 200);
    expect(fs.statSync(logFile).size).toBeGreaterThan(60 * 1024);
  }, 120_000);
});

describe('log removal', () => {
  let emb: Embedded;
  beforeAll(async () => {
    emb = await startEmbedded({ dataDir: path.join(dir, 'removal'), runtime: 'host', eventListeners: false });
  }, 60_000);
  afterAll(async () => emb?.stop());

  async function until(test: () => Promise<boolean> | boolean, what: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (await test()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('removes a TaskRun\'s logs with the TaskRun, and a standalone pod\'s with the pod', async () => {
    const logsOf = (pod: string): string => path.join(emb.dataDir, 'logs', 'default', pod);
    const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
    await emb.client.create({ ...TR, metadata: { name: 'gone', namespace: 'default' }, spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'echo kept while the run exists' }] } } } as KubeObject);
    await until(async () => {
      const tr = await emb.client.get<KubeObject & { status?: { conditions?: Array<{ status: string }> } }>(TR, 'default', 'gone');
      return tr.status?.conditions?.[0]?.status === 'True';
    }, 'the TaskRun to succeed');
    await until(() => sizeOf(logsOf('gone-pod')) > 0, 'the log');
    await emb.client.delete({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'gone-pod');
    await new Promise((r) => setTimeout(r, 200));
    expect(sizeOf(logsOf('gone-pod'))).toBeGreaterThan(0); // the TaskRun still exists: its logs stay
    await emb.client.delete(TR, 'default', 'gone');
    await until(() => !fs.existsSync(logsOf('gone-pod')), 'the logs to be removed with the TaskRun');

    await emb.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lone', namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo lone pod'] }] } } as KubeObject);
    await until(() => sizeOf(logsOf('lone')) > 0, 'the lone pod\'s log');
    await emb.client.delete({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'lone');
    await until(() => !fs.existsSync(logsOf('lone')), 'the logs to be removed with the pod');

    // deleted while its container still runs: what the container writes as it is stopped does not bring them back
    await emb.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'busy', namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'trap "echo stopping; exit 1" TERM; echo busy; while true; do sleep 0.05; done'] }] } } as KubeObject);
    await until(() => sizeOf(logsOf('busy')) > 0, 'the busy pod\'s log');
    await emb.client.delete({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'busy');
    await until(async () => (await emb.client.list({ apiVersion: 'v1', kind: 'Pod' }, 'default')).items.every((p) => p.metadata.name !== 'busy'), 'the busy pod to go');
    await new Promise((r) => setTimeout(r, 500));
    expect(fs.existsSync(logsOf('busy'))).toBe(false);
  }, 60_000);

  it('keeps output that is not UTF-8 byte for byte (kubectl logs)', async () => {
    await emb.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bytes', namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', "printf '\\377\\376\\200 caf\\303\\251 \\351\\n'"] }] } } as KubeObject);
    await until(async () => (await emb.client.get<KubeObject & { status?: { phase?: string } }>({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'bytes')).status?.phase === 'Succeeded', 'the pod to finish');
    const r = await run('kubectl', ['--kubeconfig', emb.kubeconfigPath, 'logs', 'bytes'], { encoding: 'buffer' });
    expect([...r.stdout]).toEqual([0xff, 0xfe, 0x80, 0x20, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xe9, 0x0a]);
  }, 60_000);
});

describe('log retention by age', () => {
  let emb: Embedded;
  beforeAll(async () => {
    emb = await startEmbedded({ dataDir: path.join(dir, 'retention'), runtime: 'host', eventListeners: false, logRetentionMs: 1000 });
  }, 60_000);
  afterAll(async () => emb?.stop());

  it('removes a finished pod\'s logs once they are older than the retention, and keeps a running one\'s', async () => {
    const logsOf = (pod: string): string => path.join(emb.dataDir, 'logs', 'default', pod);
    const pod = (name: string, script: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] } }) as KubeObject;
    await emb.client.create(pod('old', 'echo short-lived'));
    await emb.client.create(pod('long', 'echo started; sleep 30'));
    for (let i = 0; i < 200 && !(fs.existsSync(logsOf('old')) && fs.existsSync(logsOf('long'))); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(logsOf('old'))).toBe(true);
    for (let i = 0; i < 100 && fs.existsSync(logsOf('old')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(logsOf('old'))).toBe(false);
    expect(fs.existsSync(logsOf('long'))).toBe(true);
  }, 60_000);
});
