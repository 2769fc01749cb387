import { describe, expect, it } from 'vitest';
import { World, tasksFrom } from './fixtures.js';

const tasks = tasksFrom(`
producer:
  results: [{ name: s }, { name: arr, type: array }, { name: obj, type: object, properties: { k: {} } }]
  steps: [{ image: busybox, script: "true" }]
consumer:
  params: [{ name: p }]
  steps: [{ image: busybox, script: "true" }]
`);

describe('params and context', () => {
  const w = new World(`
metadata: { name: run1, uid: u-1 }
spec:
  params:
    - { name: greeting, value: hello }
    - { name: list, value: [a, b, c] }
    - { name: obj, value: { url: "http://x" } }
    - { name: extra, value: propagated }
  workspaces: [{ name: ws, emptyDir: {} }]
  pipelineSpec:
    params:
      - { name: greeting }
      - { name: msg, default: "$(params.who)!" }
      - { name: who, default: "world of $(params.greeting)" }
      - { name: list, type: array }
      - { name: obj, type: object, properties: { url: {}, rev: {} }, default: { url: "none", rev: main } }
    workspaces: [{ name: ws }, { name: opt, optional: true }]
    tasks:
      - name: t
        retries: 2
        params:
          - { name: m, value: $(params.msg) }
          - { name: all, value: [x, "$(params.list[*])"] }
          - { name: whole, value: "$(params.list[*])" }
          - { name: second, value: "$(params['list'][1])" }
          - { name: url, value: "$(params.obj.url)@$(params.obj.rev)" }
          - { name: o, value: "$(params.obj[*])" }
          - { name: ctx, value: "$(context.pipelineRun.name)/$(context.pipelineRun.namespace)/$(context.pipelineRun.uid)/$(context.pipeline.name)/$(context.pipelineTask.retries)" }
          - { name: bound, value: "$(workspaces.ws.bound)-$(workspaces.opt.bound)" }
          - { name: greeting, value: "task says $(params.greeting)" }
        taskSpec:
          params: [{ name: m }, { name: greeting }]
          steps:
            - image: busybox
              args: ["$(params.extra)", "$(params.list[*])", "$(params.m)", "$(params.greeting)", "$(context.taskRun.name)"]
`);
  w.reconcile();
  const tr = w.run('run1-t');

  it('resolves defaults (also chained), arrays, indexes, objects, context and workspace variables', () => {
    expect(tr.spec.params).toEqual([
      { name: 'm', value: 'world of hello!' },
      { name: 'all', value: ['x', 'a', 'b', 'c'] },
      { name: 'whole', value: ['a', 'b', 'c'] },
      { name: 'second', value: 'b' },
      { name: 'url', value: 'http://x@main' },
      { name: 'o', value: { url: 'http://x', rev: 'main' } },
      { name: 'ctx', value: 'run1/ns/u-1/run1/2' },
      { name: 'bound', value: 'true-false' },
      { name: 'greeting', value: 'task says hello' },
    ]);
    expect(tr.spec.retries).toBe(2);
  });

  it('propagates pipeline params into the inline taskSpec; a task param shadows the pipeline one', () => {
    expect(tr.spec.taskSpec?.steps[0]?.args).toEqual(['propagated', 'a', 'b', 'c', '$(params.m)', 'task says hello', '$(context.taskRun.name)']);
    expect(tr.spec.taskSpec?.params).toEqual([{ name: 'm' }, { name: 'greeting' }]);
  });

  it('types StepAction params of inline steps (Tekton example stepaction-params)', () => {
    const sa = new World(`
spec:
  params: [{ name: arr, value: [a, b] }, { name: obj, value: { k: v } }]
  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
          steps:
            - ref: { name: action }
              params: [{ name: a, value: "$(params.arr[*])" }, { name: o, value: "$(params.obj[*])" }, { name: s, value: "$(params.obj.k)" }]
`);
    sa.reconcile();
    expect(sa.run('pr-t').spec.taskSpec?.steps[0]?.params).toEqual([
      { name: 'a', value: ['a', 'b'] }, { name: 'o', value: { k: 'v' } }, { name: 's', value: 'v' },
    ]);
  });

  it('fails on an array index out of range', () => {
    const bad = new World(`
spec:
  params: [{ name: list, value: [a] }]
  pipelineSpec:
    params: [{ name: list, type: array }]
    tasks: [{ name: t, taskRef: { name: consumer }, params: [{ name: p, value: "$(params.list[3])" }] }]
`, { tasks });
    bad.reconcile();
    expect(bad.condition()[1]).toBe('ParamArrayIndexingInvalid');
    expect(bad.condition()[2]).toMatch(/\$\(params\.list\[3\]\)/);
  });
});

