/**
 * Issue 13 (steps part), run for real in embedded mode (API server over HTTPS, controllers, kubelet running
 * bubblewrap pods with the static step helper): step `when`, array/object step results, isolated workspaces,
 * and larger results through the results sidecar (results-from: sidecar-logs, max-result-size). Tekton's own
 * docs and examples run unchanged from test/fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { defaultFeatureFlags } from '../../src/controller/config.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';
import { applyYaml, ensureHelper, logsOf, NS, PIPELINERUN, podOf, startWorld, succeeded, waitForRun } from './helpers.js';

const fixture = (...p: string[]): string => readFileSync(join(repoRoot, 'test', 'fixtures', ...p), 'utf8');
const stepsOf = (tr: TaskRun) => (tr.status?.steps ?? []).map((s) => [s.name, s.terminated?.exitCode, s.terminationReason]);

async function runTaskRun(world: Embedded, yaml: string): Promise<TaskRun> {
  const created = await applyYaml(world.client, yaml);
  const tr = created.find((o) => o.kind === 'TaskRun') as TaskRun;
  return waitForRun(world.client, 'TaskRun', NS, tr.metadata.name ?? '', { timeoutMs: 60_000 });
}

describe('termination-message results (default flags)', () => {
  let world: Embedded;
  beforeAll(async () => { world = await startWorld(); }, 60_000);
  afterAll(async () => { await world?.stop(); });

  it("step when: Tekton's docs example (tasks.md) skips the false steps and runs the others", async () => {
    const tr = await runTaskRun(world, fixture('tekton-docs', 'step-when-example.yaml'));
    expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(stepsOf(tr)).toEqual([
      ['should-execute', 0, 'Completed'], ['should-skip', 0, 'Skipped'], ['should-continue', 0, 'Completed'],
      ['produce-step', 0, 'Completed'], ['run-based-on-step-results', 0, 'Skipped'],
    ]);
    const skipped = tr.status?.steps?.find((s) => s.name === 'run-based-on-step-results');
    expect(skipped?.terminated?.reason).toBe('Completed');
    const pod = tr.status?.podName ?? '';
    expect(await logsOf(world.client, NS, pod, 'step-should-skip')).not.toContain('skipskipskip');
    expect(await logsOf(world.client, NS, pod, 'step-should-continue')).toContain('blabalbaba');
  });

  it("step when: Tekton's stepaction-when example (StepAction step with when) passes", async () => {
    const tr = await runTaskRun(world, fixture('tekton-docs', 'stepaction-when.yaml').replace('name: my-pvc-2', 'name: my-pvc-3').replace('claimName: my-pvc-2', 'claimName: my-pvc-3'));
    expect(succeeded(tr)?.status).toBe('True');
    expect(stepsOf(tr).map((s) => s[2])).toEqual(['Completed', 'Skipped', 'Completed', 'Completed', 'Skipped']);
  });

  it('array and object step results reach later steps as separate args, [i], .key, env and when values', async () => {
    const tr = await runTaskRun(world, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: step-results-forms}
spec:
  taskSpec:
    steps:
      - name: produce
        image: alpine
        results:
          - {name: arr, type: array}
          - {name: obj, type: object, properties: {url: {type: string}}}
        script: |
          echo -n '["a b", "c"]' > $(step.results.arr.path)
          echo -n '{"url":"https://example.com/x"}' > $(step.results.obj.path)
      - name: consume
        image: alpine
        command: [sh, -c, 'echo "n=$# 1=$1 2=$2 3=$3 4=$4 E=$E"', sh]
        args: ["$(steps.produce.results.arr[*])", "$(steps.produce.results.arr[1])", "$(steps.produce.results.obj.url)"]
        env:
          - {name: E, value: "$(steps.produce.results.arr[0])"}
        when:
          - {input: c, operator: in, values: ["$(steps.produce.results.arr[*])"]}
`);
    expect(succeeded(tr)?.status).toBe('True');
    expect(stepsOf(tr)[1]).toEqual(['consume', 0, 'Completed']);
    expect(tr.status?.steps?.[0]?.results).toEqual([
      { name: 'arr', type: 'array', value: ['a b', 'c'] }, { name: 'obj', type: 'object', value: { url: 'https://example.com/x' } },
    ]);
    expect(await logsOf(world.client, NS, tr.status?.podName ?? '', 'step-consume')).toContain('n=4 1=a b 2=c 3=c 4=https://example.com/x E=a b');
  });

  it('a reference to a missing array item fails the step with a message instead of passing it literally', async () => {
    const tr = await runTaskRun(world, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: step-results-bad-index}
spec:
  taskSpec:
    steps:
      - {name: produce, image: alpine, results: [{name: arr, type: array}], script: "echo -n '[\\"a\\"]' > $(step.results.arr.path)"}
      - {name: consume, image: alpine, command: [echo], args: ["$(steps.produce.results.arr[3])"]}
`);
    expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'Failed' });
    expect(await logsOf(world.client, NS, tr.status?.podName ?? '', 'step-consume')).toContain('index 3 is out of range (the array has 1 items)');
  });

  it("isolated workspaces: Tekton's beta examples isolated-workspaces and workspace-isolation pass unchanged", async () => {
    const created = await applyYaml(world.client, fixture('tekton-examples-beta', 'pipelineruns', 'isolated-workspaces.yaml'));
    const pr = created.find((o) => o.kind === 'PipelineRun') as PipelineRun;
    const done = await waitForRun(world.client, 'PipelineRun', NS, pr.metadata.name ?? '', { timeoutMs: 60_000 });
    expect(succeeded(done)?.status).toBe('True');
    const tr = await runTaskRun(world, fixture('tekton-examples-beta', 'taskruns', 'workspace-isolation.yaml'));
    expect(succeeded(tr)?.status).toBe('True');
    const pod = await podOf(world.client, NS, tr.status?.podName ?? '');
    const mounts = (name: string) => (pod?.spec.containers.find((c) => c.name === name)?.volumeMounts ?? []).map((m) => m.mountPath);
    expect(mounts('step-await-sidecar-signal')).toContain('/workspace/signals');
    expect(mounts('sidecar-await-step-signal')).toContain('/workspace/signals');
    expect(mounts('step-check-signals-access')).not.toContain('/workspace/signals');
  });

  it('admission refuses putting a started PipelineRun back to PipelineRunPending (update)', async () => {
    await applyYaml(world.client, `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pending-after-start}
spec:
  pipelineSpec:
    tasks: [{name: a, taskSpec: {steps: [{image: busybox, script: "sleep 2"}]}}]
`);
    await waitForRun(world.client, 'PipelineRun', NS, 'pending-after-start', { until: (pr) => !!pr.status?.startTime });
    const err = await world.client.patch(PIPELINERUN, NS, 'pending-after-start', { spec: { status: 'PipelineRunPending' } }).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toContain('PipelineRun cannot be Pending after it is started');
    const done = await waitForRun(world.client, 'PipelineRun', NS, 'pending-after-start');
    expect(succeeded(done)?.status).toBe('True');
  });

  it('without sidecar-logs, results over 4 KiB still fail with TaskRunResultLargerThanAllowedLimit', async () => {
    const tr = await runTaskRun(world, fixture('tekton-examples-beta', 'taskruns', 'large-task-result.yaml'));
    expect(succeeded(tr)).toMatchObject({ status: 'False', reason: 'TaskRunResultLargerThanAllowedLimit' });
  });
});

describe('results-from: sidecar-logs', () => {
  let world: Embedded;
  beforeAll(async () => {
    ensureHelper();
    world = await startEmbedded({
      runtime: 'host', memory: true, eventListeners: false, controllers: true,
      controllerConfig: { features: defaultFeatureFlags({ resultsFrom: 'sidecar-logs', maxResultSize: 4096 }) },
    });
  }, 60_000);
  afterAll(async () => { await world?.stop(); });

  it("Tekton's large-task-result example passes: five results of ~3.4 KB each", async () => {
    const tr = await runTaskRun(world, fixture('tekton-examples-beta', 'taskruns', 'large-task-result.yaml'));
    expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const results = tr.status?.results ?? [];
    expect(results.map((r) => r.name).sort()).toEqual(['result1', 'result2', 'result3', 'result4', 'result5']);
    for (const r of results) expect(String(r.value).length).toBeGreaterThan(3000);
    expect(tr.status?.sidecars?.map((s) => s.name)).toEqual(['tekton-log-results']);
    const pod = await podOf(world.client, NS, tr.status?.podName ?? '');
    const step = pod?.spec.containers.find((c) => c.name === 'step-step1');
    expect(step?.args).toContain('-result_from');
  });

  it("Tekton's pipelinerun-large-results example passes: large string, array and object results feed the next task", async () => {
    const created = await applyYaml(world.client, fixture('tekton-docs', 'pipelinerun-large-results.yaml'));
    const pr = created.find((o) => o.kind === 'PipelineRun') as PipelineRun;
    const done = await waitForRun(world.client, 'PipelineRun', NS, pr.metadata.name ?? '', { timeoutMs: 60_000 });
    expect(succeeded(done)).toMatchObject({ status: 'True', reason: 'Succeeded' });
  });

  it('a result over max-result-size fails the run with Tekton reason and message', async () => {
    const tr = await runTaskRun(world, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: too-large-result}
spec:
  taskSpec:
    results: [{name: big}]
    steps:
      - {name: s, image: bash, script: "head -c 5000 /dev/zero | tr '\\\\0' x > $(results.big.path)"}
`);
    expect(succeeded(tr)).toMatchObject({
      status: 'False', reason: 'TaskRunResultLargerThanAllowedLimit',
      message: '[User error]  TaskRun ""too-large-result"" failed: 5039 bytes results size exceeds configured limit of 4096 bytes',
    });
  });

  it('step results and task results from step results come through the sidecar too', async () => {
    const tr = await runTaskRun(world, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sidecar-step-results}
spec:
  taskSpec:
    results: [{name: digest, value: "$(steps.make.results.d)"}, {name: plain}]
    steps:
      - name: make
        image: alpine
        results: [{name: d}, {name: list, type: array}]
        script: |
          echo -n sha256:abc > $(step.results.d.path)
          echo -n '["x","y"]' > $(step.results.list.path)
          echo -n hello > $(results.plain.path)
      - {name: use, image: alpine, command: [echo], args: ["$(steps.make.results.list[1])"]}
`);
    expect(succeeded(tr)?.status).toBe('True');
    expect(tr.status?.steps?.[0]?.results).toEqual([{ name: 'd', type: 'string', value: 'sha256:abc' }, { name: 'list', type: 'array', value: ['x', 'y'] }]);
    expect(tr.status?.results).toEqual([{ name: 'plain', type: 'string', value: 'hello' }, { name: 'digest', type: 'string', value: 'sha256:abc' }]);
  });
});
