/**
 * Pipelines in Pipelines (alpha), run for real in embedded mode (host runtime): Tekton's three examples
 * unchanged, then what a child PipelineRun carries (name, owner, labels, params, workspaces), its results used by
 * the parent, cancellation and timeouts reaching the child, and the feature gate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { defaultFeatureFlags } from '../../src/controller/config.js';
import type { KubeClient } from '../../src/kube/client.js';
import {
  applyYaml, childTaskRun, ensureHelper, listByLabels, logsOf, NS, PIPELINERUN, succeeded, waitFor, waitForRun,
} from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'tekton-alpha');

let world: Embedded;
beforeAll(async () => {
  ensureHelper();
  world = await startEmbedded({
    runtime: 'host', memory: true, eventListeners: false, controllers: true,
    controllerConfig: { features: defaultFeatureFlags({ enableApiFields: 'alpha' }) },
  });
}, 60_000);
afterAll(async () => { await world?.stop(); });

/** Applies a file's documents and answers the PipelineRun among them. */
async function runFile(file: string): Promise<PipelineRun> {
  const objs = await applyYaml(world.client, readFileSync(join(FIXTURES, file), 'utf8'));
  const pr = objs.find((o) => o.kind === 'PipelineRun') as PipelineRun;
  return waitForRun(world.client, 'PipelineRun', NS, pr.metadata.name ?? '', { timeoutMs: 60_000 });
}

/** The child PipelineRuns of a PipelineRun (label tekton.dev/pipelineRun). */
function childRuns(client: KubeClient, parent: string): Promise<PipelineRun[]> {
  return listByLabels<PipelineRun>(client, PIPELINERUN, NS, { 'tekton.dev/pipelineRun': parent });
}

async function stepLog(parentPr: string, task: string): Promise<string> {
  const tr = await childTaskRun(world.client, NS, parentPr, task);
  return logsOf(world.client, NS, tr.status?.podName ?? '', tr.status?.steps?.[0]?.container ?? '');
}

describe("Tekton's Pipelines-in-Pipelines examples, unchanged", () => {
  it('pipelines-in-pipelines.yaml: an inline child Pipeline runs as a child PipelineRun', async () => {
    const pr = await runFile('pipelines-in-pipelines.yaml');
    expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const name = pr.metadata.name ?? '';
    expect(pr.status?.childReferences).toEqual([{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: `${name}-child`, pipelineTaskName: 'child' }]);
    const [child] = await childRuns(world.client, name);
    expect(child?.metadata.name).toBe(`${name}-child`);
    expect(child?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'PipelineRun', name, uid: pr.metadata.uid, controller: true })]);
    expect(child?.metadata.labels).toMatchObject({
      'tekton.dev/pipelineRun': name, 'tekton.dev/pipelineRunUID': pr.metadata.uid, 'tekton.dev/pipelineTask': 'child', 'tekton.dev/memberOf': 'tasks',
    });
    expect(child?.spec.pipelineSpec?.tasks?.[0]?.name).toBe('hello');
    expect(await stepLog(`${name}-child`, 'hello')).toContain('hello from the inline child Pipeline');
  }, 90_000);

  it('pipelines-in-pipelines-ref.yaml: a referenced child Pipeline, labelled with its own name', async () => {
    const pr = await runFile('pipelines-in-pipelines-ref.yaml');
    expect(succeeded(pr)?.status).toBe('True');
    const [child] = await childRuns(world.client, pr.metadata.name ?? '');
    expect(child?.spec.pipelineRef).toEqual({ name: 'child-pipeline' });
    expect(child?.metadata.labels?.['tekton.dev/pipeline']).toBe('child-pipeline');
    expect(await stepLog(child?.metadata.name ?? '', 'hello')).toContain('hello from the referenced child Pipeline');
  }, 90_000);

  it('pipelines-in-pipelines-ref-complex.yaml: params and workspaces through two levels', async () => {
    const pr = await runFile('pipelines-in-pipelines-ref-complex.yaml');
    expect(succeeded(pr)?.status).toBe('True');
    const [child] = await childRuns(world.client, pr.metadata.name ?? '');
    expect(child?.spec.params).toEqual([{ name: 'greeting', value: 'hello' }, { name: 'target', value: 'pipelines-in-pipelines' }]);
    expect(child?.spec.workspaces?.map((w) => [w.name, !!w.emptyDir])).toEqual([['source', true], ['shared-config', true]]);
    const [grandchild] = await childRuns(world.client, child?.metadata.name ?? '');
    expect(grandchild?.metadata.labels?.['tekton.dev/pipeline']).toBe('grandchild-pipeline');
    expect(succeeded(grandchild)?.status).toBe('True');
    expect(await stepLog(grandchild?.metadata.name ?? '', 'show')).toContain('hello, pipelines-in-pipelines!');
  }, 120_000);
});

