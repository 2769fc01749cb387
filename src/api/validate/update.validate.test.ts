import { describe, expect, it } from 'vitest';
import { validateObject } from './index.js';
import { validateRunControl, validateRunUpdate } from './update.validate.js';

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

describe('validateRunControl (the control fields alone, for cancel/stop updates)', () => {
  it('gives the errors full validation gives at those fields', () => {
    const tr = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr' }, spec: { taskRef: { name: 't' }, ...spec }, ...(status ? { status } : {}) });
    const pr = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr' }, spec: { pipelineRef: { name: 'p' }, ...spec }, ...(status ? { status } : {}) });
    const cases = [
      tr({ status: 'TaskRunCancelled', statusMessage: 'm' }, started), tr({ statusMessage: 'm' }, started), tr({ status: 'TaskRunPending' }, started),
      tr({ status: 'TaskRunPending' }), pr({ status: 'PipelineRunPending' }, started), pr({ status: 'Cancelled' }, started),
    ];
    for (const c of cases) {
      const full = validateObject(c).errors.filter((e) => e.path === 'spec.status' || e.path === 'spec.statusMessage');
      expect(validateRunControl(c), JSON.stringify(c.spec)).toEqual(full.map((e) => ({ path: e.path, message: e.message })));
    }
  });
});

describe('validateRunUpdate with onlyControl (the specs differ at most in status/statusMessage)', () => {
  it('answers as the full comparison does', () => {
    const specs: Record<string, unknown>[] = [{}, { status: 'TaskRunCancelled' }, { status: 'TaskRunCancelled', statusMessage: 'm' }, { statusMessage: 'm' }, { status: 'Cancelled' }, { status: 'StoppedRunFinally' }];
    for (const kind of ['TaskRun', 'PipelineRun']) {
      for (const status of [undefined, started, done]) {
        for (const a of specs) {
          for (const b of specs) {
            const next = run(kind, { taskRef: { name: 't' }, ...a }, status);
            const prev = run(kind, { taskRef: { name: 't' }, ...b }, status);
            expect(validateRunUpdate(next, prev, true), `${kind} ${JSON.stringify(b)} -> ${JSON.stringify(a)}`).toEqual(validateRunUpdate(next, prev));
          }
        }
      }
    }
  });
});
