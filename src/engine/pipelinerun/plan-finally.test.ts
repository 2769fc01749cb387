import { describe, expect, it } from 'vitest';
import { World, tasksFrom } from './fixtures.js';

const tasks = tasksFrom(`
t:
  results: [{ name: s }]
  steps: [{ image: busybox, script: "true" }]
`);

describe('finally', () => {
  it('runs after the DAG with $(tasks.X.status) and $(tasks.status) (Tekton example pipelinerun-task-execution-status)', () => {
    const w = new World(`
spec:
  pipelineSpec:
    tasks:
      - { name: task1, taskRef: { name: t } }
      - { name: task2, taskRef: { name: t }, when: [{ input: "true", operator: notin, values: ["true"] }] }
    finally:
      - name: task3
        taskRef: { name: t }
        params: [{ name: s1, value: "$(tasks.task1.status)" }, { name: s2, value: "$(tasks.task2.status)" }]
      - name: task4
        taskRef: { name: t }
        params: [{ name: all, value: "$(tasks.status)" }]
`, { tasks });
    w.reconcile();
    expect(w.created()).toEqual(['pr-task1']);
    expect(w.pr.status?.finallyStartTime).toBeUndefined();
    w.tick(3000);
    w.finish('task1');
    w.reconcile();
    expect(w.created()).toEqual(['pr-task3', 'pr-task4']);
    expect(w.pr.status?.finallyStartTime).toBe('2025-01-01T00:00:03Z');
    expect(w.run('pr-task3').spec.params).toEqual([{ name: 's1', value: 'Succeeded' }, { name: 's2', value: 'None' }]);
    expect(w.run('pr-task4').spec.params).toEqual([{ name: 'all', value: 'Completed' }]);
    expect(w.run('pr-task4').metadata.labels?.['tekton.dev/memberOf']).toBe('finally');
    expect(w.condition()).toEqual(['Unknown', 'Running', 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 1']);
    w.tick(3000);
    w.finish('task3');
    w.finish('task4');
    w.reconcile();
    expect(w.pr.status?.finallyStartTime).toBe('2025-01-01T00:00:03Z');
    expect(w.condition()).toEqual(['True', 'Completed', 'Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 1']);
  });

  const afterFailure = `
spec:
  pipelineSpec:
    tasks:
      - { name: a, taskRef: { name: t } }
      - { name: b, runAfter: [a], taskRef: { name: t } }
    finally:
      - name: report
        taskRef: { name: t }
        params:
          - { name: st, value: "$(tasks.a.status)" }
          - { name: why, value: "$(tasks.a.reason)" }
          - { name: all, value: "$(tasks.status)" }
      - { name: needs-b, taskRef: { name: t }, params: [{ name: p, value: "$(tasks.b.results.s)" }] }
      - { name: only-on-failure, taskRef: { name: t }, when: [{ input: "$(tasks.status)", operator: in, values: [Failed] }] }
      - { name: only-on-success, taskRef: { name: t }, when: [{ input: "$(tasks.status)", operator: in, values: [Succeeded] }] }
`;

  it('still runs after a DAG failure; skips what it cannot feed; the run fails', () => {
    const w = new World(afterFailure, { tasks });
    w.reconcile();
    w.finish('a', 'Failed');
    w.reconcile();
    expect(w.created()).toEqual(['pr-report', 'pr-only-on-failure']);
    expect(w.run('pr-report').spec.params).toEqual([
      { name: 'st', value: 'Failed' }, { name: 'why', value: 'Failed' }, { name: 'all', value: 'Failed' },
    ]);
    expect(w.pr.status?.skippedTasks?.map((s) => [s.name, s.reason])).toEqual([
      ['b', 'PipelineRun was stopping'], ['needs-b', 'Results were missing'], ['only-on-success', 'When Expressions evaluated to false'],
    ]);
    expect(w.condition()).toEqual(['Unknown', 'Running', 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Incomplete: 2, Skipped: 3']);
    w.finish('report');
    w.reconcile();
    expect(w.condition()[1]).toBe('Running');
    w.finish('only-on-failure');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 3 (Failed: 1, Cancelled 0), Skipped: 3']);
  });

  it('fails the run when a finally task fails', () => {
    const w = new World(afterFailure, { tasks });
    w.reconcile();
    w.finish('a', 'Succeeded', { s: '1' });
    w.reconcile();
    w.finish('b', 'Succeeded', { s: '2' });
    w.reconcile();
    expect(w.created()).toEqual(['pr-report', 'pr-needs-b', 'pr-only-on-success']);
    w.finish('report');
    w.finish('needs-b', 'Failed');
    w.reconcile();
    expect(w.condition()[1]).toBe('Running');
    w.finish('only-on-success');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 5 (Failed: 1, Cancelled 0), Skipped: 1']);
  });
});
