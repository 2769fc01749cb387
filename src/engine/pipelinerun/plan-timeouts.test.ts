import { describe, expect, it } from 'vitest';
import { World, tasksFrom } from './fixtures.js';

const tasks = tasksFrom(`
t:
  steps: [{ image: busybox, script: "true" }]
`);

const MIN = 60_000;
const cancels = (w: World) => (w.lastPlan?.actions ?? []).flatMap((a) => (a.type === 'cancelTaskRun' ? [[a.name, a.message]] : []));
const TIMED_OUT = 'TaskRun cancelled as the PipelineRun it belongs to has timed out.';
const CANCELLED = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';

const run = (timeouts: string, status = '') => `
spec:
  ${status}
  timeouts: ${timeouts}
  taskRunSpecs: [{ pipelineTaskName: long, timeout: 2h }]
  pipelineSpec:
    tasks:
      - { name: a, taskRef: { name: t } }
      - { name: short, taskRef: { name: t }, timeout: 5m }
      - { name: long, taskRef: { name: t } }
      - { name: b, runAfter: [a], taskRef: { name: t } }
    finally:
      - { name: f, taskRef: { name: t } }
`;

describe('timeouts', () => {
  it('gives children the remaining budget, their own shorter timeout, or the taskRunSpecs one', () => {
    const w = new World(run('{ pipeline: 1h }'), { tasks });
    const plan = w.reconcile();
    expect(plan.requeueAfterMs).toBe(60 * MIN);
    expect(['a', 'short', 'long'].map((n) => w.run(`pr-${n}`).spec.timeout)).toEqual(['1h0m0s', '5m0s', '2h0m0s']);
    w.tick(20 * MIN);
    w.finish('a');
    expect(w.reconcile().requeueAfterMs).toBe(40 * MIN);
    expect(w.run('pr-b').spec.timeout).toBe('40m0s');
  });

  it('pipeline timeout: cancels every child, runs no finally, fails at once', () => {
    const w = new World(run('{ pipeline: 10m }'), { tasks });
    w.reconcile();
    w.finish('short');
    w.tick(10 * MIN);
    const plan = w.reconcile();
    expect(cancels(w)).toEqual([['pr-a', TIMED_OUT], ['pr-long', TIMED_OUT]]);
    expect(plan.actions.some((a) => a.type === 'createTaskRun')).toBe(false);
    expect(w.condition()).toEqual(['False', 'PipelineRunTimeout', 'PipelineRun "pr" failed to finish within "10m0s"']);
    expect(plan.status.completionTime).toBe('2025-01-01T00:10:00Z');
    expect(plan.requeueAfterMs).toBeUndefined();
  });

  it('tasks timeout: cancels DAG children, skips the rest, still runs finally, ends PipelineRunTimeout', () => {
    const w = new World(run('{ pipeline: 1h, tasks: 10m }'), { tasks });
    expect(w.reconcile().requeueAfterMs).toBe(10 * MIN);
    w.finish('short');
    w.tick(10 * MIN);
    w.reconcile();
    expect(cancels(w)).toEqual([['pr-a', TIMED_OUT], ['pr-long', TIMED_OUT]]);
    expect(w.condition()).toEqual(['Unknown', 'PipelineRunTimeoutRunningFinally', 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Incomplete: 4, Skipped: 0']);
    w.reconcile();
    expect(w.created()).toEqual(['pr-f']);
    expect(w.run('pr-f').spec.timeout).toBe('50m0s');
    expect(w.pr.status?.skippedTasks).toEqual([{ name: 'b', reason: 'PipelineRun was stopping' }]);
    expect(w.condition()[1]).toBe('PipelineRunTimeoutRunningFinally');
    expect(w.lastPlan?.requeueAfterMs).toBe(50 * MIN);
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'PipelineRunTimeout', 'PipelineRun "pr" failed due to tasks failed to finish within "10m0s"']);
  });

  it('tasks timeout reached before a ready task started: skipped with the timeout reason', () => {
    const w = new World(run('{ pipeline: 1h, tasks: 10m }'), { tasks });
    w.reconcile();
    for (const n of ['a', 'short', 'long']) w.finish(n);
    w.tick(11 * MIN);
    w.reconcile();
    expect(w.pr.status?.skippedTasks).toEqual([{ name: 'b', reason: 'PipelineRun Tasks timeout has been reached' }]);
    expect(w.created()).toEqual(['pr-f']);
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'PipelineRunTimeout', 'PipelineRun "pr" failed due to tasks failed to finish within "10m0s"']);
  });

  it('finally timeout alone: cancels running finally tasks, which count as failed: Failed (no timeout reason, as Tekton)', () => {
    const w = new World(run('{ pipeline: 1h, finally: 1m }'), { tasks });
    w.reconcile();
    for (const n of ['a', 'short', 'long']) w.finish(n);
    w.reconcile();
    w.finish('b');
    w.reconcile();
    expect(w.created()).toEqual(['pr-f']);
    expect(w.run('pr-f').spec.timeout).toBe('1m0s');
    w.tick(MIN);
    w.reconcile();
    expect(cancels(w)).toEqual([['pr-f', TIMED_OUT]]);
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 5 (Failed: 1, Cancelled 0), Skipped: 0']);
  });
});