const resultsRun = `
spec:
  pipelineSpec:
    results:
      - { name: s, value: $(tasks.a.results.s) }
      - { name: arr, value: "$(tasks.a.results.arr[*])" }
      - { name: obj, value: "$(tasks.a.results.obj[*])" }
      - { name: mixed, value: "$(tasks.a.results.arr[0])-$(tasks.a.results.obj.k)" }
    tasks:
      - { name: a, taskRef: { name: producer } }
      - name: b
        taskRef: { name: consumer }
        params:
          - { name: p, value: $(tasks.a.results.s) }
          - { name: arr, value: "$(tasks.a.results.arr[*])" }
          - { name: one, value: "$(tasks.a.results.arr[1])" }
          - { name: key, value: "$(tasks.a.results.obj.k)" }
          - { name: obj, value: "$(tasks.a.results.obj[*])" }
      - name: c
        taskSpec:
          steps: [{ image: busybox, args: ["$(tasks.a.results.s)"] }]
`;

describe('results', () => {
  it('passes string, array and object results (typed or JSON text) and waits for implicit dependencies', () => {
    const w = new World(resultsRun, { tasks });
    w.reconcile();
    expect(w.created()).toEqual(['pr-a']);
    w.run('pr-a').status = {
      conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }],
      results: [
        { name: 's', value: 'v1' },
        { name: 'arr', type: 'array', value: '["x","y"]' },
        { name: 'obj', value: { k: 'kv' } },
      ],
    };
    w.reconcile();
    expect(w.created()).toEqual(['pr-b', 'pr-c']);
    expect(w.run('pr-b').spec.params).toEqual([
      { name: 'p', value: 'v1' }, { name: 'arr', value: ['x', 'y'] }, { name: 'one', value: 'y' },
      { name: 'key', value: 'kv' }, { name: 'obj', value: { k: 'kv' } },
    ]);
    expect(w.run('pr-c').spec.taskSpec?.steps[0]?.args).toEqual(['v1']);
    w.finish('b');
    w.finish('c');
    w.reconcile();
    expect(w.condition()[1]).toBe('Succeeded');
    expect(w.pr.status?.results).toEqual([
      { name: 's', value: 'v1' }, { name: 'arr', value: ['x', 'y'] }, { name: 'obj', value: { k: 'kv' } }, { name: 'mixed', value: 'x-kv' },
    ]);
  });

  it('fails with InvalidTaskResultReference when a needed result was never produced', () => {
    const w = new World(resultsRun, { tasks });
    w.reconcile();
    w.finish('a', 'Succeeded', { s: 'v1' });
    const plan = w.reconcile();
    expect(w.created()).toEqual([]);
    expect(plan.status.skippedTasks).toEqual([{ name: 'c', reason: 'PipelineRun was stopping' }]);
    expect(w.condition()).toEqual(['False', 'InvalidTaskResultReference', 'Could not find result with name arr for task a']);
  });

  it('fails with CouldntGetPipelineResult when a succeeded task lacks a pipeline result, omits results of failed tasks', () => {
    const run = `
spec:
  pipelineSpec:
    results:
      - { name: fromA, value: $(tasks.a.results.s) }
      - { name: fromB, value: $(tasks.b.results.s) }
    tasks:
      - { name: a, taskRef: { name: producer } }
      - { name: b, taskRef: { name: producer }, onError: continue }
`;
    const w = new World(run, { tasks });
    w.reconcile();
    expect(w.run('pr-b').metadata.annotations).toEqual({ 'pipeline.tekton.dev/pipeline-task-on-error': 'continue' });
    w.finish('a', 'Succeeded', { s: 'ok' });
    w.finish('b', 'FailureIgnored', { s: 'partial' });
    w.reconcile();
    expect(w.condition()).toEqual(['True', 'Succeeded', 'Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0']);
    expect(w.pr.status?.results).toEqual([{ name: 'fromA', value: 'ok' }]);

    const w2 = new World(run, { tasks });
    w2.reconcile();
    w2.finish('a');
    w2.finish('b');
    w2.reconcile();
    expect(w2.condition()).toEqual(['False', 'CouldntGetPipelineResult', "PipelineRun ns/pr failed to retrieve pipeline results: invalid pipelineresults [fromA fromB], the referenced results don't exist"]);
  });
});
