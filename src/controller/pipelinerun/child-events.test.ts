import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { mattersToParent } from './child-events.js';

function taskRun(patch: { status?: object; spec?: object; labels?: Record<string, string>; owners?: object[] } = {}): KubeObject {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
    metadata: {
      name: 'r-t1', namespace: 'ns', resourceVersion: '1',
      labels: { 'tekton.dev/pipelineRun': 'r', 'tekton.dev/pipelineTask': 't1', ...(patch.labels ?? {}) },
      ownerReferences: (patch.owners ?? [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'r', uid: 'u1', controller: true }]) as never,
    },
    spec: { taskRef: { name: 't' }, ...(patch.spec ?? {}) },
    ...(patch.status ? { status: patch.status } : {}),
  } as KubeObject;
}

const cond = (status: string, reason: string) => ({ conditions: [{ type: 'Succeeded', status, reason, message: 'm' }] });

describe('mattersToParent: which child updates wake the parent PipelineRun', () => {
  it('ignores progress the planner does not read: pod name, start time, a running reason or message, other labels', () => {
    const created = taskRun();
    const pending = taskRun({ status: { ...cond('Unknown', 'Pending'), podName: 'p', startTime: 't' } });
    expect(mattersToParent(pending, created)).toBe(false);
    const running = taskRun({ status: { ...cond('Unknown', 'Running'), podName: 'p', startTime: 't', steps: [{ name: 's' }] } });
    expect(mattersToParent(running, pending)).toBe(false);
    expect(mattersToParent(taskRun({ labels: { 'tekton.dev/task': 'x' } }), created)).toBe(false);
  });

  it('wakes it when the child finishes, with the reason, completion time, results or artifacts', () => {
    const running = taskRun({ status: cond('Unknown', 'Running') });
    expect(mattersToParent(taskRun({ status: cond('True', 'Succeeded') }), running)).toBe(true);
    const failed = taskRun({ status: cond('False', 'Failed') });
    expect(mattersToParent(taskRun({ status: cond('False', 'TaskRunCancelled') }), failed)).toBe(true);
    expect(mattersToParent(taskRun({ status: { ...cond('False', 'Failed'), completionTime: 'x' } }), failed)).toBe(true);
    expect(mattersToParent(taskRun({ status: { ...cond('Unknown', 'Running'), results: [{ name: 'a', value: 'b' }] } }), running)).toBe(true);
    expect(mattersToParent(taskRun({ status: { ...cond('Unknown', 'Running'), artifacts: { outputs: [] } } }), running)).toBe(true);
  });

  it('wakes it when a cancel was asked, or the labels and owners the planner groups by change', () => {
    const base = taskRun();
    expect(mattersToParent(taskRun({ spec: { status: 'TaskRunCancelled' } }), base)).toBe(true);
    expect(mattersToParent(taskRun({ spec: { statusMessage: 'x' } }), base)).toBe(true);
    expect(mattersToParent(taskRun({ labels: { 'tekton.dev/pipelineTask': 't2' } }), base)).toBe(true);
    expect(mattersToParent(taskRun({ owners: [] }), base)).toBe(true);
  });
});
