import { describe, expect, it } from 'vitest';
import type { CustomRun, KubeObject, PipelineRun, Pod, TaskRun } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { Informer, labelIndex } from './informer.js';
import { indexPodsByTaskRun, retainRunningWork } from './retention.js';

const done = { conditions: [{ type: 'Succeeded', status: 'True' }], completionTime: '2026-01-01T00:00:00Z' };
const running = { conditions: [{ type: 'Succeeded', status: 'Unknown' }] };
const obj = (kind: string, name: string, rv: string, labels: Record<string, string>, status?: object): KubeObject =>
  ({ apiVersion: kind === 'Pod' ? 'v1' : 'tekton.dev/v1', kind, metadata: { name, namespace: 'ns', resourceVersion: rv, labels }, ...(status ? { status } : {}) } as KubeObject);
const inf = <T extends KubeObject>(kind: string): Informer<T> => new Informer<T>({} as KubeClient, { apiVersion: kind === 'Pod' ? 'v1' : 'tekton.dev/v1', kind });
/** Delivers an object as the watch would (the informer's private event path). */
const deliver = (i: Informer<KubeObject>, o: KubeObject): void => (i as unknown as { upsert(k: string, o: KubeObject): void }).upsert(`ns/${o.metadata.name}`, o);

function caches() {
  const c = { pipelineRuns: inf<PipelineRun>('PipelineRun'), taskRuns: inf<TaskRun>('TaskRun'), customRuns: inf<CustomRun>('CustomRun'), pods: inf<Pod>('Pod') };
  c.taskRuns.addIndex('tekton.dev/pipelineRun', labelIndex('tekton.dev/pipelineRun'));
  c.pipelineRuns.addIndex('tekton.dev/pipelineRun', labelIndex('tekton.dev/pipelineRun'));
  indexPodsByTaskRun(c.pods);
  return { ...c, retention: retainRunningWork(c) };
}
const names = (i: Informer<KubeObject>): string[] => i.list().map((o) => o.metadata.name ?? '').sort();

describe('retainRunningWork', () => {
  it('keeps finished children while their parent runs, lets go of them and of pods once it finishes', () => {
    const c = caches();
    const prs = c.pipelineRuns as unknown as Informer<KubeObject>;
    const trs = c.taskRuns as unknown as Informer<KubeObject>;
    const pods = c.pods as unknown as Informer<KubeObject>;
    // the PipelineRuns are listed first: a finished one without a parent goes at once, a finished child waits for
    // its parent to be listed (here after it)
    deliver(prs, obj('PipelineRun', 'old', '1', {}, done));
    deliver(prs, obj('PipelineRun', 'a-child', '2', { 'tekton.dev/pipelineRun': 'p' }, done));
    deliver(prs, obj('PipelineRun', 'b-child', '3', { 'tekton.dev/pipelineRun': 'old' }, done));
    deliver(prs, obj('PipelineRun', 'p', '4', {}, running));
    expect(names(prs)).toEqual(['a-child', 'b-child', 'p']);
    c.retention.pipelineRunsSynced();
    expect(names(prs)).toEqual(['a-child', 'p']);
    // then TaskRuns and Pods, with the full rules
    deliver(trs, obj('TaskRun', 'old-a', '5', { 'tekton.dev/pipelineRun': 'old' }, done));
    deliver(trs, obj('TaskRun', 'p-a', '6', { 'tekton.dev/pipelineRun': 'p' }, running));
    deliver(pods, obj('Pod', 'old-a-pod', '7', { 'tekton.dev/taskRun': 'old-a' }));
    deliver(pods, obj('Pod', 'p-a-pod', '8', { 'tekton.dev/taskRun': 'p-a' }));
    expect(names(trs)).toEqual(['p-a']);
    expect(names(pods)).toEqual(['p-a-pod']);
    // the child finishes: it stays (the running parent's plan reads it), its pod goes
    const seen: string[] = [];
    trs.addHandlers({ onUpdate: (o) => seen.push(o.metadata.name ?? '') });
    deliver(trs, obj('TaskRun', 'p-a', '9', { 'tekton.dev/pipelineRun': 'p' }, done));
    expect(names(trs)).toEqual(['p-a']);
    expect(names(pods)).toEqual([]);
    expect(seen).toEqual(['p-a']);
    // the parent's final write is observed first: it leaves at once; its child leaves when the watch delivers it
    c.pipelineRuns.observe(obj('PipelineRun', 'p', '10', {}, done) as PipelineRun);
    expect(c.pipelineRuns.get('ns/p')).toBeUndefined();
    deliver(prs, obj('PipelineRun', 'p', '4', {}, running)); // a late older version does not come back
    expect(names(prs)).toEqual(['a-child']);
    deliver(prs, obj('PipelineRun', 'p', '10', {}, done));
    expect(names(prs)).toEqual([]);
    expect(names(trs)).toEqual([]);
    // a finished TaskRun without a parent is never cached; a running one is
    deliver(trs, obj('TaskRun', 'lone', '11', {}, done));
    deliver(trs, obj('TaskRun', 'live', '12', {}, running));
    expect(names(trs)).toEqual(['live']);
  });
});
