/**
 * Issue 5 restart test: `tkt up` (a child process: API server on SQLite, controllers, kubelet) is killed with
 * SIGKILL while a 5-task sequential pipeline runs, then started again on the same data dir. The run must
 * complete and succeed, with exactly one TaskRun per pipeline task. The pod that was running when the process
 * died is marked Failed (NodeRestarted) by the new kubelet; its TaskRun starts a new attempt for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod, TaskRun } from '../../src/api/types.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';
import { repoRoot } from '../helpers/conformance.js';
import { stablePort } from '../helpers/ports.js';
import { applyYaml, childTaskRuns, ensureHelper, listByLabels, NS, POD, succeeded, waitFor, waitForRun } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tkt-restart-'));
const procs: ChildProcess[] = [];

afterAll(async () => {
  for (const p of procs) await stop(p, 'SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `tkt up` on the data dir; resolves with its kubeconfig path once it prints the export line. */
async function up(port: number): Promise<{ proc: ChildProcess; kubeconfig: string }> {
  const args = [path.join(repoRoot, 'bin', 'tkt.js'), 'up', '--data-dir', path.join(dir, 'data'), '--port', String(port), '--runtime', 'host', '--no-event-listeners'];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
  const kubeconfig = await waitFor('tkt up to print its kubeconfig', () => {
    if (proc.exitCode !== null) throw new Error(`tkt up exited ${proc.exitCode}: ${out}`);
    return /export KUBECONFIG=(\S+)/.exec(out)?.[1];
  }, 60_000);
  return { proc, kubeconfig };
}

/** Sends `signal` and waits for the process to exit. */
function stop(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

const TASKS = ['one', 'two', 'three', 'four', 'five'];

function pipeline(): string {
  const tasks = TASKS.map((t, i) => `      - name: ${t}
${i > 0 ? `        runAfter: [${TASKS[i - 1]}]\n` : ''}        taskSpec: {steps: [{name: s, image: busybox, script: "echo ${t} start; sleep 1; echo ${t} done"}]}`).join('\n');
  return `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: restart-run}\nspec:\n  pipelineSpec:\n    tasks:\n${tasks}\n`;
}

describe('restart of the embedded process (issue 5)', () => {
  it('a SIGKILLed tkt up picks the run up again: it succeeds with one TaskRun per pipeline task', async () => {
    ensureHelper();
    // both runs of `tkt up` take this port (the kubeconfig stays valid); outside the kernel's automatic range
    const port = await stablePort();
    const first = await up(port);
    const client = new KubeClient(loadKubeConfig({ kubeconfig: first.kubeconfig }));
    await applyYaml(client, pipeline());
    // kill while the second task's step is running: its pod dies with the process
    await waitFor('task two to run', async () => (await childTaskRuns(client, NS, 'restart-run')).get('two')?.[0]?.status?.steps?.[0]?.running, 60_000);
    await stop(first.proc, 'SIGKILL');

    // the restarted server keeps its token, port and certificate: the first client works on
    await up(port);
    const client2 = client;
    const pr = await waitForRun(client2, 'PipelineRun', NS, 'restart-run', { timeoutMs: 60_000 });
    expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const children = await childTaskRuns(client2, NS, 'restart-run');
    expect(TASKS.map((t) => [t, children.get(t)?.length])).toEqual(TASKS.map((t) => [t, 1]));
    const two = children.get('two')![0]!;
    // the attempt lost with the process is on record; the task ran again to success
    expect(two.status?.retriesStatus?.map((r) => [r.podName, succeeded({ status: r })?.reason])).toEqual([['restart-run-two-pod', 'NodeRestarted']]);
    expect(succeeded(two)?.status).toBe('True');
    const pods = await listByLabels<Pod>(client2, POD, NS, { 'tekton.dev/pipelineRun': 'restart-run' });
    expect(pods.map((p) => p.metadata.name).sort()).toEqual([
      'restart-run-five-pod', 'restart-run-four-pod', 'restart-run-one-pod', 'restart-run-three-pod', 'restart-run-two-pod', 'restart-run-two-pod-retry1',
    ]);
    for (const t of TASKS.filter((x) => x !== 'two')) expect((children.get(t)![0] as TaskRun).status?.retriesStatus).toBeUndefined();
  }, 180_000);
});