describe('child PipelineRuns', () => {
  it("hand their results to the parent's later tasks and results", async () => {
    const [created] = await applyYaml<PipelineRun>(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pinp-results}
spec:
  pipelineSpec:
    results: [{name: from-child, value: $(tasks.inner.results.word)}]
    tasks:
      - name: inner
        params: [{name: w, value: nested}]
        pipelineSpec:
          params: [{name: w}]
          results: [{name: word, value: $(tasks.say.results.out)}]
          tasks:
            - name: say
              params: [{name: w, value: $(params.w)}]
              taskSpec:
                params: [{name: w}]
                results: [{name: out}]
                steps: [{name: s, image: busybox, script: 'printf "%s-word" "$(params.w)" > $(results.out.path)'}]
      - name: use
        params: [{name: got, value: $(tasks.inner.results.word)}]
        taskSpec:
          params: [{name: got}]
          steps: [{name: s, image: busybox, script: 'echo "got $(params.got)"'}]
`);
    const pr = await waitForRun(world.client, 'PipelineRun', NS, created?.metadata.name ?? '', { timeoutMs: 60_000 });
    expect(succeeded(pr)?.status).toBe('True');
    expect(pr.status?.results).toEqual([{ name: 'from-child', value: 'nested-word' }]);
    expect(await stepLog('pinp-results', 'use')).toContain('got nested-word');
    expect(pr.status?.childReferences?.map((c) => [c.kind, c.pipelineTaskName])).toEqual([['PipelineRun', 'inner'], ['TaskRun', 'use']]);
  }, 90_000);

  it('are cancelled with their parent, and cancel their own TaskRuns', async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pinp-cancel}
spec:
  pipelineSpec:
    tasks:
      - name: inner
        pipelineSpec:
          tasks:
            - {name: sleepy, taskSpec: {steps: [{name: s, image: busybox, script: 'sleep 60'}]}}
`);
    await waitFor('the grandchild TaskRun to run', async () => {
      const tr = await childTaskRun(world.client, NS, 'pinp-cancel-inner', 'sleepy').catch(() => undefined);
      return tr?.status?.steps?.some((s) => s.running);
    }, 60_000);
    await world.client.patch(PIPELINERUN, NS, 'pinp-cancel', { spec: { status: 'Cancelled' } });
    const pr = await waitForRun(world.client, 'PipelineRun', NS, 'pinp-cancel');
    expect(succeeded(pr)?.reason).toBe('Cancelled');
    const child = await waitForRun(world.client, 'PipelineRun', NS, 'pinp-cancel-inner');
    expect(child.spec.status).toBe('Cancelled');
    expect(succeeded(child)?.reason).toBe('Cancelled');
    const tr = await waitForRun(world.client, 'TaskRun', NS, 'pinp-cancel-inner-sleepy');
    expect(succeeded(tr)?.reason).toBe('TaskRunCancelled');
  }, 120_000);

  it("get the parent's remaining time as their own timeout, and stop when it fires", async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pinp-timeout}
spec:
  timeouts: {pipeline: 4s}
  pipelineSpec:
    tasks:
      - name: inner
        pipelineSpec:
          tasks:
            - {name: sleepy, taskSpec: {steps: [{name: s, image: busybox, script: 'sleep 60'}]}}
`);
    const pr = await waitForRun(world.client, 'PipelineRun', NS, 'pinp-timeout', { timeoutMs: 60_000 });
    expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout' });
    const child = await waitForRun(world.client, 'PipelineRun', NS, 'pinp-timeout-inner', { timeoutMs: 60_000 });
    const budget = child.spec.timeouts?.pipeline ?? '';
    expect(['4s', '3s', '2s', '1s']).toContain(budget);
    expect(succeeded(child)?.status).toBe('False');
    expect(['PipelineRunTimeout', 'Cancelled']).toContain(succeeded(child)?.reason);
  }, 120_000);
});

describe('a Pipeline that nests itself', () => {
  it('fails at the first repetition instead of nesting for ever', async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ouroboros}
spec:
  tasks:
    - {name: self, pipelineRef: {name: ouroboros}}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pinp-cycle}
spec:
  pipelineRef: {name: ouroboros}
`);
    const pr = await waitForRun(world.client, 'PipelineRun', NS, 'pinp-cycle');
    expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'CreateRunFailed' });
    expect(succeeded(pr)?.message).toContain('detected cycle in pipeline-in-pipeline: pipeline "ouroboros" is already running in ancestor chain');
    expect(await childRuns(world.client, 'pinp-cycle')).toEqual([]);
  }, 60_000);
});
