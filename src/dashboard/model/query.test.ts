import { describe, expect, it } from 'vitest';
import { matchLabels, newestFirst, parseRunQuery, QueryError, queryRuns } from './query.js';
import type { RunSummary } from './types.js';

const run = (name: string, created: string, extra: Partial<RunSummary> = {}): RunSummary => ({
  kind: 'PipelineRun', namespace: 'default', name, uid: name, created, state: 'succeeded', labels: {}, ...extra,
});

describe('runs query', () => {
  it('parses filters and refuses bad ones with the parameter named', () => {
    const q = parseRunQuery(new URLSearchParams('kind=TaskRun&status=failed,running&labels=a=b,!c&page=2&pageSize=10&pipeline=p'));
    expect(q).toMatchObject({ kind: 'TaskRun', states: ['failed', 'running'], labels: ['a=b', '!c'], page: 2, pageSize: 10, pipeline: 'p' });
    expect(() => parseRunQuery(new URLSearchParams('status=done'))).toThrow(QueryError);
    expect(() => parseRunQuery(new URLSearchParams('status=done'))).toThrow('status "done": expected one of pending, running, succeeded, failed, cancelled');
    expect(() => parseRunQuery(new URLSearchParams('pageSize=100000'))).toThrow('pageSize "100000"');
    expect(() => parseRunQuery(new URLSearchParams('labels=!a=b'))).toThrow('labels "!a=b"');
    expect(() => parseRunQuery(new URLSearchParams('kind=Pod'))).toThrow('kind "Pod"');
  });

  it('matches label terms like a label selector', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matchLabels(labels, ['app=web', 'tier'])).toBe(true);
    expect(matchLabels(labels, ['app!=web'])).toBe(false);
    expect(matchLabels(labels, ['!tier'])).toBe(false);
    expect(matchLabels(labels, ['env!=prod', '!env'])).toBe(true);
    expect(matchLabels(labels, ['app==api'])).toBe(false);
  });

  it('pages newest first and counts states over the other filters', () => {
    const runs = [
      run('a', '2026-01-01T00:00:01Z'), run('b', '2026-01-01T00:00:03Z', { state: 'failed' }),
      run('c', '2026-01-01T00:00:02Z', { namespace: 'other' }), run('d', '2026-01-01T00:00:03Z'),
    ].sort(newestFirst);
    expect(runs.map((r) => r.name)).toEqual(['b', 'd', 'c', 'a']);
    const page = queryRuns(runs, { labels: [], states: ['succeeded'], page: 1, pageSize: 1, namespace: 'default' }, { version: 7, synced: true });
    expect(page.items.map((r) => r.name)).toEqual(['a']);
    expect(page.total).toBe(2);
    expect(page.counts).toEqual({ pending: 0, running: 0, succeeded: 2, failed: 1, cancelled: 0 });
    expect(page.version).toBe(7);
  });
});
