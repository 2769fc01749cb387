import { describe, expect, it } from 'vitest';
import type { CustomRun, PipelineRun, TaskRun } from '../../api/types.js';
import { pipelineRunFrom } from './fixtures.js';
import { planPipelineRun } from './plan.js';
import type { PipelineRunFacts, PlanAction, TaskEntry } from './types.js';

const NOW = new Date('2025-01-01T00:00:00Z');
const config = { defaultTimeoutMinutes: 60, maxMatrixCombinations: 256, managedByLabel: 'tekton-pipelines', enableApiFields: 'alpha' as const };

function facts(pr: PipelineRun, extra: Partial<PipelineRunFacts> = {}): PipelineRunFacts {
  const spec = pr.spec.pipelineSpec ?? {};
  const tasks = new Map<string, TaskEntry>();
  for (const pt of [...(spec.tasks ?? []), ...(spec.finally ?? [])]) {
    if (pt.pipelineSpec) tasks.set(pt.name, { pipelineSpec: pt.pipelineSpec });
    else if (pt.taskRef?.apiVersion || pt.taskSpec?.apiVersion) tasks.set(pt.name, { custom: true });
    else tasks.set(pt.name, { spec: { steps: [], ...(pt.taskSpec ?? {}) } });
  }
  return { pipelineRun: pr, pipelineSpec: spec, tasks, taskRuns: [], now: NOW, config, ...extra };
}

type Child = CustomRun | PipelineRun | TaskRun;
const created = (actions: PlanAction[]) => actions.flatMap((a): Child[] => {
  if (a.type === 'createCustomRun') return [a.customRun];
  if (a.type === 'createPipelineRun') return [a.pipelineRun];
  if (a.type === 'createTaskRun') return [a.taskRun];
  return [];
});

const waitPr = pipelineRunFrom(`
metadata: {name: pr, namespace: ns, uid: pr-uid, labels: {team: a}}
spec:
  taskRunTemplate: {serviceAccountName: bot}
  pipelineSpec:
    tasks:
      - name: wait
        retries: 2
        taskRef: {apiVersion: wait.testing.tekton.dev/v1beta1, kind: Wait}
        params: [{name: duration, value: 1s}]
      - name: after
        params: [{name: got, value: $(tasks.wait.results.r)}]
        taskSpec: {params: [{name: got}], steps: [{image: busybox, script: 'true'}]}
`);

function done(run: CustomRun, status: 'True' | 'False', reason: string, results: Array<{ name: string; value: string }> = []): CustomRun {
  return { ...run, status: { conditions: [{ type: 'Succeeded', status, reason, message: '' }], results } };
}

