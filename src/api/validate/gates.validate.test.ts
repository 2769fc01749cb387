import { describe, expect, it } from 'vitest';
import { validateObject } from './index.js';

const taskRun = (spec: object) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr' }, spec });
const pipeline = (tasks: object[]) => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec: { tasks } });
const steps = [{ name: 'a', image: 'busybox', script: 'true' }];
const errorsOf = (obj: object, level: 'stable' | 'beta' | 'alpha', more = {}) => validateObject(obj, { features: { enableApiFields: level, ...more } }).errors;

describe('feature gates at admission (enable-api-fields and per-feature flags)', () => {
  it('alpha fields need alpha, with Tekton\'s message', () => {
    const tr = taskRun({ debug: { breakpoints: { onFailure: 'enabled' } }, taskSpec: { steps } });
    expect(errorsOf(tr, 'beta')).toEqual([{ path: 'spec.debug', message: 'debug requires "enable-api-fields" feature gate to be "alpha" but it is "beta"' }]);
    expect(errorsOf(tr, 'alpha')).toEqual([]);
    const nested = pipeline([{ name: 'child', pipelineRef: { name: 'other' } }]);
    expect(errorsOf(nested, 'beta')).toEqual([{ path: 'spec.tasks[0].pipelineRef', message: 'pipelineRef requires "enable-api-fields" feature gate to be "alpha" but it is "beta"' }]);
    expect(errorsOf(nested, 'alpha')).toEqual([]);
  });

  it('debug breakpoints as Tekton validates them: onFailure must be enabled (also with beforeSteps), beforeSteps unique', () => {
    const bp = (breakpoints: object) => errorsOf(taskRun({ debug: { breakpoints }, taskSpec: { steps } }), 'alpha');
    expect(bp({ onFailure: 'enabled', beforeSteps: ['a'] })).toEqual([]);
    expect(bp({ beforeSteps: ['a'] })).toEqual([{ path: 'spec.debug.breakpoints.onFailure', message: expect.stringMatching(/^invalid value: onFailure breakpoint is empty, it is only allowed to be set as enabled/) }]);
    expect(bp({ onFailure: 'yes' })).toEqual([{ path: 'spec.debug.breakpoints.onFailure', message: 'invalid value: yes is not a valid onFailure breakpoint value, onFailure breakpoint is only allowed to be set as enabled' }]);
    expect(bp({ onFailure: 'enabled', beforeSteps: ['a', 'a'] })).toEqual([{ path: 'spec.debug.breakpoints.beforeSteps[1]', message: 'before step must be unique, the same step: a is defined multiple times' }]);
  });

  it('beta fields need beta or alpha', () => {
    const when = taskRun({ taskSpec: { steps: [{ ...steps[0], when: [{ input: 'a', operator: 'in', values: ['a'] }] }] } });
    expect(errorsOf(when, 'stable')[0]?.message).toBe('step when expressions requires "enable-api-fields" feature gate to be "beta" but it is "stable"');
    expect(errorsOf(when, 'beta')).toEqual([]);
    const matrix = pipeline([{ name: 't', taskRef: { name: 'x' }, matrix: { params: [{ name: 'p', value: ['a', 'b'] }] } }]);
    expect(errorsOf(matrix, 'stable').map((e) => e.path)).toEqual(['spec.tasks[0].matrix']);
  });

  it('flag-gated fields need their flag', () => {
    const cel = pipeline([{ name: 't', taskRef: { name: 'x' }, when: [{ cel: "'a' == 'a'" }] }]);
    expect(errorsOf(cel, 'alpha')[0]?.message).toBe("feature flag enable-cel-in-whenexpression should be set to true to use CEL: 'a' == 'a' in WhenExpression");
    expect(errorsOf(cel, 'alpha', { enableCelInWhenExpression: true })).toEqual([]);
    const task = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { params: [{ name: 'p', enum: ['a', 'b'] }], steps } };
    expect(errorsOf(task, 'alpha')[0]?.message).toBe('feature flag `enable-param-enum` should be set to true to use Enum');
    expect(errorsOf(task, 'alpha', { enableParamEnum: true })).toEqual([]);
  });

  it('nothing is gated without flags (local checks)', () => {
    expect(validateObject(pipeline([{ name: 'child', pipelineRef: { name: 'other' } }])).errors).toEqual([]);
  });
});
