import { describe, expect, it } from 'vitest';
import { validateObject } from '../validate/index.js';
import { checkV1beta1, v1beta1Path } from './paths.js';

describe('v1beta1Path', () => {
  const pr = { kind: 'PipelineRun', spec: { timeout: '1h' } };
  it.each([
    ['spec.taskRunTemplate.serviceAccountName', 'spec.serviceAccountName'],
    ['spec.taskRunTemplate.podTemplate.nodeSelector', 'spec.podTemplate.nodeSelector'],
    ['spec.taskRunSpecs[2].serviceAccountName', 'spec.taskRunSpecs[2].taskServiceAccountName'],
    ['spec.taskRunSpecs[0].podTemplate.env[1]', 'spec.taskRunSpecs[0].taskPodTemplate.env[1]'],
    ['spec.taskRunSpecs[0].stepSpecs[1].computeResources', 'spec.taskRunSpecs[0].stepOverrides[1].resources'],
    ['spec.taskRunSpecs[0].computeResources', 'spec.taskRunSpecs[0].computeResources'],
    ['spec.pipelineSpec.tasks[0].taskSpec.steps[3].computeResources.limits', 'spec.pipelineSpec.tasks[0].taskSpec.steps[3].resources.limits'],
    ['spec.timeouts.pipeline', 'spec.timeout'],
    ['spec.params[0].value', 'spec.params[0].value'],
  ])('%s -> %s', (v1, b1) => expect(v1beta1Path(v1, pr)).toBe(b1));

  it('keeps timeouts.pipeline when the user wrote timeouts', () => {
    expect(v1beta1Path('spec.timeouts.pipeline', { kind: 'PipelineRun', spec: { timeouts: {} } })).toBe('spec.timeouts.pipeline');
  });
});

describe('checkV1beta1 (Tekton v1beta1 webhook refusals)', () => {
  it('refuses PipelineResources wherever v1beta1 had them', () => {
    const paths = (o: unknown): string[] => checkV1beta1(o).map((e) => e.path);
    expect(paths({ kind: 'Task', spec: { resources: { inputs: [] } } })).toEqual(['spec.resources']);
    expect(paths({ kind: 'TaskRun', spec: { resources: {}, taskSpec: { resources: {} } } })).toEqual(['spec.resources', 'spec.taskSpec.resources']);
    expect(paths({ kind: 'Pipeline', spec: { resources: [], tasks: [{ name: 'a', resources: {} }], finally: [{ name: 'f', taskSpec: { resources: {} } }] } }))
      .toEqual(['spec.resources', 'spec.tasks[0].resources', 'spec.finally[0].taskSpec.resources']);
    expect(checkV1beta1({ kind: 'Task', spec: { resources: {} } })[0]?.message).toMatch(/^must not set the field\(s\)/);
  });

  it('refuses timeout together with timeouts', () => {
    expect(checkV1beta1({ kind: 'PipelineRun', spec: { timeout: '1h', timeouts: { pipeline: '1h' } } })[0]?.message).toContain('spec.timeout, spec.timeouts');
  });
});

describe('validateObject on v1beta1 documents', () => {
  it('accepts the v1beta1-only fields by converting them', () => {
    const pr = {
      apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'x' },
      spec: {
        pipelineRef: { name: 'p' }, serviceAccountName: 'sa', timeout: '1h', podTemplate: { nodeSelector: { a: 'b' } },
        taskRunSpecs: [{ pipelineTaskName: 't', taskServiceAccountName: 'sa2', taskPodTemplate: { nodeSelector: { c: 'd' } } }],
      },
    };
    expect(validateObject(pr)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('names the v1beta1 fields in errors', () => {
    const tr = {
      apiVersion: 'tekton.dev/v1beta1', kind: 'TaskRun', metadata: { name: 'x' },
      spec: { taskRef: { name: 't' }, stepOverrides: [{ name: 's', resources: { limits: { cpu: 1 } }, bogus: 1 }] },
    };
    const r = validateObject(tr);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.path).every((p) => p.startsWith('spec.stepOverrides[0]'))).toBe(true);
  });

  it('refuses PipelineResources with Tekton\'s message and the path the user wrote', () => {
    const t = { apiVersion: 'tekton.dev/v1beta1', kind: 'Task', metadata: { name: 'x' }, spec: { resources: { inputs: [{ name: 's', type: 'git' }] }, steps: [{ name: 's', image: 'alpine' }] } };
    const r = validateObject(t);
    expect(r.errors).toEqual([expect.objectContaining({ path: 'spec.resources', message: expect.stringMatching(/^must not set the field\(s\)/) })]);
  });

  it('reports tekton.dev/v1 names in a v1beta1 document as unknown fields (Tekton decodes v1beta1 strictly)', () => {
    const pr = {
      apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'x' },
      spec: { pipelineRef: { name: 'p' }, taskRunTemplate: { serviceAccountName: 'sa' }, taskRunSpecs: [{ pipelineTaskName: 't', stepSpecs: [] }] },
    };
    const strict = validateObject(pr);
    expect(strict.errors.map((e) => e.path)).toEqual(['spec.taskRunTemplate', 'spec.taskRunSpecs[0].stepSpecs']);
    expect(strict.errors[1]?.message).toBe('unknown field "stepSpecs"; tekton.dev/v1beta1 calls it "stepOverrides" ("stepSpecs" is its tekton.dev/v1 name)');
    const warn = validateObject(pr, { unknownFields: 'Warn' });
    expect(warn.ok).toBe(true);
    expect(warn.warnings).toHaveLength(2);
    const task = { apiVersion: 'tekton.dev/v1beta1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', image: 'x', computeResources: {} }] } };
    expect(validateObject(task).errors.map((e) => e.path)).toEqual(['spec.steps[0].computeResources']);
  });
});
