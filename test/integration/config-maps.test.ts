/**
 * Tekton's ConfigMaps changed with real kubectl against a running embedded server change behaviour without a
 * restart: enable-api-fields gates alpha/beta fields at admission, results-from switches large results between the
 * results sidecar and the termination message, keep-pod-on-cancel keeps a cancelled TaskRun's pod and stops its
 * steps, config-defaults changes the defaults admission applies, and values that are not honoured get a Warning
 * Event on the ConfigMap while the previous value stays.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Pod, TaskRun } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';
import { applyYaml, NS, podOf, startWorld, succeeded, TASKRUN, waitFor, waitForRun } from './helpers.js';

const SYSTEM = 'tekton-pipelines';
let world: Embedded;
let cacheDir: string;

beforeAll(async () => {
  world = await startWorld();
  cacheDir = mkdtempSync(join(tmpdir(), 'tkt-kubectl-cache-'));
}, 60_000);
afterAll(async () => {
  await world?.stop();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

function kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', world.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

let generation = 0;

/**
 * Patches Tekton's ConfigMaps with kubectl (feature-flags first), then waits until the server applies them: the
 * last patch sets a unique default-timeout-minutes in config-defaults, and one watch delivers the ConfigMaps in
 * order, so once a server-side dry run shows that timeout, the feature flags before it are in force too.
 */
async function configure(flags: Record<string, string>): Promise<void> {
  for (const [name, data] of [['feature-flags', flags], ['config-defaults', { 'default-timeout-minutes': String(100 + ++generation) }]] as const) {
    const exists = (await kubectl(['get', 'configmap', name, '-n', SYSTEM])).code === 0;
    const r = exists
      ? await kubectl(['patch', 'configmap', name, '-n', SYSTEM, '--type', 'merge', '-p', JSON.stringify({ data })])
      : await kubectl(['create', 'configmap', name, '-n', SYSTEM, ...Object.entries(data).map(([k, v]) => `--from-literal=${k}=${v}`)]);
    expect(r.stderr).toBe('');
  }
  const minutes = 100 + generation;
  const want = `${Math.floor(minutes / 60)}h${minutes % 60}m0s`;
  await waitFor(`config-defaults default-timeout-minutes ${minutes} in force`, async () => {
    const r = await kubectl(['create', '--dry-run=server', '-o', 'jsonpath={.spec.timeout}', '-f', '-'], taskRunYaml('probe', 'steps: [{name: a, image: busybox, script: "true"}]'));
    return r.stdout === want;
  });
}

function taskRunYaml(name: string, taskSpecBody: string, extra = ''): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}, namespace: ${NS}}
spec:
${extra}  taskSpec:
    ${taskSpecBody}
`;
}

/** Pipelines in Pipelines (alpha): a pipeline task with pipelineSpec. */
const NESTED = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: nested, namespace: ${NS}}
spec:
  tasks:
    - name: child
      pipelineSpec:
        tasks: [{name: t, taskSpec: {steps: [{name: a, image: busybox, script: "true"}]}}]
`;
const STEP_WHEN_RUN = taskRunYaml('when-run', 'steps: [{name: a, image: busybox, script: "true", when: [{input: "a", operator: in, values: ["a"]}]}]');
const dryRun = (yaml: string) => kubectl(['create', '--dry-run=server', '-f', '-'], yaml);

beforeAll(async () => {
  await kubectl(['create', 'namespace', SYSTEM]);
}, 60_000);

