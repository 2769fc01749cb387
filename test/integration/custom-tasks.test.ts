/**
 * Custom tasks and CustomRuns, run for real in embedded mode (host runtime): Tekton's wait-task examples
 * unchanged (the Wait controller ships with tektite), a custom task without a controller staying pending until
 * cancelled, and a custom-task controller played by this test (it writes the CustomRun's status and results,
 * which the PipelineRun follows).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REF } from '../../src/api/registry.js';
import type { CustomRun, KubeObject, PipelineRun } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import { applyYaml, childTaskRun, logsOf, NS, PIPELINERUN, startWorld, succeeded, waitFor, waitForRun } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'tekton-alpha');
const CUSTOMRUN = REF.CustomRun;

let world: Embedded;
beforeAll(async () => { world = await startWorld(); }, 60_000);
afterAll(async () => { await world?.stop(); });

async function apply(file: string): Promise<KubeObject[]> {
  return applyYaml(world.client, readFileSync(join(FIXTURES, file), 'utf8'));
}

/** Polls a CustomRun until `until` holds (default: finished). */
async function waitForCustomRun(name: string, until = (r: CustomRun) => !!succeeded(r) && succeeded(r)?.status !== 'Unknown', timeoutMs = 60_000): Promise<CustomRun> {
  let last: CustomRun | undefined;
  try {
    return await waitFor(`CustomRun ${name}`, async () => {
      last = await world.client.tryGet<CustomRun>(CUSTOMRUN, NS, name);
      return last && until(last) ? last : undefined;
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${String(err)}; last: ${JSON.stringify(last)}`);
  }
}

describe("Tekton's wait-task examples, unchanged", () => {
  it('example_pipelinerun.yaml: before → Wait 5s (a CustomRun) → after', async () => {
    const [created] = await apply('wait-example_pipelinerun.yaml');
    const name = created?.metadata.name ?? '';
    const pr = await waitForRun(world.client, 'PipelineRun', NS, name, { timeoutMs: 60_000 });
    expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(pr.status?.childReferences?.map((c) => [c.apiVersion, c.kind, c.pipelineTaskName])).toEqual([
      ['tekton.dev/v1', 'TaskRun', 'before'], ['tekton.dev/v1beta1', 'CustomRun', 'wait'], ['tekton.dev/v1', 'TaskRun', 'after'],
    ]);
    const run = await world.client.get<CustomRun>(CUSTOMRUN, NS, `${name}-wait`);
    expect(run.spec).toMatchObject({ customRef: { apiVersion: 'wait.testing.tekton.dev/v1beta1', kind: 'Wait' }, params: [{ name: 'duration', value: '5s' }] });
    expect(run.metadata.labels).toMatchObject({ 'tekton.dev/pipelineRun': name, 'tekton.dev/pipelineTask': 'wait' });
    expect(run.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'PipelineRun', name, controller: true });
    expect(succeeded(run)).toMatchObject({ status: 'True', reason: 'DurationElapsed' });
    const waited = Date.parse(run.status?.completionTime ?? '') - Date.parse(run.status?.startTime ?? '');
    expect(waited).toBeGreaterThanOrEqual(5000);
    const after = await childTaskRun(world.client, NS, name, 'after');
    expect(Date.parse(after.status?.startTime ?? '')).toBeGreaterThanOrEqual(Date.parse(run.status?.completionTime ?? '') - 1000);
  }, 90_000);

  it('example_customrun.yaml: a CustomRun on its own (retries 2, timeout 10s, duration 3s)', async () => {
    const [created] = await apply('wait-example_customrun.yaml');
    const run = await waitForCustomRun(created?.metadata.name ?? '');
    expect(succeeded(run)).toMatchObject({ status: 'True', reason: 'DurationElapsed' });
    expect(run.status?.retriesStatus).toBeUndefined();
  }, 60_000);

  it('example_customrun_matrix_results.yaml: a matrixed custom task fans out one CustomRun per duration', async () => {
    const objs = await apply('wait-example_customrun_matrix_results.yaml');
    const name = objs.find((o) => o.kind === 'PipelineRun')?.metadata.name ?? '';
    const pr = await waitForRun(world.client, 'PipelineRun', NS, name, { timeoutMs: 90_000 });
    expect(succeeded(pr)?.status).toBe('True');
    const runs = await world.client.list<CustomRun>(CUSTOMRUN, NS, { labelSelector: `tekton.dev/pipelineRun=${name}` });
    const durations = runs.items.map((r) => [r.metadata.name, r.spec.params?.[0]?.value]).sort();
    expect(durations).toEqual([[`${name}-pt-matrix-custom-task-0`, '10s'], [`${name}-pt-matrix-custom-task-1`, '2s'], [`${name}-pt-matrix-custom-task-2`, '5s']]);
  }, 120_000);
});

describe('custom tasks', () => {
  it('without a controller stay pending (no status) until the PipelineRun is cancelled', async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ct-pending}
spec:
  pipelineSpec:
    tasks:
      - name: approve
        taskRef: {apiVersion: example.dev/v1alpha1, kind: Approval, name: release}
        params: [{name: who, value: ops}]
`);
    const pending = await waitForCustomRun('ct-pending-approve', (r) => !!r);
    const pr = await waitForRun(world.client, 'PipelineRun', NS, 'ct-pending', { until: (p) => !!p.status?.childReferences });
    expect(succeeded(pr)?.status).toBe('Unknown');
    expect(pending.status).toBeUndefined();
    expect(pending.spec).toMatchObject({ customRef: { apiVersion: 'example.dev/v1alpha1', kind: 'Approval', name: 'release' }, params: [{ name: 'who', value: 'ops' }] });
    await world.client.patch(PIPELINERUN, NS, 'ct-pending', { spec: { status: 'Cancelled' } });
    const done = await waitForRun(world.client, 'PipelineRun', NS, 'ct-pending');
    expect(succeeded(done)?.reason).toBe('Cancelled');
    const cancelled = await world.client.get<CustomRun>(CUSTOMRUN, NS, 'ct-pending-approve');
    expect(cancelled.spec).toMatchObject({ status: 'RunCancelled', statusMessage: 'CustomRun cancelled as the PipelineRun it belongs to has been cancelled.' });
  }, 60_000);

  it("are followed by their PipelineRun: the CustomRun's results feed later tasks", async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ct-results}
spec:
  pipelineSpec:
    results: [{name: ticket, value: $(tasks.ask.results.ticket)}]
    tasks:
      - name: ask
        taskSpec: {apiVersion: example.dev/v1alpha1, kind: Ticket, spec: {queue: ops}}
      - name: use
        params: [{name: t, value: $(tasks.ask.results.ticket)}]
        taskSpec: {params: [{name: t}], steps: [{name: s, image: busybox, script: 'echo "ticket $(params.t)"'}]}
`);
    const run = await waitForCustomRun('ct-results-ask', (r) => !!r);
    expect(run.spec.customSpec).toEqual({ apiVersion: 'example.dev/v1alpha1', kind: 'Ticket', metadata: {}, spec: { queue: 'ops' } });
    // this test is the Ticket controller: it reports success and a result through /status
    const now = new Date().toISOString();
    await world.client.updateStatus<CustomRun>({
      ...run,
      status: { startTime: now, completionTime: now, conditions: [{ type: 'Succeeded', status: 'True', reason: 'Issued', message: '', lastTransitionTime: now }], results: [{ name: 'ticket', value: 'T-42' }] },
    });
    const pr = await waitForRun(world.client, 'PipelineRun', NS, 'ct-results');
    expect(succeeded(pr)?.status).toBe('True');
    expect(pr.status?.results).toEqual([{ name: 'ticket', value: 'T-42' }]);
    const use = await childTaskRun(world.client, NS, 'ct-results', 'use');
    expect(await logsOf(world.client, NS, use.status?.podName ?? '', 'step-s')).toContain('ticket T-42');
  }, 60_000);

  it('a Wait that outlives its timeout fails with TimedOut and fails the PipelineRun', async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ct-timeout}
spec:
  pipelineSpec:
    tasks:
      - name: wait
        timeout: 1s
        taskRef: {apiVersion: wait.testing.tekton.dev/v1beta1, kind: Wait}
        params: [{name: duration, value: 30s}]
`);
    const pr: PipelineRun = await waitForRun(world.client, 'PipelineRun', NS, 'ct-timeout');
    expect(succeeded(pr)?.status).toBe('False');
    const run = await world.client.get<CustomRun>(CUSTOMRUN, NS, 'ct-timeout-wait');
    expect(run.spec.timeout).toBe('1s');
    expect(succeeded(run)).toMatchObject({ status: 'False', reason: 'TimedOut', message: 'Wait Task failed as it times out.' });
  }, 60_000);
});