describe('custom tasks', () => {
  it("create a v1beta1 CustomRun as Tekton's createCustomRun does", () => {
    const plan = planPipelineRun(facts(waitPr));
    const [run] = created(plan.actions) as CustomRun[];
    expect(run).toEqual({
      apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun',
      metadata: {
        name: 'pr-wait', namespace: 'ns', annotations: {},
        labels: { team: 'a', 'tekton.dev/pipelineRun': 'pr', 'tekton.dev/pipelineRunUID': 'pr-uid', 'tekton.dev/pipelineTask': 'wait', 'tekton.dev/memberOf': 'tasks' },
        ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'pr', uid: 'pr-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        retries: 2, customRef: { apiVersion: 'wait.testing.tekton.dev/v1beta1', kind: 'Wait' },
        params: [{ name: 'duration', value: '1s' }], serviceAccountName: 'bot', timeout: '1h0m0s',
      },
    });
    expect(plan.status.childReferences).toEqual([{ apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', name: 'pr-wait', pipelineTaskName: 'wait' }]);
  });

  it('stay running while their CustomRun has no status, then follow its condition and results', () => {
    const run = created(planPipelineRun(facts(waitPr)).actions)[0] as CustomRun;
    const pending = planPipelineRun(facts(waitPr, { customRuns: [run] }));
    expect(pending.status.conditions?.[0]).toMatchObject({ status: 'Unknown', reason: 'Running' });
    expect(created(pending.actions)).toEqual([]);
    const next = planPipelineRun(facts(waitPr, { customRuns: [done(run, 'True', 'DurationElapsed', [{ name: 'r', value: 'v' }])] }));
    const [tr] = created(next.actions);
    expect(tr?.spec.params).toEqual([{ name: 'got', value: 'v' }]);
    const failed = planPipelineRun(facts(waitPr, { customRuns: [done(run, 'False', 'TimedOut')] }));
    expect(failed.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'Failed' });
  });

  it('embed taskSpec apiVersion/kind/spec as customSpec', () => {
    const pr = pipelineRunFrom(`
spec:
  params: [{name: who, value: me}]
  pipelineSpec:
    params: [{name: who}]
    tasks:
      - name: ex
        taskSpec: {apiVersion: example.dev/v1, kind: Example, spec: {field: $(params.who)}}
`);
    const [run] = created(planPipelineRun(facts(pr)).actions) as CustomRun[];
    expect(run?.spec.customSpec).toEqual({ apiVersion: 'example.dev/v1', kind: 'Example', metadata: {}, spec: { field: 'me' } });
    expect(run?.spec.customRef).toBeUndefined();
  });

  it('are cancelled through spec.status with the CustomRun messages', () => {
    const run = created(planPipelineRun(facts(waitPr)).actions)[0] as CustomRun;
    const cancelled = planPipelineRun(facts({ ...waitPr, spec: { ...waitPr.spec, status: 'Cancelled' } }, { customRuns: [run] }));
    expect(cancelled.actions).toEqual([{ type: 'cancelCustomRun', name: 'pr-wait', message: 'CustomRun cancelled as the PipelineRun it belongs to has been cancelled.' }]);
    const started = { ...waitPr, spec: { ...waitPr.spec, timeouts: { pipeline: '1m' } }, status: { startTime: '2025-01-01T00:00:00Z' } };
    const late = planPipelineRun(facts(started, { customRuns: [run], now: new Date('2025-01-01T00:02:00Z') }));
    expect(late.actions).toEqual([{ type: 'cancelCustomRun', name: 'pr-wait', message: 'CustomRun cancelled as the PipelineRun it belongs to has timed out.' }]);
    expect(late.status.conditions?.[0]?.reason).toBe('PipelineRunTimeout');
  });
});

describe('Pipelines in Pipelines', () => {
  const nested = pipelineRunFrom(`
spec:
  pipelineSpec:
    tasks:
      - name: inner
        params: [{name: p, value: x}]
        pipelineSpec: {params: [{name: p}], tasks: [{name: t, taskSpec: {steps: [{image: busybox, script: 'true'}]}}]}
`);

  it('is refused unless enable-api-fields is alpha, with Tekton\'s feature-gate message', () => {
    const plan = planPipelineRun({ ...facts(nested), config: { ...config, enableApiFields: 'beta' } });
    expect(plan.status.conditions?.[0]).toMatchObject({
      status: 'False', reason: 'PipelineValidationFailed',
      message: 'pipeline task "inner": pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "beta"',
    });
    expect(plan.actions).toEqual([]);
  });

  it('creates a child PipelineRun with params, the remaining budget and the child labels', () => {
    const plan = planPipelineRun(facts(nested));
    const [child] = created(plan.actions) as PipelineRun[];
    expect(child?.metadata.name).toBe('pr-inner');
    expect(child?.metadata.labels).toMatchObject({ 'tekton.dev/pipelineRun': 'pr', 'tekton.dev/pipelineTask': 'inner', 'tekton.dev/pipeline': 'pr' });
    expect(child?.spec).toMatchObject({ params: [{ name: 'p', value: 'x' }], timeouts: { pipeline: '1h0m0s' } });
    expect(plan.status.childReferences).toEqual([{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'pr-inner', pipelineTaskName: 'inner' }]);
    const cancel = planPipelineRun(facts({ ...nested, spec: { ...nested.spec, status: 'Cancelled' } }, { pipelineRuns: [child as PipelineRun] }));
    expect(cancel.actions).toEqual([{ type: 'cancelPipelineRun', name: 'pr-inner' }]);
  });
});

describe('artifacts between tasks', () => {
  const pr = pipelineRunFrom(`
spec:
  pipelineSpec:
    tasks:
      - {name: a, taskSpec: {steps: [{image: busybox, script: 'true'}]}}
      - {name: b, params: [{name: p, value: $(tasks.a.outputs.img)}], taskSpec: {params: [{name: p}], steps: [{image: busybox, script: 'true'}]}}
`);

  it('are refused without enable-artifacts, with Tekton\'s message', () => {
    const plan = planPipelineRun(facts(pr));
    expect(plan.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'PipelineValidationFailed', message: 'pipeline task "b": feature flag enable-artifacts should be set to true to use artifacts feature.' });
  });

  it('make the consumer wait for its producer and pass the values as JSON', () => {
    const on = { ...config, enableArtifacts: true };
    const first = planPipelineRun({ ...facts(pr), config: on });
    expect(created(first.actions).map((c) => c.metadata.name)).toEqual(['pr-a']);
    const a = created(first.actions)[0] as TaskRun;
    a.status = { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: '' }], artifacts: { outputs: [{ name: 'img', values: [{ uri: 'pkg:oci/x' }] }] } };
    const next = planPipelineRun({ ...facts(pr, { taskRuns: [a] }), config: on });
    expect(created(next.actions)[0]?.spec.params).toEqual([{ name: 'p', value: '[{"uri":"pkg:oci/x"}]' }]);
  });
});

describe('Pipelines in Pipelines cycles', () => {
  it("fail as Tekton's detectPipelineRefCycle when the child Pipeline already runs up the owner chain", () => {
    const pr = pipelineRunFrom(`
spec:
  pipelineSpec:
    tasks: [{name: again, pipelineRef: {name: outer}}]
`);
    const tasks = new Map<string, TaskEntry>([['again', { pipelineSpec: { tasks: [] }, pipelineName: 'outer' }]]);
    const plan = planPipelineRun({ ...facts(pr), tasks, ancestorPipelines: ['inner', 'outer', 'top'] });
    expect(plan.status.conditions?.[0]).toMatchObject({
      status: 'False', reason: 'CreateRunFailed',
      message: 'detected cycle in pipeline-in-pipeline: pipeline "outer" is already running in ancestor chain [inner]',
    });
    expect(plan.actions).toEqual([]);
    expect(created(planPipelineRun({ ...facts(pr), tasks, ancestorPipelines: ['inner', 'top'] }).actions)).toHaveLength(1);
  });
});