describe('feature-flags changed with kubectl apply without a restart', () => {
  it('enable-api-fields: alpha fields refused under stable and beta, accepted under alpha; beta fields refused under stable', async () => {
    await configure({ 'enable-api-fields': 'stable' });
    const stableNested = await dryRun(NESTED);
    expect(stableNested.code).not.toBe(0);
    expect(stableNested.stderr).toContain('spec.tasks[0].pipelineSpec: pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "stable"');
    const stableWhen = await dryRun(STEP_WHEN_RUN);
    expect(stableWhen.stderr).toContain('step when expressions requires "enable-api-fields" feature gate to be "beta" but it is "stable"');

    await configure({ 'enable-api-fields': 'beta' });
    expect((await dryRun(NESTED)).stderr).toContain('pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "beta"');
    expect(await dryRun(STEP_WHEN_RUN)).toMatchObject({ code: 0 });

    await configure({ 'enable-api-fields': 'alpha' });
    expect(await dryRun(NESTED)).toMatchObject({ code: 0 });
    await configure({ 'enable-api-fields': 'beta' });
  }, 120_000);

  it('results-from: sidecar-logs lets large results through; back to termination-message they fail', async () => {
    const large = readFileSync(join(repoRoot, 'test', 'fixtures', 'tekton-examples-beta', 'taskruns', 'large-task-result.yaml'), 'utf8');
    const run = async (): Promise<TaskRun> => {
      const [tr] = await applyYaml<TaskRun>(world.client, large);
      return waitForRun(world.client, 'TaskRun', NS, tr!.metadata.name ?? '', { timeoutMs: 90_000 });
    };
    await configure({ 'results-from': 'sidecar-logs' });
    const big = await run();
    expect(succeeded(big)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(big.status?.results?.length).toBe(5);

    await configure({ 'results-from': 'termination-message' });
    const small = await run();
    expect(succeeded(small)).toMatchObject({ status: 'False', reason: 'TaskRunResultLargerThanAllowedLimit' });
  }, 240_000);

  it('keep-pod-on-cancel: a cancelled TaskRun keeps its pod and its steps are stopped; turned off, the pod is deleted', async () => {
    const sleeper = (name: string) => taskRunYaml(name, `steps:
      - {name: slow, image: busybox, script: "echo started; sleep 300"}
      - {name: after, image: busybox, script: "echo must-not-run"}`);
    const cancel = async (name: string): Promise<TaskRun> => {
      await applyYaml(world.client, sleeper(name));
      await waitFor(`${name}: step slow running`, async () => {
        const tr = await world.client.tryGet<TaskRun>(TASKRUN, NS, name);
        return tr?.status?.steps?.find((s) => s.name === 'slow')?.running !== undefined;
      }, 60_000);
      const r = await kubectl(['patch', 'taskrun', name, '-n', NS, '--type', 'merge', '-p', '{"spec":{"status":"TaskRunCancelled"}}']);
      expect(r.code).toBe(0);
      return waitForRun(world.client, 'TaskRun', NS, name);
    };

    await configure({ 'keep-pod-on-cancel': 'true' });
    const kept = await cancel('kept-on-cancel');
    expect(succeeded(kept)).toMatchObject({ status: 'False', reason: 'TaskRunCancelled' });
    const podName = kept.status?.podName ?? '';
    // the pod stays, annotated for its steps, and its steps stop long before `sleep 300` would end
    const stopped = await waitFor('the kept pod\'s steps stopped', async () => {
      const pod = await podOf(world.client, NS, podName);
      return pod && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') ? pod : undefined;
    }, 60_000);
    expect(stopped.metadata.deletionTimestamp).toBeUndefined();
    expect(stopped.metadata.annotations?.['tekton.dev/cancel']).toBe('CANCEL');
    const states = (stopped.status?.containerStatuses ?? []).map((c) => [c.name, c.state?.terminated?.exitCode]);
    expect(states).toEqual(expect.arrayContaining([['step-slow', 1], ['step-after', 1]]));
    const log = await world.client.podLog(NS, podName, { container: 'step-after' });
    expect(log).not.toContain('must-not-run');
    expect(await podOf(world.client, NS, podName)).toBeDefined();

    await configure({ 'keep-pod-on-cancel': 'false' });
    const deleted = await cancel('deleted-on-cancel');
    expect(succeeded(deleted)).toMatchObject({ status: 'False', reason: 'TaskRunCancelled' });
    await waitFor('the cancelled pod deleted', async () => !(await podOf(world.client, NS, deleted.status?.podName ?? '')), 60_000);
  }, 240_000);

  it('a value that is not honoured gets a Warning Event on the ConfigMap and a log line; the previous value stays', async () => {
    await configure({ 'enable-api-fields': 'alpha' });
    await configure({ 'enable-api-fields': 'gamma', 'coschedule': 'pipelineruns' });
    // still alpha: the bad value was not applied
    expect(await dryRun(NESTED)).toMatchObject({ code: 0 });
    const events = await waitFor('Warning events on feature-flags', async () => {
      const r = await kubectl(['get', 'events', '-n', SYSTEM, '--field-selector', 'involvedObject.name=feature-flags', '-o', 'json']);
      const items = (JSON.parse(r.stdout || '{"items":[]}') as { items: Array<KubeObject & { type?: string; reason?: string; message?: string }> }).items;
      return items.filter((e) => e.type === 'Warning').length >= 2 ? items : undefined;
    });
    const messages = events.map((e) => `${e.reason}: ${e.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      'InvalidConfiguration: feature-flags: enable-api-fields: enable-api-fields must be "stable", "beta" or "alpha", got "gamma"; not applied, the previous value stays',
      expect.stringMatching(/^InvalidConfiguration: feature-flags: coschedule: "pipelineruns" is not supported by tektite/),
    ]));
    await configure({ 'enable-api-fields': 'beta', coschedule: 'workspaces' });
  }, 120_000);

  it('config-defaults: default-service-account and default-pod-template apply to new runs', async () => {
    const defaults = { 'default-service-account': 'builder', 'default-pod-template': 'nodeSelector: {disk: ssd}\nenv: [{name: FROM_DEFAULT, value: "yes"}]' };
    const r = await kubectl(['patch', 'configmap', 'config-defaults', '-n', SYSTEM, '--type', 'merge', '-p', JSON.stringify({ data: defaults })]);
    expect(r.code).toBe(0);
    await waitFor('default-service-account in force', async () => {
      const out = await kubectl(['create', '--dry-run=server', '-o', 'jsonpath={.spec.serviceAccountName}', '-f', '-'], taskRunYaml('probe', 'steps: [{name: a, image: busybox, script: "true"}]'));
      return out.stdout === 'builder';
    });
    await world.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: NS } } as KubeObject);
    await applyYaml(world.client, taskRunYaml('with-defaults', 'steps: [{name: a, image: busybox, script: "echo $FROM_DEFAULT"}]'));
    const tr = await waitForRun(world.client, 'TaskRun', NS, 'with-defaults', { timeoutMs: 60_000 });
    expect(succeeded(tr)).toMatchObject({ status: 'True' });
    const pod = (await podOf(world.client, NS, tr.status?.podName ?? '')) as Pod;
    expect(pod.spec.serviceAccountName).toBe('builder');
    expect(pod.spec.nodeSelector).toEqual({ disk: 'ssd' });
    expect(await world.client.podLog(NS, pod.metadata.name ?? '', { container: 'step-a' })).toContain('yes');
  }, 120_000);
});