describe('timeouts against second-precision start times', () => {
  const single = (timeouts: string, timeout = '') => `
spec:
  timeouts: ${timeouts}
  pipelineSpec:
    tasks: [{ name: a, taskRef: { name: t }${timeout} }]
    finally: [{ name: f, taskRef: { name: t } }]
`;

  it('counts the elapsed budget in whole seconds, so a child never times out before the run', () => {
    const w = new World(run('{ pipeline: 2s }'), { tasks, now: '2025-01-01T00:00:00.600Z' });
    w.reconcile();
    expect(w.pr.status?.startTime).toBe('2025-01-01T00:00:00Z');
    expect(w.run('pr-a').spec.timeout).toBe('2s');
    w.tick(1000);
    w.finish('a');
    w.reconcile();
    expect(w.run('pr-b').spec.timeout).toBe('1s');
  });

  it('a child that ran out of time at the tasks deadline counts as stopped by it: PipelineRunTimeout', () => {
    const w = new World(single('{ pipeline: 1h, tasks: 10m }'), { tasks, now: '2025-01-01T00:00:00.600Z' });
    w.reconcile();
    expect(w.run('pr-a').spec.timeout).toBe('10m0s');
    w.tick(10 * MIN);
    w.finish('a', 'TaskRunTimeout');
    w.run('pr-a').status!.completionTime = '2025-01-01T00:10:00Z';
    w.reconcile();
    expect(w.created()).toEqual(['pr-f']);
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'PipelineRunTimeout', 'PipelineRun "pr" failed due to tasks failed to finish within "10m0s"']);
  });

  it('a child that ran out of its own shorter time before the deadline fails the run: Failed', () => {
    const w = new World(single('{ pipeline: 1h, tasks: 10m }', ', timeout: 5m'), { tasks });
    w.reconcile();
    w.tick(5 * MIN);
    w.finish('a', 'TaskRunTimeout');
    w.run('pr-a').status!.completionTime = '2025-01-01T00:05:00Z';
    w.reconcile();
    w.tick(6 * MIN);
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0']);
  });
});

describe('cancellation', () => {
  it('Cancelled: cancels children, runs no finally, Cancelled at once', () => {
    const w = new World(run('{ pipeline: 1h }'), { tasks });
    w.reconcile();
    w.finish('short');
    w.pr.spec.status = 'Cancelled';
    const plan = w.reconcile();
    expect(cancels(w)).toEqual([['pr-a', CANCELLED], ['pr-long', CANCELLED]]);
    expect(plan.actions).toHaveLength(2);
    expect(w.condition()).toEqual(['False', 'Cancelled', 'PipelineRun "pr" was cancelled']);
    expect(plan.status.childReferences?.map((c) => c.name)).toEqual(['pr-a', 'pr-short', 'pr-long']);
  });

  it('CancelledRunFinally: cancels DAG children, then runs finally', () => {
    const w = new World(run('{ pipeline: 1h }'), { tasks });
    w.reconcile();
    w.pr.spec.status = 'CancelledRunFinally';
    w.reconcile();
    expect(cancels(w).map(([n]) => n)).toEqual(['pr-a', 'pr-short', 'pr-long']);
    expect(w.condition()[1]).toBe('CancelledRunningFinally');
    w.reconcile();
    expect(w.created()).toEqual(['pr-f']);
    expect(w.pr.status?.skippedTasks).toEqual([{ name: 'b', reason: 'PipelineRun was stopping' }]);
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Cancelled', 'PipelineRun "pr" was cancelled']);
  });

  it('StoppedRunFinally: lets running children finish, starts nothing new, then runs finally', () => {
    const w = new World(run('{ pipeline: 1h }'), { tasks });
    w.reconcile();
    w.pr.spec.status = 'StoppedRunFinally';
    w.finish('a');
    w.reconcile();
    expect(cancels(w)).toEqual([]);
    expect(w.created()).toEqual([]);
    expect(w.pr.status?.skippedTasks).toEqual([{ name: 'b', reason: 'PipelineRun was gracefully stopped' }]);
    expect(w.condition()[1]).toBe('StoppedRunningFinally');
    w.finish('short');
    w.finish('long');
    w.reconcile();
    expect(w.created()).toEqual(['pr-f']);
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Cancelled', 'PipelineRun "pr" was cancelled']);
  });
});
