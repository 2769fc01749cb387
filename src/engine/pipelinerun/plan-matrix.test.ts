import { describe, expect, it } from 'vitest';
import { World, tasksFrom } from './fixtures.js';

const tasks = tasksFrom(`
browse:
  params: [{ name: platform }, { name: browser }]
  results: [{ name: r }]
  steps: [{ image: busybox, script: "true" }]
list:
  results: [{ name: platforms, type: array }]
  steps: [{ image: busybox, script: "true" }]
`);

const run = (platforms: string, extra = '') => `
spec:
  params: [{ name: platforms, value: ${platforms} }]
  taskRunSpecs:
    - pipelineTaskName: t
      podTemplate: { nodeSelector: { os: "$(params.platform)" } }
  pipelineSpec:
    params: [{ name: platforms, type: array }]
    tasks:
      - name: t
        taskRef: { name: browse }
        params: [{ name: url, value: example.com }]
        matrix:
          params:
            - { name: platform, value: "$(params.platforms[*])" }
            - { name: browser, value: [chrome, safari] }
      - name: after
        taskRef: { name: browse }
        params:
          - { name: all, value: "$(tasks.t.results.r[*])" }
          - { name: n, value: "$(tasks.t.matrix.length)" }
          - { name: rn, value: "$(tasks.t.matrix.r.length)" }
          - { name: first, value: "$(tasks.t.results.r[0])" }
    ${extra}
`;

describe('matrix', () => {
  it('fans out in Tekton order, names runs -<i>, substitutes taskRunSpecs per combination', () => {
    const w = new World(run('[linux, mac, windows]'), { tasks });
    w.reconcile();
    expect(w.created()).toEqual(['pr-t-0', 'pr-t-1', 'pr-t-2', 'pr-t-3', 'pr-t-4', 'pr-t-5']);
    const combos = w.runsOf('t').map((tr) => tr.spec.params?.map((p) => p.value).join(' '));
    expect(combos).toEqual([
      'example.com linux chrome', 'example.com mac chrome', 'example.com windows chrome',
      'example.com linux safari', 'example.com mac safari', 'example.com windows safari',
    ]);
    expect(w.run('pr-t-2').spec.podTemplate).toEqual({ nodeSelector: { os: 'windows' } });
    expect(w.pr.status?.childReferences?.map((c) => c.pipelineTaskName)).toEqual(Array(6).fill('t'));
  });

  it('finishes only when every combination finished, then aggregates results', () => {
    const w = new World(run('[linux, mac, windows]'), { tasks });
    w.reconcile();
    w.runsOf('t').slice(0, 5).forEach((tr, i) => w.finish(tr.metadata.name ?? '', 'Succeeded', { r: `r${i}` }));
    w.reconcile();
    expect(w.created()).toEqual([]);
    expect(w.condition()[2]).toBe('Tasks Completed: 0 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0');
    w.finish('pr-t-5', 'Succeeded', { r: 'r5' });
    w.reconcile();
    expect(w.created()).toEqual(['pr-after']);
    expect(w.run('pr-after').spec.params).toEqual([
      { name: 'all', value: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'] }, { name: 'n', value: '6' }, { name: 'rn', value: '6' }, { name: 'first', value: 'r0' },
    ]);
  });

  it('fails the task when any combination fails, once all are done', () => {
    const w = new World(run('[linux]'), { tasks });
    w.reconcile();
    w.finish('pr-t-0', 'Failed');
    w.reconcile();
    expect(w.condition()[1]).toBe('Running');
    w.finish('pr-t-1');
    w.reconcile();
    expect(w.condition()).toEqual(['False', 'Failed', 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 1']);
  });

  it('recreates combinations missing after a partial create', () => {
    const w = new World(run('[linux, mac]'), { tasks });
    w.reconcile();
    w.taskRuns = w.taskRuns.filter((tr) => tr.metadata.name !== 'pr-t-2');
    w.reconcile();
    expect(w.created()).toEqual(['pr-t-2']);
  });

  it('skips a matrix with an empty array, names a single combination without index, caps combinations', () => {
    const empty = new World(run('[]'), { tasks });
    empty.reconcile();
    expect(empty.pr.status?.skippedTasks?.[0]).toEqual({ name: 't', reason: 'Matrix Parameters have an empty array' });
    const single = new World(run('[linux]').replace('[chrome, safari]', '[chrome]'), { tasks });
    single.reconcile();
    expect(single.created()).toEqual(['pr-t']);
    const big = new World(run(`[${Array.from({ length: 129 }, (_, i) => `p${i}`).join(', ')}]`), { tasks });
    const plan = big.reconcile();
    expect(plan.actions).toEqual([]);
    expect(big.condition()[1]).toBe('PipelineValidationFailed');
    expect(big.condition()[2]).toMatch(/258 combinations, more than the maximum of 256/);
  });

  it('fans out over another task\'s array result', () => {
    const w = new World(`
spec:
  pipelineSpec:
    tasks:
      - { name: get, taskRef: { name: list } }
      - name: t
        taskRef: { name: browse }
        matrix:
          params: [{ name: platform, value: "$(tasks.get.results.platforms[*])" }]
          include: [{ name: extra, params: [{ name: platform, value: plan9 }, { name: browser, value: lynx }] }]
`, { tasks });
    w.reconcile();
    w.finish('get', 'Succeeded', { platforms: ['linux', 'mac'] });
    w.reconcile();
    expect(w.runsOf('t').map((tr) => tr.spec.params)).toEqual([
      [{ name: 'platform', value: 'linux' }], [{ name: 'platform', value: 'mac' }],
      [{ name: 'platform', value: 'plan9' }, { name: 'browser', value: 'lynx' }],
    ]);
  });
});
