import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TaskRunStatus } from '../../api/types.js';
import { decideTaskRun } from './decide.js';
import type { TaskRunAction } from './finish.js';
import type { PodFixture, TaskRunFixture } from './fixture-objects.js';
import { podFrom, taskRunFrom } from './fixture-objects.js';
import type { ResolvedTaskSpec } from './resolve.js';

interface Case {
  name: string;
  taskRun: TaskRunFixture;
  resolved?: ResolvedTaskSpec | 'none';
  pod?: PodFixture;
  defaultTimeoutMs?: number;
  keepPodOnCancel?: boolean;
  unchanged?: boolean;
  absent?: string[];
  want: { status?: Partial<TaskRunStatus>; actions: TaskRunAction[]; requeueAfterMs?: number | null };
}

const cases = parse(readFileSync(new URL('./fixtures/decide.yaml', import.meta.url), 'utf8')) as Case[];
const now = new Date('2024-01-01T01:00:00Z');
const defaultResolved: ResolvedTaskSpec = { ok: true, spec: { steps: [{ name: 'a' }] } };

describe('decideTaskRun', () => {
  it.each(cases)('$name', (c) => {
    const taskRun = taskRunFrom(c.taskRun);
    const pod = c.pod ? podFrom(c.pod) : undefined;
    const resolved = c.resolved === 'none' ? undefined : (c.resolved ?? defaultResolved);
    const frozen = JSON.stringify({ taskRun, pod });
    const plan = decideTaskRun({ taskRun, resolved, pod, now, defaultTimeoutMs: c.defaultTimeoutMs ?? 3_600_000, keepPodOnCancel: c.keepPodOnCancel });
    expect(JSON.stringify({ taskRun, pod })).toBe(frozen);
    if (c.unchanged) expect(plan.status).toEqual(taskRun.status ?? {});
    if (c.want.status) expect(plan.status).toMatchObject(c.want.status);
    expect(plan.actions).toEqual(c.want.actions);
    if (c.want.requeueAfterMs === null) expect(plan.requeueAfterMs).toBeUndefined();
    else if (c.want.requeueAfterMs !== undefined) expect(plan.requeueAfterMs).toBe(c.want.requeueAfterMs);
    for (const field of c.absent ?? []) expect(plan.status).not.toHaveProperty(field);
  });

  it('is idempotent: deciding again on its own status with the same pod creates nothing new', () => {
    const taskRun = taskRunFrom({});
    const first = decideTaskRun({ taskRun, resolved: defaultResolved, now, defaultTimeoutMs: 3_600_000 });
    const again = decideTaskRun({ taskRun: { ...taskRun, status: first.status }, resolved: defaultResolved, now, defaultTimeoutMs: 3_600_000 });
    expect(again.actions).toEqual([{ type: 'createPod', podName: 'tr-pod' }]);
    expect(again.status.startTime).toBe(first.status.startTime);
    const pod = podFrom({ containers: ['step-a'], annotations: { 'tekton.dev/ready': 'READY' }, status: { phase: 'Pending' } });
    const withPod = decideTaskRun({ taskRun: { ...taskRun, status: first.status }, resolved: defaultResolved, pod, now, defaultTimeoutMs: 3_600_000 });
    expect(withPod.actions).toEqual([]);
    expect(withPod.status.conditions).toEqual(first.status.conditions);
  });
});
