import { describe, expect, it } from 'vitest';
import { kindFor } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { jsonPath } from './jsonpath.js';
import { humanDuration, podSummary } from './table-core.js';
import { toTable } from './table.js';

describe('jsonPath', () => {
  const o = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Succeeded', status: 'True', reason: 'Done' }] }, a: { 'x.y': [1, 2] } };
  it('evaluates fields, filters, indexes, wildcards and quoted keys', () => {
    expect(jsonPath('.status.conditions[?(@.type=="Succeeded")].reason', o)).toEqual(['Done']);
    expect(jsonPath('.status.conditions[?(@.type!="Succeeded")].type', o)).toEqual(['Ready']);
    expect(jsonPath('.status.conditions[1].status', o)).toEqual(['True']);
    expect(jsonPath('.status.conditions[*].type', o)).toEqual(['Ready', 'Succeeded']);
    expect(jsonPath(".a['x.y'][0]", o)).toEqual([1]);
    expect(jsonPath('.missing.field', o)).toEqual([]);
  });
});

describe('tables', () => {
  it('formats ages like Kubernetes', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(3 * 3600_000 + 60_000)).toBe('3h1m');
    expect(humanDuration(50 * 3600_000)).toBe('2d2h');
    expect(humanDuration(400 * 24 * 3600_000)).toBe('400d');
  });

  it('computes pod READY / STATUS / RESTARTS like kubectl', () => {
    const pod = (status: unknown, extra: Partial<KubeObject> = {}): KubeObject =>
      ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b' }] }, status, ...extra });
    expect(podSummary(pod({ phase: 'Pending', initContainerStatuses: [{ state: { running: {} } }] }))).toMatchObject({ reason: 'Init:0/1', ready: 0, total: 2 });
    const running = { phase: 'Running', initContainerStatuses: [{ state: { terminated: { exitCode: 0 } } }], containerStatuses: [
      { ready: true, restartCount: 1, state: { running: {} } }, { ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }] };
    expect(podSummary(pod(running))).toMatchObject({ reason: 'Error', ready: 1, restarts: 1 });
    expect(podSummary(pod({ phase: 'Running' }, { metadata: { name: 'p', deletionTimestamp: 'x' } })).reason).toBe('Terminating');
  });

  it('renders a PipelineRun Table with the registry columns', () => {
    const info = kindFor('tekton.dev/v1', 'PipelineRun');
    if (!info) throw new Error('no PipelineRun kind');
    const now = new Date('2025-01-01T00:10:00Z');
    const pr = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r', creationTimestamp: '2025-01-01T00:00:00Z' },
      status: { startTime: '2025-01-01T00:05:00Z', conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] } } as KubeObject;
    const t = toTable(info, [pr], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Succeeded', 'Reason', 'StartTime', 'CompletionTime']);
    expect(t.rows[0]?.cells).toEqual(['r', 'Unknown', 'Running', '5m', null]);
  });
});
