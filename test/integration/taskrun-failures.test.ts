/**
 * Issue 4 "Done when": the TaskRun failure cases, one table row each, run for real in embedded mode (API server
 * over HTTPS, TaskRun controller, kubelet running bubblewrap pods with the static step helper).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, TaskRun } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import type { KubeClient } from '../../src/kube/client.js';
import { applyYaml, listByLabels, logsOf, NS, podOf, POD, succeeded, TASKRUN, waitFor, waitForRun, startWorld } from './helpers.js';

let world: Embedded;
beforeAll(async () => { world = await startWorld(); }, 60_000);
afterAll(async () => { await world?.stop(); });

/** A TaskRun with an inline taskSpec (YAML of the spec body indented by 4). */
function taskRun(name: string, specYaml: string): string {
  return `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: ${name}\nspec:\n${specYaml}`;
}

interface Row {
  name: string;
  yaml: string;
  /** Something to do once the run exists (e.g. cancel it while it runs). */
  act?: (client: KubeClient) => Promise<void>;
  check: (tr: TaskRun, client: KubeClient) => Promise<void> | void;
}

const stepsOf = (tr: TaskRun) => (tr.status?.steps ?? []).map((s) => [s.name, s.terminated?.exitCode, s.terminationReason]);

/** Waits until the run's first step is running, so cancellation hits a live pod. */
async function whenStepRuns(client: KubeClient, name: string): Promise<void> {
  await waitForRun(client, 'TaskRun', NS, name, { until: (tr) => !!tr.status?.steps?.[0]?.running });
}

