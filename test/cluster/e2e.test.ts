/**
 * The cluster topology on one machine, every part a separate process: `tkt up --no-controllers` (API server +
 * kubelet only), `kubectl apply -k config/`, then two controller replicas (runClusterController, as
 * `tkt controller`) talking to the API server through a recording proxy. A 3-task pipeline runs; the leader is
 * killed with SIGKILL mid-run; the other replica takes over and the run completes with exactly one TaskRun and
 * one Pod per pipeline task. Every request the controllers made must be allowed by config/'s RBAC.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { PipelineRun, Pod, TaskRun } from '../../src/api/types.js';
import { CONTROLLER_PERMISSIONS, permissionSet } from '../../src/cluster/permissions.js';
import { LEASE, type Lease } from '../../src/controller/leader/index.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';
import { httpGet, sample, waitFor } from './helpers.js';
import { startRecordingProxy } from './proxy.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
let dir: string;
let client: KubeClient;
let kubeconfig: string;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

interface Replica { id: string; proc: ChildProcess; logs: string[]; healthUrl?: string; metricsUrl?: string; exit?: Promise<number | null> }

function spawnChild(args: string[], env: Record<string, string> = {}): ChildProcess {
  const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  return proc;
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));
}

function kubectl(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'kc'), ...args], { cwd: root, timeout: 60_000 }, (err, so, se) => {
    resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${so}${se}` });
  }));
}

/** Starts `tkt up --no-controllers` and answers the kubeconfig path it prints. */
async function startCluster(): Promise<string> {
  const up = spawnChild([path.join(root, 'bin', 'tkt.js'), 'up', '--no-controllers', '--no-event-listeners', '--runtime', 'host', '--data-dir', path.join(dir, 'data')]);
  let out = '';
  up.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  up.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return waitFor('tkt up', () => /export KUBECONFIG=(\S+)/.exec(out)?.[1] ?? (up.exitCode !== null ? Promise.reject(new Error(out)) : undefined), 60_000, 100);
}

/** Writes a kubeconfig that reaches the API server through the recording proxy. */
function proxyKubeconfig(): string {
  const kc = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
  // client-node speaks plain HTTP only with skipTLSVerify set (the proxy is on loopback).
  kc.clusters[0].cluster = { server: proxy.url, 'insecure-skip-tls-verify': true };
  const file = path.join(dir, 'proxy-kubeconfig');
  fs.writeFileSync(file, YAML.stringify(kc), { mode: 0o600 });
  return file;
}

