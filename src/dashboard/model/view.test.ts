import { describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../api/types.js';
import { stateOf } from './summary.js';
import { pipelineRunView } from './view.js';

const done = (status: 'True' | 'False', reason: string) => [{ type: 'Succeeded', status, reason }];

const pr = {
  apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr', namespace: 'ns', labels: { 'tekton.dev/pipeline': 'p' } },
  spec: { pipelineRef: { name: 'p' }, params: [{ name: 'env', value: 'dev' }] },
  status: {
    conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }],
    pipelineSpec: {
      tasks: [
        { name: 'a', taskRef: { name: 't' } },
        { name: 'b', params: [{ name: 'x', value: '$(tasks.a.results.r)' }], matrix: { params: [{ name: 'os', value: ['l', 'm'] }] }, taskRef: { name: 't' } },
        { name: 'c', runAfter: ['a'], when: [{ input: '$(params.env)', operator: 'in', values: ['prod'] }], taskRef: { name: 't' } },
      ],
      finally: [{ name: 'f', taskRef: { name: 't' } }],
    },
    childReferences: [
      { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'pr-a', pipelineTaskName: 'a' },
      { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'pr-b-0', pipelineTaskName: 'b' },
    ],
    skippedTasks: [{ name: 'c', reason: 'When Expressions evaluated to false', whenExpressions: [{ input: 'dev', operator: 'in', values: ['prod'] }] }],
  },
} as unknown as PipelineRun;

const tr = (name: string, task: string, extra: Record<string, unknown>): TaskRun => ({
  apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, namespace: 'ns', labels: { 'tekton.dev/pipelineRun': 'pr', 'tekton.dev/pipelineTask': task } },
  spec: { params: [{ name: 'os', value: name.endsWith('0') ? 'l' : 'm' }, { name: 'x', value: 'r' }] }, ...extra,
} as unknown as TaskRun);

describe('PipelineRun view', () => {
  it('reads states from the Succeeded condition', () => {
    expect(stateOf(undefined)).toBe('pending');
    expect(stateOf([{ type: 'Succeeded', status: 'Unknown', reason: 'PipelineRunPending' }])).toBe('pending');
    expect(stateOf([{ type: 'Succeeded', status: 'Unknown', reason: 'CancelledRunFinally' }])).toBe('running');
    expect(stateOf(done('False', 'PipelineRunCancelled') as never)).toBe('cancelled');
    expect(stateOf(done('False', 'PipelineRunTimeout') as never)).toBe('failed');
  });

  it('builds the graph: edges from runAfter and results, matrix runs (also those not yet in childReferences), retries, skips, finally', () => {
    const runs = [
      tr('pr-a', 'a', { status: { conditions: done('True', 'Succeeded'), retriesStatus: [{ conditions: done('False', 'Failed'), podName: 'pr-a-pod' }], steps: [{ name: 's', container: 'step-s', terminated: { exitCode: 0 } }] } }),
      tr('pr-b-0', 'b', { status: { conditions: done('True', 'Succeeded') } }),
      tr('pr-b-1', 'b', { status: { steps: [{ name: 's', container: 'step-s', running: { startedAt: 'x' } }] } }),
      tr('other', 'a', { metadata: { name: 'other', labels: { 'tekton.dev/pipelineRun': 'someone-else', 'tekton.dev/pipelineTask': 'a' } } }),
    ];
    const v = pipelineRunView(pr, runs);
    const node = (n: string) => v.nodes.find((x) => x.name === n);
    expect(v.nodes.map((n) => [n.name, n.deps, n.finally])).toEqual([['a', [], false], ['b', ['a'], false], ['c', ['a'], false], ['f', [], true]]);
    expect(node('a')).toMatchObject({ state: 'succeeded', retries: 1 });
    expect(node('a')?.runs[0]?.retries[0]).toMatchObject({ state: 'failed', podName: 'pr-a-pod' });
    expect(node('b')?.runs.map((r) => [r.name, r.state, r.matrix])).toEqual([['pr-b-0', 'succeeded', [{ name: 'os', value: 'l' }]], ['pr-b-1', 'pending', [{ name: 'os', value: 'm' }]]]);
    expect(node('b')).toMatchObject({ matrix: true, state: 'pending' });
    expect(node('c')).toMatchObject({ state: 'skipped', skipped: { reason: 'When Expressions evaluated to false', when: ['dev in [prod]'] } });
    expect(node('f')).toMatchObject({ state: 'waiting', runs: [] });
    expect(v.params).toEqual([{ name: 'env', value: 'dev' }]);
    expect(v.summary).toMatchObject({ state: 'running', pipeline: 'p' });
  });
});
