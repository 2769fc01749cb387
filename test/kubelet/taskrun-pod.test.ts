/** A pod built by buildPod for a 2-step TaskRun, run by the kubelet with the real step helper (host runtime). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, TaskRun, TaskSpec } from '../../src/api/types.js';
import { bwrapWorks } from '../../src/embedded/kubelet/runtimes/host.js';
import { taskRunStatusFromPod } from '../../src/engine/taskrun/index.js';
import { buildPod, builtinImageEntrypoints } from '../../src/pod/index.js';
import { startCluster, waitDone, type Cluster } from './helpers.js';

const HELPER = path.resolve('dist/entrypoint/entrypoint');
let c: Cluster | undefined;

beforeAll(async () => {
  if (!(await bwrapWorks())) {
    console.warn('SKIP taskrun pod test: bubblewrap (bwrap) is missing or cannot create a sandbox');
    return;
  }
  spawnSync('node', ['scripts/build-entrypoint.mjs'], { stdio: 'ignore' });
  if (!existsSync(HELPER)) {
    console.warn('SKIP taskrun pod test: the step helper could not be built (node scripts/build-entrypoint.mjs)');
    return;
  }
  c = await startCluster('host');
}, 60_000);
afterAll(async () => { await c?.stop(); });

const taskRun: TaskRun = {
  apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'two-steps', namespace: 'default' },
  spec: { workspaces: [{ name: 'src', emptyDir: {} }] },
};

const spec: TaskSpec = {
  workspaces: [{ name: 'src' }],
  results: [{ name: 'digest' }],
  steps: [
    { name: 'first', image: 'alpine', script: '#!/bin/sh\nsleep 0.2\necho first-ran\necho one > /workspace/src/order' },
    { name: 'second', image: 'busybox', script: '#!/bin/sh\necho two >> /workspace/src/order\ncat /workspace/src/order\nprintf sha256:abc > /tekton/results/digest' },
  ],
};

describe('kubelet runs a buildPod pod', () => {
  it('runs the steps in order and reports their results', async (ctx) => {
    if (!c) return ctx.skip();
    // the pod is owned by the TaskRun: it must exist, or the garbage collector removes the pod
    const tr = await c.client.create<TaskRun>({ ...taskRun, spec: { ...taskRun.spec, taskSpec: spec } });
    const built = buildPod({
      taskRun: tr, spec, podName: 'two-steps-pod',
      config: { entrypointImage: 'tektite', awaitSidecarReadiness: true, managedBy: 'tektite', imageEntrypoint: (img) => builtinImageEntrypoints(img) },
    });
    if (!built.ok) throw new Error(built.message);
    await c.client.create<Pod>(built.pod);
    const pod = await waitDone(c, 'two-steps-pod', 10_000);
    expect(pod.status?.phase).toBe('Succeeded');
    expect(c.logs.read('default', 'two-steps-pod', 'step-first')).toBe('first-ran\n');
    expect(c.logs.read('default', 'two-steps-pod', 'step-second')).toBe('one\ntwo\n');
    const status = taskRunStatusFromPod({ taskRun: tr, spec, pod, now: new Date() });
    expect(status.results).toEqual([{ name: 'digest', type: 'string', value: 'sha256:abc' }]);
    expect(status.steps?.map((s) => [s.name, s.terminated?.exitCode])).toEqual([['first', 0], ['second', 0]]);
  });
});
