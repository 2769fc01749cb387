import { describe, expect, it } from 'vitest';
import { World, tasksFrom } from './fixtures.js';

const tasks = tasksFrom(`
t:
  results: [{ name: s }]
  steps: [{ image: busybox, script: "true" }]
`);

describe('when expressions and skip cascades', () => {
  const run = `
spec:
  params: [{ name: go, value: "no" }, { name: list, value: [x, y] }]
  pipelineSpec:
    params: [{ name: go }, { name: list, type: array }]
    tasks:
      - { name: a, taskRef: { name: t }, when: [{ input: "$(params.go)", operator: in, values: ["yes"] }] }
      - { name: b, runAfter: [a], taskRef: { name: t } }
      - { name: c, taskRef: { name: t }, params: [{ name: p, value: $(tasks.a.results.s) }] }
      - { name: d, runAfter: [c], taskRef: { name: t } }
      - { name: e, runAfter: [d, b], taskRef: { name: t } }
      - { name: f, taskRef: { name: t }, when: [{ input: "y", operator: in, values: ["$(params.list[*])"] }] }
      - { name: g, taskRef: { name: t }, when: [{ input: "y", operator: notin, values: ["$(params.list[*])"] }] }
`;

  it('guards only the task itself; missing results cascade to dependents', () => {
    const w = new World(run, { tasks });
    w.reconcile();
    expect(w.created()).toEqual(['pr-b', 'pr-f']);
    expect(w.pr.status?.skippedTasks).toEqual([
      { name: 'a', reason: 'When Expressions evaluated to false', whenExpressions: [{ input: 'no', operator: 'in', values: ['yes'] }] },
      { name: 'c', reason: 'Results were missing' },
      { name: 'd', reason: 'Parent Tasks were skipped' },
      { name: 'e', reason: 'Parent Tasks were skipped' },
      { name: 'g', reason: 'When Expressions evaluated to false', whenExpressions: [{ input: 'y', operator: 'notin', values: ['x', 'y'] }] },
    ]);
    expect(w.condition()).toEqual(['Unknown', 'Running', 'Tasks Completed: 0 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 5']);
    expect(w.pr.status?.childReferences?.[1]).toEqual({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'pr-f', pipelineTaskName: 'f',
      whenExpressions: [{ input: 'y', operator: 'in', values: ['x', 'y'] }],
    });
    w.finish('b');
    w.finish('f');
    w.reconcile();
    expect(w.condition()).toEqual(['True', 'Completed', 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 5']);
  });

  it('evaluates when expressions on results once the producer finished', () => {
    const w = new World(`
spec:
  pipelineSpec:
    tasks:
      - { name: a, taskRef: { name: t } }
      - { name: yes, taskRef: { name: t }, when: [{ input: "$(tasks.a.results.s)", operator: in, values: [go] }] }
      - { name: no, taskRef: { name: t }, when: [{ input: "$(tasks.a.results.s)", operator: notin, values: [go] }] }
`, { tasks });
    w.reconcile();
    expect(w.created()).toEqual(['pr-a']);
    expect(w.pr.status?.skippedTasks).toBeUndefined();
    w.finish('a', 'Succeeded', { s: 'go' });
    w.reconcile();
    expect(w.created()).toEqual(['pr-yes']);
    expect(w.pr.status?.skippedTasks?.map((s) => [s.name, s.reason])).toEqual([['no', 'When Expressions evaluated to false']]);
  });

  it('skips an onError: continue consumer whose result is missing, fails a stopAndFail one', () => {
    const make = (onError: string) => new World(`
spec:
  pipelineSpec:
    tasks:
      - { name: a, taskRef: { name: t } }
      - { name: c, taskRef: { name: t }, onError: ${onError}, params: [{ name: p, value: $(tasks.a.results.s) }] }
`, { tasks });
    const soft = make('continue');
    soft.reconcile();
    soft.finish('a');
    soft.reconcile();
    expect(soft.pr.status?.skippedTasks).toEqual([{ name: 'c', reason: 'Results were missing' }]);
    expect(soft.condition()[1]).toBe('Completed');
    const hard = make('stopAndFail');
    hard.reconcile();
    hard.finish('a');
    hard.reconcile();
    expect(hard.condition()).toEqual(['False', 'InvalidTaskResultReference', 'Could not find result with name s for task a']);
  });

  it('evaluates cel expressions after substitution and fails the run on a bad one', () => {
    const make = (cel: string) => new World(`
spec:
  params: [{ name: branch, value: main }]
  pipelineSpec:
    tasks:
      - { name: a, taskRef: { name: t }, when: [{ cel: "${cel}" }] }
      - { name: b, taskRef: { name: t } }
`, { tasks });
    const yes = make("'$(params.branch)' == 'main'");
    yes.reconcile();
    expect(yes.created()).toEqual(['pr-a', 'pr-b']);
    const no = make("'$(params.branch)' != 'main'");
    no.reconcile();
    expect(no.created()).toEqual(['pr-b']);
    const bad = make("'$(params.branch)' +");
    const plan = bad.reconcile();
    expect(plan.actions).toEqual([]);
    expect(bad.condition()[1]).toBe('CELEvaluationFailed');
  });
});