const rows: Row[] = [
  {
    name: 'failing step: exit code recorded, later steps skipped',
    yaml: taskRun('tr-fail-step', `  taskSpec:
    steps:
      - {name: first, image: busybox, script: "echo one"}
      - {name: boom, image: busybox, script: "echo failing; exit 3"}
      - {name: after, image: busybox, script: "echo must-not-run"}
`),
    async check(tr, client) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'Failed', message: '"step-boom" exited with code 3' });
      expect(stepsOf(tr)).toEqual([['first', 0, 'Completed'], ['boom', 3, 'Error'], ['after', 1, 'Skipped']]);
      expect(await logsOf(client, NS, 'tr-fail-step-pod', 'step-after')).not.toContain('must-not-run');
    },
  },
  {
    name: 'onError continue: run Succeeded, exit code recorded',
    yaml: taskRun('tr-on-error', `  taskSpec:
    steps:
      - {name: flaky, image: busybox, onError: continue, script: "exit 5"}
      - {name: next, image: busybox, script: "echo next-ran"}
`),
    async check(tr, client) {
      expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
      expect(stepsOf(tr)).toEqual([['flaky', 5, 'Continued'], ['next', 0, 'Completed']]);
      expect(await logsOf(client, NS, 'tr-on-error-pod', 'step-next')).toBe('next-ran\n');
    },
  },
  {
    name: 'step timeout: the step is killed, the run fails',
    yaml: taskRun('tr-step-timeout', `  taskSpec:
    steps:
      - {name: slow, image: busybox, timeout: 1s, script: "sleep 30"}
      - {name: after, image: busybox, script: "echo must-not-run"}
`),
    check(tr) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'Failed', message: '"step-slow" exited because the step exceeded the specified timeout limit' });
      expect(stepsOf(tr)).toEqual([['slow', 1, 'TimeoutExceeded'], ['after', 1, 'Skipped']]);
    },
  },
  {
    name: 'TaskRun timeout: TaskRunTimeout, pod deleted',
    yaml: taskRun('tr-timeout', `  timeout: 2s
  taskSpec:
    steps:
      - {name: slow, image: busybox, script: "sleep 30"}
`),
    async check(tr, client) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'TaskRunTimeout', message: 'TaskRun "tr-timeout" failed to finish within "2s"' });
      expect(tr.status?.steps?.[0]).toMatchObject({ name: 'slow', terminationReason: 'TaskRunTimeout' });
      await waitFor('the timed-out pod to be deleted', async () => !(await podOf(client, NS, 'tr-timeout-pod')));
    },
  },
  {
    name: 'cancel: TaskRunCancelled, pod deleted',
    yaml: taskRun('tr-cancel', `  taskSpec:
    steps:
      - {name: slow, image: busybox, script: "sleep 30"}
`),
    async act(client) {
      await whenStepRuns(client, 'tr-cancel');
      await client.patch(TASKRUN, NS, 'tr-cancel', { spec: { status: 'TaskRunCancelled' } });
    },
    async check(tr, client) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'TaskRunCancelled', message: 'TaskRun "tr-cancel" was cancelled' });
      expect(tr.status?.steps?.[0]).toMatchObject({ name: 'slow', terminationReason: 'TaskRunCancelled' });
      await waitFor('the cancelled pod to be deleted', async () => !(await podOf(client, NS, 'tr-cancel-pod')));
    },
  },
  {
    name: 'retries: every attempt archived, pods -pod, -pod-retry1, -pod-retry2',
    yaml: taskRun('tr-retries', `  retries: 2
  taskSpec:
    steps:
      - {name: fails, image: busybox, script: "echo attempt; exit 1"}
`),
    async check(tr, client) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'Failed', message: '"step-fails" exited with code 1' });
      expect(tr.status?.podName).toBe('tr-retries-pod-retry2');
      expect(tr.status?.retriesStatus?.map((r) => [r.podName, succeeded({ status: r })?.reason])).toEqual([['tr-retries-pod', 'Failed'], ['tr-retries-pod-retry1', 'Failed']]);
      const pods = await listByLabels<Pod>(client, POD, NS, { 'tekton.dev/taskRun': 'tr-retries' });
      expect(pods.map((p) => p.metadata.name).sort()).toEqual(['tr-retries-pod', 'tr-retries-pod-retry1', 'tr-retries-pod-retry2']);
    },
  },
  {
    name: 'result too large: TaskRunResultLargerThanAllowedLimit',
    yaml: taskRun('tr-big-result', `  taskSpec:
    results: [{name: big}]
    steps:
      - name: write
        image: busybox
        script: |
          head -c 5000 /dev/zero | tr '\\0' x > $(results.big.path)
`),
    check(tr) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'TaskRunResultLargerThanAllowedLimit' });
      expect(succeeded(tr)?.message).toContain('"step-write" exited with code 1');
      expect(succeeded(tr)?.message).toContain('4096');
      expect(tr.status?.results ?? []).toEqual([]);
    },
  },
  {
    name: 'missing Task: the run fails naming it',
    yaml: `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: tr-missing-task}\nspec:\n  taskRef: {name: no-such-task}\n`,
    check(tr) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'TaskRunResolutionFailed' });
      expect(succeeded(tr)?.message).toContain('"no-such-task" not found');
      expect(tr.status?.podName).toBeUndefined();
    },
  },
  {
    name: 'missing param: TaskRunValidationFailed naming the param',
    yaml: `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: needs-who}
spec:
  params: [{name: who}, {name: greeting, default: hello}]
  steps: [{name: greet, image: busybox, script: "echo $(params.greeting) $(params.who)"}]
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: tr-missing-param}
spec:
  taskRef: {name: needs-who}
`,
    check(tr) {
      expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'TaskRunValidationFailed' });
      expect(succeeded(tr)?.message).toMatch(/who/);
      expect(succeeded(tr)?.message).not.toMatch(/greeting/);
    },
  },
];

describe.concurrent('TaskRun failure cases (issue 4)', () => {
  it.each(rows)('$name', async (row) => {
    const created = await applyYaml(world.client, row.yaml);
    const name = created[created.length - 1]!.metadata.name!;
    await row.act?.(world.client);
    const tr = await waitForRun(world.client, 'TaskRun', NS, name, { timeoutMs: 40_000 });
    await row.check(tr, world.client);
  }, 60_000);
});
