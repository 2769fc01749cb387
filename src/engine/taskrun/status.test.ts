import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TaskRunStatus, TaskSpec } from '../../api/types.js';
import type { PodFixture, TaskRunFixture } from './fixture-objects.js';
import { podFrom, taskRunFrom } from './fixture-objects.js';
import { taskRunStatusFromPod } from './status.js';

interface Case {
  name: string;
  taskRun?: TaskRunFixture;
  spec: TaskSpec;
  pod: PodFixture;
  want: Partial<TaskRunStatus>;
  absent?: string[];
}

const cases = parse(readFileSync(new URL('./fixtures/status.yaml', import.meta.url), 'utf8')) as Case[];
const now = new Date('2024-01-01T00:10:00Z');

describe('taskRunStatusFromPod', () => {
  it.each(cases)('$name', (c) => {
    const taskRun = taskRunFrom(c.taskRun);
    const pod = podFrom(c.pod);
    const frozen = JSON.stringify({ taskRun, pod });
    const got = taskRunStatusFromPod({ taskRun, spec: c.spec, pod, now });
    expect(JSON.stringify({ taskRun, pod })).toBe(frozen);
    expect(got).toMatchObject(c.want);
    for (const field of c.absent ?? []) expect(got).not.toHaveProperty(field);
  });
});
