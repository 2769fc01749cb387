import { describe, expect, it } from 'vitest';
import { World, tasksFrom } from './fixtures.js';

const diamond = `
metadata:
  name: diamond
  labels: { app: demo }
  annotations: { note: hi, kubectl.kubernetes.io/last-applied-configuration: "{}" }
spec:
  taskRunTemplate: { serviceAccountName: builder }
  pipelineSpec:
    tasks:
      - { name: a, taskRef: { name: echo } }
      - { name: b, runAfter: [a], taskRef: { name: echo } }
      - { name: c, runAfter: [a], taskRef: { name: echo } }
      - { name: d, runAfter: [b, c], taskRef: { name: echo } }
`;
const tasks = tasksFrom(`
echo:
  steps: [{ name: s, image: busybox, script: echo hi }]
`);

describe('plain DAG', () => {
  it('runs a diamond in order and succeeds', () => {
    const w = new World(diamond, { tasks });
    w.reconcile();
    expect(w.created()).toEqual(['diamond-a']);
    expect(w.condition()).toEqual(['Unknown', 'Running', 'Tasks Completed: 0 (Failed: 0, Cancelled 0), Incomplete: 4, Skipped: 0']);
    expect(w.pr.status?.startTime).toBe('2025-01-01T00:00:00Z');
    w.reconcile();
    expect(w.created()).toEqual([]);
    w.finish('a');
    w.reconcile();
    expect(w.created()).toEqual(['diamond-b', 'diamond-c']);
    w.finish('b');
    w.reconcile();
    expect(w.created()).toEqual([]);
    expect(w.condition()[2]).toBe('Tasks Completed: 2 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0');
    w.finish('c');
    w.reconcile();
    expect(w.created()).toEqual(['diamond-d']);
    w.tick(5000);
    w.finish('d');
    const plan = w.reconcile();
    expect(plan.actions).toEqual([]);
    expect(plan.requeueAfterMs).toBeUndefined();
    expect(w.condition()).toEqual(['True', 'Succeeded', 'Tasks Completed: 4 (Failed: 0, Cancelled 0), Skipped: 0']);
    expect(w.pr.status?.completionTime).toBe('2025-01-01T00:00:05Z');
    expect(w.pr.status?.childReferences?.map((c) => [c.name, c.pipelineTaskName, c.kind, c.apiVersion])).toEqual([
      ['diamond-a', 'a', 'TaskRun', 'tekton.dev/v1'], ['diamond-b', 'b', 'TaskRun', 'tekton.dev/v1'],
      ['diamond-c', 'c', 'TaskRun', 'tekton.dev/v1'], ['diamond-d', 'd', 'TaskRun', 'tekton.dev/v1'],
    ]);
  });

  it('builds the child TaskRun as Tekton does', () => {
    const w = new World(diamond, { tasks });
    const plan = w.reconcile();
    expect(plan.requeueAfterMs).toBe(3_600_000);
    const tr = w.run('diamond-a');
    expect(tr.metadata).toEqual({
      name: 'diamond-a',
      namespace: 'ns',
      labels: {
        app: 'demo', 'tekton.dev/pipeline': 'diamond', 'tekton.dev/pipelineRun': 'diamond', 'tekton.dev/pipelineRunUID': 'pr-uid',
        'tekton.dev/pipelineTask': 'a', 'tekton.dev/memberOf': 'tasks', 'tekton.dev/task': 'echo', 'app.kubernetes.io/managed-by': 'tekton-pipelines',
      },
      annotations: { note: 'hi' },
      ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'diamond', uid: 'pr-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(tr.spec).toEqual({ params: [], taskRef: { name: 'echo' }, serviceAccountName: 'builder', timeout: '1h0m0s' });
  });

  it('stops scheduling after a failure and fails the run', () => {
    const w = new World(diamond, { tasks });
    w.reconcile();
    w.finish('a', 'Failed');
    w.reconcile();
    expect(w.created()).toEqual([]);
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 3']);
    expect(w.pr.status?.skippedTasks).toEqual([
      { name: 'b', reason: 'PipelineRun was stopping' }, { name: 'c', reason: 'PipelineRun was stopping' },
      { name: 'd', reason: 'PipelineRun was stopping' },
    ]);
  });

  it('waits for running siblings after a failure (PipelineRunStopping)', () => {
    const w = new World(diamond, { tasks });
    w.reconcile();
    w.finish('a');
    w.reconcile();
    w.finish('b', 'Failed');
    w.reconcile();
    expect(w.condition()).toEqual(['Unknown', 'PipelineRunStopping', 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Incomplete: 1, Skipped: 1']);
    w.finish('c');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 3 (Failed: 1, Cancelled 0), Skipped: 1']);
  });

  it('lets dependents of an onError: continue task run after it failed', () => {
    const w = new World(diamond.replace('{ name: a, taskRef: { name: echo } }', '{ name: a, taskRef: { name: echo }, onError: continue }'), { tasks });
    w.reconcile();
    w.finish('a', 'FailureIgnored');
    w.reconcile();
    expect(w.created()).toEqual(['diamond-b', 'diamond-c']);
    w.finish('b');
    w.finish('c');
    w.reconcile();
    w.finish('d');
    w.reconcile();
    expect(w.condition()).toEqual(['True', 'Succeeded', 'Tasks Completed: 4 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0']);
  });

  it('keeps the transition time when nothing changes and ignores foreign TaskRuns', () => {
    const w = new World(diamond, { tasks });
    w.reconcile();
    const first = w.pr.status?.conditions?.[0]?.lastTransitionTime;
    w.tick(60_000);
    w.taskRuns.push({ ...structuredClone(w.run('diamond-a')), metadata: { name: 'other', labels: { 'tekton.dev/pipelineTask': 'b' }, ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'diamond', uid: 'old-uid' }] } });
    const plan = w.reconcile();
    expect(w.pr.status?.conditions?.[0]?.lastTransitionTime).toBe(first);
    expect(plan.requeueAfterMs).toBe(3_540_000);
    expect(plan.status.childReferences?.map((c) => c.name)).toEqual(['diamond-a']);
  });
});

describe('run-level failures and no-ops', () => {
  const inline = (extra: string) => `
spec:
  ${extra}
  pipelineSpec:
    params: [{ name: p }]
    workspaces: [{ name: src }]
    tasks:
      - { name: a, taskRef: { name: echo }, params: [{ name: x, value: $(params.p) }] }
      - { name: b, runAfter: [a], taskRef: { name: nope } }
`;
  it.each([
    ['missing param', 'workspaces: [{ name: src, emptyDir: {} }]', 'ParameterMissing', /missing parameters: \[p\]/],
    ['missing workspace', 'params: [{ name: p, value: v }]', 'InvalidWorkspaceBindings', /workspace with name "src" be provided/],
    ['unknown task', 'params: [{ name: p, value: v }]\n  workspaces: [{ name: src, emptyDir: {} }]', 'CouldntGetTask', /"nope" not found/],
    ['wrong taskRunSpecs', 'params: [{ name: p, value: v }]\n  workspaces: [{ name: src, emptyDir: {} }]\n  taskRunSpecs: [{ pipelineTaskName: zz }]', 'InvalidTaskRunSpecs', /wrong taskName: "zz"/],
    ['type mismatch', 'params: [{ name: p, value: [a] }]', 'ParameterTypeMismatch', /inconsistent types : \[p\]/],
  ])('%s', (_n, extra, reason, message) => {
    const w = new World(inline(extra), { tasks });
    const plan = w.reconcile();
    expect(plan.actions).toEqual([]);
    const [status, r, m] = w.condition();
    expect([status, r]).toEqual(['False', reason]);
    expect(m).toMatch(message);
    expect(w.pr.status?.completionTime).toBeDefined();
  });

  it('names the cycle', () => {
    const w = new World(`
spec:
  pipelineSpec:
    tasks:
      - { name: a, runAfter: [b], taskRef: { name: echo } }
      - { name: b, taskRef: { name: echo }, params: [{ name: x, value: $(tasks.a.results.r) }] }
`, { tasks });
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'PipelineInvalidGraph', 'PipelineRun ns/pr\'s Pipeline DAG is invalid: cycle detected; task "a" depends on "b", task "b" depends on "a"']);
  });

  it('leaves runs managed by someone else, finished runs, and pending runs alone', () => {
    const other = new World(`spec: { managedBy: kueue.x-k8s.io/multikueue, pipelineSpec: { tasks: [{ name: a, taskRef: { name: echo } }] } }`, { tasks });
    expect(other.reconcile()).toEqual({ status: {}, actions: [] });
    const pending = new World(`spec: { status: PipelineRunPending, pipelineSpec: { tasks: [{ name: a, taskRef: { name: echo } }] } }`, { tasks });
    const plan = pending.reconcile();
    expect(plan.actions).toEqual([]);
    expect(pending.condition()).toEqual(['Unknown', 'PipelineRunPending', 'PipelineRun "pr" is pending']);
    expect(plan.status.startTime).toBeUndefined();
    const w = new World(diamond, { tasks });
    w.reconcile();
    w.pr.status = { ...w.pr.status, conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] };
    expect(w.reconcile().actions).toEqual([]);
  });
});
