/**
 * A TaskRun runs with the Task as it was when the run started (Tekton keeps that spec in status.taskSpec and never
 * fetches the Task again): a Task changed or deleted while its run's pod runs changes nothing about the run — not its
 * results, not its outcome. Embedded mode for real (host runtime).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/api/load.js';
import type { KubeObject, TaskRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { applyYaml, NS, startWorld, succeeded, waitForRun } from './helpers.js';

const TASK = { apiVersion: 'tekton.dev/v1', kind: 'Task' };

let world: Embedded;
beforeAll(async () => { world = await startWorld(); }, 60_000);
afterAll(async () => { await world?.stop(); });

/** A Task whose step sleeps (time to change the Task under it), then writes `word` as its result. */
function task(name: string, word: string, resultName = 'out'): string {
  return `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ${name}}
spec:
  results: [{name: ${resultName}}]
  steps:
    - name: work
      image: busybox
      script: |
        sleep 1.5
        printf ${word} > $(results.${resultName}.path)
`;
}

const run = (name: string, taskName: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  taskRef: {name: ${taskName}}
`;

const running = (tr: TaskRun): boolean => !!tr.status?.steps?.[0]?.running;

describe('the Task of a running TaskRun', () => {
  it('deleted while the pod runs: the run still succeeds with its result', async () => {
    const client = world.client;
    await applyYaml(client, task('pin-deleted', 'kept'));
    await applyYaml(client, run('pin-deleted-run', 'pin-deleted'));
    await waitForRun(client, 'TaskRun', NS, 'pin-deleted-run', { until: running });
    await client.delete(TASK, NS, 'pin-deleted');
    const tr = await waitForRun(client, 'TaskRun', NS, 'pin-deleted-run');
    expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(tr.status?.results).toEqual([{ name: 'out', type: 'string', value: 'kept' }]);
  }, 60_000);

  it('changed while the pod runs: the run keeps the spec it started with', async () => {
    const client = world.client;
    await applyYaml(client, task('pin-changed', 'first'));
    await applyYaml(client, run('pin-changed-run', 'pin-changed'));
    await waitForRun(client, 'TaskRun', NS, 'pin-changed-run', { until: running });
    const current = await client.get<KubeObject>(TASK, NS, 'pin-changed');
    const changed = parseManifests(task('pin-changed', 'second', 'renamed'), 'task.yaml').objects[0] as KubeObject;
    await client.update({ ...changed, metadata: { ...changed.metadata, namespace: NS, resourceVersion: current.metadata.resourceVersion } });
    const tr = await waitForRun(client, 'TaskRun', NS, 'pin-changed-run');
    expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(tr.status?.results).toEqual([{ name: 'out', type: 'string', value: 'first' }]);
    expect(tr.status?.taskSpec?.results?.map((r) => r.name)).toEqual(['out']);
  }, 60_000);
});

describe('the Task of a pipeline task whose TaskRun exists', () => {
  it('deleted while the pipeline runs: the PipelineRun still succeeds', async () => {
    const client = world.client;
    await applyYaml(client, task('pin-first', 'a'));
    await applyYaml(client, task('pin-second', 'b'));
    await applyYaml(client, `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pin-pipeline}
spec:
  pipelineSpec:
    tasks:
      - {name: first, taskRef: {name: pin-first}}
      - {name: second, runAfter: [first], taskRef: {name: pin-second}}
`);
    // once the second task's pod runs, the first's Task is deleted (and the second's too: its TaskRun holds its spec)
    await waitForRun(client, 'TaskRun', NS, 'pin-pipeline-second', { until: running });
    await client.delete(TASK, NS, 'pin-first');
    await client.delete(TASK, NS, 'pin-second');
    const pr = await waitForRun(client, 'PipelineRun', NS, 'pin-pipeline');
    expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
  }, 60_000);
});

describe('after a restart of embedded mode', () => {
  it('a started TaskRun whose Task was deleted meanwhile runs on with the spec in its status', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tkt-pinned-'));
    const start = (controllers: boolean) => startEmbedded({ dataDir, runtime: 'host', eventListeners: false, controllers });
    try {
      let emb = await start(true);
      try {
        await applyYaml(emb.client, task('pin-restart', 'after-restart'));
        await applyYaml(emb.client, run('pin-restart-run', 'pin-restart'));
        await waitForRun(emb.client, 'TaskRun', NS, 'pin-restart-run', { until: (tr) => running(tr) && !!tr.status?.taskSpec });
      } finally {
        await emb.stop(); // the pod dies with the process
      }
      emb = await start(false); // no controllers: the Task goes while nothing runs
      try {
        await emb.client.delete(TASK, NS, 'pin-restart');
      } finally {
        await emb.stop();
      }
      emb = await start(true);
      try {
        // the new kubelet fails the lost pod (NodeRestarted) and the run starts a new attempt from status.taskSpec
        const tr = await waitForRun(emb.client, 'TaskRun', NS, 'pin-restart-run', { timeoutMs: 60_000 });
        expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
        expect(tr.status?.retriesStatus?.map((r) => succeeded({ status: r })?.reason)).toEqual(['NodeRestarted']);
        expect(tr.status?.results).toEqual([{ name: 'out', type: 'string', value: 'after-restart' }]);
      } finally {
        await emb.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
