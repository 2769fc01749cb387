import { describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../api/types.js';
import type { TaskEntry } from './resolve.js';
import { coalesceFor } from './reconciler.js';
import { RunCaches, cachedSpec, stableTasks, withWrittenStatus } from './run-cache.js';

const run = (uid: string, generation: number, status?: PipelineRun['status'], rv = '1'): PipelineRun =>
  ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r', namespace: 'ns', uid, generation, resourceVersion: rv }, spec: {}, ...(status ? { status } : {}) }) as PipelineRun;

describe('RunCaches: what the PipelineRun reconciler keeps per run', () => {
  it('keeps an entry per run and generation; a new generation or another run of the same name starts afresh', () => {
    const caches = new RunCaches();
    const e = caches.entry('ns/r', run('u1', 1));
    e.written = { resourceVersion: '5', status: { startTime: 'x' } };
    expect(caches.entry('ns/r', run('u1', 1))).toBe(e);
    const next = caches.entry('ns/r', run('u1', 2));
    expect(next).not.toBe(e);
    expect(next.written).toEqual(e.written);
    expect(caches.entry('ns/r', run('u2', 1)).written).toBeUndefined();
    caches.drop('ns/r');
    expect(caches.size).toBe(0);
  });

  it('reuses the fetched spec only once the run\'s status holds it', () => {
    const caches = new RunCaches();
    const e = caches.entry('ns/r', run('u1', 1));
    e.fetched = { ok: true, spec: { tasks: [] }, pipelineName: 'p' };
    expect(cachedSpec(e, run('u1', 1))).toBeUndefined();
    expect(cachedSpec(e, run('u1', 1, { pipelineSpec: { tasks: [] } }))).toBe(e.fetched);
  });

  it('keeps the task entries map while every entry is equal, takes the new one when one changed', () => {
    const e = new RunCaches().entry('ns/r', run('u1', 1));
    const task: TaskEntry = { spec: { steps: [{ name: 's', image: 'i' }] }, taskName: 't' };
    const first = new Map<string, TaskEntry>([['a', task], ['b', task]]);
    expect(stableTasks(e, first)).toBe(first);
    const copy = structuredClone(task);
    expect(stableTasks(e, new Map([['a', copy], ['b', copy]]))).toBe(first);
    const changed = new Map<string, TaskEntry>([['a', copy], ['b', { error: 'gone', reason: 'CouldntGetTask' }]]);
    expect(stableTasks(e, changed)).toBe(changed);
    const fewer = new Map<string, TaskEntry>([['a', copy]]);
    expect(stableTasks(e, fewer)).toBe(fewer);
  });

  it('compares the next status with the last written one while the run read is that write', () => {
    const e = new RunCaches().entry('ns/r', run('u1', 1));
    const written = { startTime: 'x', childReferences: [] };
    e.written = { resourceVersion: '7', status: written };
    expect(withWrittenStatus(e, run('u1', 1, { startTime: 'x' }, '7')).status).toBe(written);
    const other = run('u1', 1, { startTime: 'y' }, '8');
    expect(withWrittenStatus(e, other)).toBe(other);
  });

  it('coalesces child events of runs of at least 100 children, in proportion to their number', () => {
    expect(coalesceFor(5)).toBe(0);
    expect(coalesceFor(99)).toBe(0);
    expect(coalesceFor(2000)).toBe(100);
    expect(coalesceFor(5000)).toBe(250);
    expect(coalesceFor(100_000)).toBe(1000);
  });
});