function startReplica(id: string, kc: string): Replica {
  const proc = spawnChild(['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'controller.ts')], { KUBECONFIG: kc, TKT_IDENTITY: id });
  const r: Replica = { id, proc, logs: [] };
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const line of lines) {
      r.logs.push(line);
      try {
        const o = JSON.parse(line) as { health?: string; metrics?: string };
        if (o.health) r.healthUrl = o.health;
        if (o.metrics) r.metricsUrl = o.metrics;
      } catch { /* not JSON */ }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => r.logs.push(d.toString()));
  r.exit = exitOf(proc);
  return r;
}

const task = (name: string, after?: string) => ({
  name, ...(after ? { runAfter: [after] } : {}),
  taskSpec: { steps: [{ name: 'work', image: 'busybox', script: `sleep 1; echo ${name}` }] },
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-e2e-'));
  kubeconfig = await startCluster();
  client = new KubeClient(loadKubeConfig({ kubeconfig }));
  const kc = loadKubeConfig({ kubeconfig });
  const ca = Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8');
  proxy = await startRecordingProxy(kc.getCurrentCluster()!.server, ca);
}, 90_000);

afterAll(async () => {
  for (const c of children.slice(1)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  const up = children[0];
  if (up && up.exitCode === null && up.signalCode === null) {
    up.kill('SIGTERM');
    await Promise.race([exitOf(up), new Promise((r) => setTimeout(r, 15_000))]);
    if (up.exitCode === null) up.kill('SIGKILL');
  }
  await proxy?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const holder = async () => (await client.tryGet<Lease>(LEASE, 'tektite-pipelines', 'tektite-pipelines-controller'))?.spec?.holderIdentity;

/** `kubectl apply -k config/`: a server-side dry run, then the install. */
async function installConfig(): Promise<void> {
  expect((await kubectl(['create', 'namespace', 'tektite-pipelines'])).code).toBe(0);
  const dry = await kubectl(['apply', '-k', 'config/', '--dry-run=server']);
  expect(dry.code, dry.out).toBe(0);
  const install = await kubectl(['apply', '-k', 'config/']);
  expect(install.code, install.out).toBe(0);
  // config/ registers tkt webhook's admission webhooks, which the API server now calls (and fails closed without):
  // this test is about the controllers; the webhook path is test/cluster/webhook-e2e.test.ts
  const unhook = await kubectl(['delete', 'mutatingwebhookconfiguration,validatingwebhookconfiguration', '-l', 'app.kubernetes.io/part-of=tektite']);
  expect(unhook.code, unhook.out).toBe(0);
}

/** Two replicas through the proxy; answers them once one leads. */
async function startReplicas(): Promise<{ leader: Replica; standby: Replica }> {
  const viaProxy = proxyKubeconfig();
  const replicas = [startReplica('replica-a', viaProxy), startReplica('replica-b', viaProxy)];
  await waitFor('both replicas listening', () => replicas.every((r) => r.healthUrl && r.metricsUrl), 60_000);
  const leaderId = await waitFor('a leader', async () => (await holder()) || undefined, 60_000);
  const leader = replicas.find((r) => r.id === leaderId)!;
  const standby = replicas.find((r) => r.id !== leaderId)!;
  await waitFor('leader health says leader', async () => JSON.parse((await httpGet(`${leader.healthUrl}/readyz`)).text).leader === true);
  expect(JSON.parse((await httpGet(`${standby.healthUrl}/readyz`)).text)).toMatchObject({ ok: true, leader: false });
  return { leader, standby };
}

/** Waits for the PipelineRun to finish; answers its Succeeded condition. */
async function finished(name: string): Promise<{ status: string; reason?: string }> {
  return waitFor('PipelineRun finished', async () => {
    const pr = await client.get<PipelineRun>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', name);
    const c = pr.status?.conditions?.find((x) => x.type === 'Succeeded');
    return c && c.status !== 'Unknown' ? c : undefined;
  }, 120_000, 200);
}

/** Exactly one TaskRun and one Pod per pipeline task. */
async function expectOneChildEach(pr: string, tasks: string[]): Promise<void> {
  const trs = (await client.list<TaskRun>({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }, 'default', { labelSelector: `tekton.dev/pipelineRun=${pr}` })).items;
  expect(trs.map((t) => t.metadata.labels?.['tekton.dev/pipelineTask']).sort()).toEqual(tasks);
  const pods = (await client.list<Pod>({ apiVersion: 'v1', kind: 'Pod' }, 'default', { labelSelector: `tekton.dev/pipelineRun=${pr}` })).items;
  expect(pods.map((p) => p.metadata.labels?.['tekton.dev/taskRun']).sort()).toEqual(tasks.map((t) => `${pr}-${t}`));
}

/** Every request the controllers made is allowed by config/'s RBAC. */
function expectRbacCoversRequests(): void {
  const allowed = permissionSet(CONTROLLER_PERMISSIONS);
  const used = new Set(proxy.recorded.map((r) => r.permission));
  expect([...used].filter((p) => !allowed.has(p)), 'requests not covered by RBAC').toEqual([]);
  expect(used).toContain('coordination.k8s.io/leases:update');
  expect(used).toContain('tekton.dev/taskruns:create');
  expect(used).toContain('/pods:create');
}

describe('cluster topology: tkt up --no-controllers + two controller processes', () => {
  it('installs config/, survives the loss of the leader mid-pipeline, and creates no duplicate TaskRuns', { timeout: 180_000 }, async () => {
    await installConfig();
    const { leader, standby } = await startReplicas();
    await client.create<PipelineRun>({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'handover', namespace: 'default' },
      spec: { pipelineSpec: { tasks: [task('a'), task('b', 'a'), task('c', 'b')] } },
    } as unknown as PipelineRun);
    // Kill the leader once task a's pod exists: mid-run, with work in flight.
    await waitFor('task a running', async () => (await client.tryGet<TaskRun>({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }, 'default', 'handover-a'))?.status?.podName, 60_000);
    leader.proc.kill('SIGKILL');
    expect(await leader.exit).toBeNull();

    const cond = await finished('handover');
    expect(cond.status, `${JSON.stringify(cond)}\n${standby.logs.slice(-20).join('\n')}`).toBe('True');
    expect(await holder()).toBe(standby.id);
    await expectOneChildEach('handover', ['a', 'b', 'c']);
    // The new leader counted the run it finished.
    const metrics = (await httpGet(`${standby.metricsUrl}/metrics`)).text;
    expect(sample(metrics, 'tekton_pipelines_controller_pipelinerun_total', { status: 'success' })).toBe(1);
    expectRbacCoversRequests();

    // Graceful shutdown: SIGTERM stops the survivor with exit 0 and releases the Lease.
    standby.proc.kill('SIGTERM');
    expect(await standby.exit).toBe(0);
    expect(await holder()).toBe('');
  });
});
