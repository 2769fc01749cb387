import { describe, expect, it } from 'vitest';
import { validateRunUpdate } from './update.validate.js';

const run = (kind: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ kind, spec, ...(status ? { status } : {}) });
const started = { startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Succeeded', status: 'Unknown' }] };
const done = { startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Succeeded', status: 'True' }] };

describe('validateRunUpdate (Tekton ValidateUpdate)', () => {
  it('lets a run that has not started change freely', () => {
    expect(validateRunUpdate(run('PipelineRun', { params: [{ name: 'a', value: '2' }] }), run('PipelineRun', { params: [] }))).toEqual([]);
  });

  it('lets a started run change only status (and a TaskRun statusMessage)', () => {
    expect(validateRunUpdate(run('TaskRun', { taskRef: { name: 't' }, status: 'TaskRunCancelled', statusMessage: 'm' }, started), run('TaskRun', { taskRef: { name: 't' } }, started))).toEqual([]);
    expect(validateRunUpdate(run('PipelineRun', { timeouts: { pipeline: '2h' } }, started), run('PipelineRun', { timeouts: { pipeline: '1h' } }, started))).toEqual([
      { path: 'spec', message: 'invalid value: Once the PipelineRun has started, only status updates are allowed' },
    ]);
  });

  it('refuses any spec change of a finished run, and a managedBy change', () => {
    expect(validateRunUpdate(run('TaskRun', { taskRef: { name: 't' }, status: 'TaskRunCancelled' }, done), run('TaskRun', { taskRef: { name: 't' } }, done))).toEqual([
      { path: 'spec', message: 'invalid value: Once the TaskRun is complete, no updates are allowed' },
    ]);
    expect(validateRunUpdate(run('TaskRun', { taskRef: { name: 't' } }, done), run('TaskRun', { taskRef: { name: 't' } }, done))).toEqual([]);
    expect(validateRunUpdate(run('TaskRun', { managedBy: 'x' }), run('TaskRun', {}))).toEqual([{ path: 'spec.managedBy', message: 'invalid value: managedBy is immutable' }]);
  });
});
