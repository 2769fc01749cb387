import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { StepActionSpec, TaskRun, TaskSpec } from '../../api/types.js';
import { resolveTaskSpec } from './resolve.js';

interface Case {
  name: string;
  taskName?: string;
  taskRun: { metadata?: TaskRun['metadata']; spec?: TaskRun['spec']; status?: TaskRun['status'] };
  taskSpec: TaskSpec;
  stepActions?: Record<string, StepActionSpec>;
  want?: Partial<TaskSpec>;
  fail?: { reason: string; message: string };
}

const cases = parse(readFileSync(new URL('./fixtures/resolve.yaml', import.meta.url), 'utf8')) as Case[];

function taskRunOf(c: Case): TaskRun {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: 'tr', namespace: 'default', uid: 'uid-1', ...c.taskRun.metadata },
    spec: c.taskRun.spec ?? {},
    ...(c.taskRun.status ? { status: c.taskRun.status } : {}),
  };
}

describe('resolveTaskSpec', () => {
  it.each(cases)('$name', (c) => {
    const taskRun = taskRunOf(c);
    const before = JSON.stringify({ taskRun, spec: c.taskSpec });
    const got = resolveTaskSpec({ taskRun, taskSpec: c.taskSpec, taskName: c.taskName, stepActions: new Map(Object.entries(c.stepActions ?? {})) });
    expect(JSON.stringify({ taskRun, spec: c.taskSpec })).toBe(before);
    if (c.fail) {
      expect(got.ok).toBe(false);
      if (got.ok) return;
      expect(got.reason).toBe(c.fail.reason);
      expect(got.message).toContain(c.fail.message);
    } else {
      if (!got.ok) expect.fail(`${got.reason}: ${got.message}`);
      expect(got.spec).toMatchObject(c.want ?? {});
    }
  });

  it('is deterministic', () => {
    const c = cases[0] as Case;
    const input = { taskRun: taskRunOf(c), taskSpec: c.taskSpec, taskName: c.taskName, stepActions: new Map() };
    expect(resolveTaskSpec(input)).toEqual(resolveTaskSpec(input));
  });
});
