import { describe, expect, it } from 'vitest';
import type { PipelineRun, PipelineSpec, TaskRun } from '../../api/types.js';
import { newPlanMemo } from './memo.js';
import { planPipelineRun } from './plan.js';
import type { PipelineRunFacts, TaskEntry } from './types.js';

const config = { defaultTimeoutMinutes: 60, maxMatrixCombinations: 256, managedByLabel: 'tekton-pipelines' };

function wide(n: number): { pr: PipelineRun; spec: PipelineSpec; tasks: Map<string, TaskEntry> } {
  const spec: PipelineSpec = { tasks: Array.from({ length: n }, (_, i) => ({ name: `t${i}`, taskRef: { name: 'step' } })) };
  const pr = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r', namespace: 'ns', uid: 'u1', generation: 1 }, spec: { pipelineRef: { name: 'p' } } } as PipelineRun;
  const entry: TaskEntry = { spec: { steps: [{ name: 's', image: 'i' }] }, taskName: 'step' };
  return { pr, spec, tasks: new Map(spec.tasks?.map((t) => [t.name, entry])) };
}

function facts(w: ReturnType<typeof wide>, taskRuns: TaskRun[], extra: Partial<PipelineRunFacts> = {}): PipelineRunFacts {
  return { pipelineRun: w.pr, pipelineName: 'p', pipelineSpec: w.spec, tasks: w.tasks, taskRuns, now: new Date('2025-01-01T00:00:00Z'), config, ...extra };
}

const finished = (tr: TaskRun): TaskRun => ({ ...tr, metadata: { ...tr.metadata, uid: `${tr.metadata.name}-uid` }, status: { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: '' }] } });

describe('PlanMemo: what a plan derives from the spec, kept between reconciles', () => {
  it('is derived once while the run, its spec and task entries stay the same, and never changes an answer', () => {
    const w = wide(300);
    const memo = newPlanMemo();
    const first = planPipelineRun(facts(w, [], { memo }));
    expect(first.actions).toHaveLength(300);
    const derived = memo.derived;
    const runs = first.actions.flatMap((a) => (a.type === 'createTaskRun' ? [a.taskRun] : []));
    const someDone = runs.map((tr, i) => (i % 3 === 0 ? finished(tr) : tr));
    const withMemo = planPipelineRun(facts({ ...w, pr: { ...w.pr, status: first.status } }, someDone, { memo }));
    expect(memo.derived).toBe(derived);
    const fresh = planPipelineRun(facts({ ...w, pr: { ...w.pr, status: first.status } }, someDone));
    expect(withMemo).toEqual(fresh);
    expect(withMemo.status.conditions?.[0]?.message).toBe('Tasks Completed: 100 (Failed: 0, Cancelled 0), Incomplete: 200, Skipped: 0');
    // the childReferences entries are the same objects from one plan to the next
    expect(withMemo.status.childReferences?.[5]).toBe(first.status.childReferences?.[5]);
  });

  it('is derived again for a new generation, another spec or task entries object, other settings', () => {
    const w = wide(3);
    const memo = newPlanMemo();
    planPipelineRun(facts(w, [], { memo }));
    let last = memo.derived;
    const changes: Array<Partial<PipelineRunFacts>> = [
      { pipelineRun: { ...w.pr, metadata: { ...w.pr.metadata, generation: 2 } } },
      { pipelineSpec: structuredClone(w.spec) },
      { tasks: new Map(w.tasks) },
      { config: { ...config, defaultTimeoutMinutes: 5 } },
      { ancestorPipelines: ['x'] },
    ];
    for (const change of changes) {
      planPipelineRun(facts(w, [], { memo, ...change }));
      expect(memo.derived).not.toBe(last);
      last = memo.derived;
    }
  });

  it('keeps a failure found at start-up (Tekton\'s reason and message)', () => {
    const w = wide(2);
    w.spec.tasks = [{ name: 'a', taskRef: { name: 'step' }, runAfter: ['b'] }, { name: 'b', taskRef: { name: 'step' }, runAfter: ['a'] }];
    const memo = newPlanMemo();
    const a = planPipelineRun(facts(w, [], { memo }));
    const b = planPipelineRun(facts(w, [], { memo }));
    expect(a.status.conditions?.[0]?.reason).toBe('PipelineInvalidGraph');
    expect(b).toEqual(a);
  });
});
