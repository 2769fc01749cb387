import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults.js';
import type { KubeObject, PipelineRun, Task, TaskRun } from './types.js';

describe('applyDefaults', () => {
  it('infers param types from defaults and sets result and property types, without touching the input', () => {
    const task = {
      apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' },
      spec: {
        params: [
          { name: 's' }, { name: 'a', default: ['x'] }, { name: 'o', properties: { k: {} } },
          { name: 'n', default: 3 as unknown as string },
        ],
        results: [{ name: 'r' }, { name: 'obj', properties: { k: {} } }],
        steps: [{ image: 'busybox', script: 'true' }],
      },
    } as Task;
    const before = structuredClone(task);
    const out = applyDefaults(task);
    expect(task).toEqual(before);
    expect(out.spec.params?.map((p) => p.type)).toEqual(['string', 'array', 'object', 'string']);
    expect(out.spec.params?.[3]?.default).toBe('3');
    expect(out.spec.params?.[2]?.properties).toEqual({ k: { type: 'string' } });
    expect(out.spec.results?.map((r) => r.type)).toEqual(['string', 'object']);
  });

  it('gives a TaskRun a 1h timeout, the default service account and taskRef kind Task', () => {
    const tr = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r' }, spec: { taskRef: { name: 'x' } } } as TaskRun;
    const out = applyDefaults(tr);
    expect(out.spec).toEqual({ taskRef: { name: 'x', kind: 'Task' }, timeout: '1h0m0s', serviceAccountName: 'default' });
  });

  it('keeps explicit TaskRun values and leaves resolver refs alone', () => {
    const tr = {
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r' },
      spec: { taskRef: { resolver: 'git', params: [] }, timeout: '0', serviceAccountName: 'sa' },
    } as TaskRun;
    expect(applyDefaults(tr).spec).toEqual(tr.spec);
  });

  it('gives a PipelineRun timeouts.pipeline and taskRunTemplate.serviceAccountName, defaulting its inline spec', () => {
    const pr = {
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'p-' },
      spec: {
        timeouts: { tasks: '10m' },
        pipelineSpec: { tasks: [{ name: 'a', taskRef: { name: 't' } }], params: [{ name: 'p', default: { k: 'v' } }] },
      },
    } as PipelineRun;
    const out = applyDefaults(pr);
    expect(out.spec.timeouts).toEqual({ tasks: '10m', pipeline: '1h0m0s' });
    expect(out.spec.taskRunTemplate).toEqual({ serviceAccountName: 'default' });
    expect(out.spec.pipelineSpec?.tasks?.[0]?.taskRef).toEqual({ name: 't', kind: 'Task' });
    expect(out.spec.pipelineSpec?.params?.[0]?.type).toBe('object');
  });

  it('defaults trigger binding and interceptor kinds', () => {
    const trig = {
      apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'Trigger', metadata: { name: 't' },
      spec: { template: { ref: 'tt' }, bindings: [{ ref: 'b' }, { name: 'x', value: 'y' }], interceptors: [{ ref: { name: 'cel' } }] },
    } as KubeObject;
    const out = applyDefaults(trig) as KubeObject & { spec: { bindings: unknown[]; interceptors: unknown[] } };
    expect(out.spec.bindings).toEqual([{ ref: 'b', kind: 'TriggerBinding' }, { name: 'x', value: 'y' }]);
    expect(out.spec.interceptors).toEqual([{ ref: { name: 'cel', kind: 'ClusterInterceptor' } }]);
  });

  it('copies core objects unchanged', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    const out = applyDefaults(cm);
    expect(out).toEqual(cm);
    expect(out).not.toBe(cm);
  });
});
