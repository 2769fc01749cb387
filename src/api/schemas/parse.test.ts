import { describe, expect, it } from 'vitest';
import { TaskRunSchema } from './index.js';
import { JIT_AFTER, safeParse } from './parse.js';

const valid = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'a' }, spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'echo hi' }] } } };
const invalid = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'a' }, spec: { taskSpec: { steps: [{ name: 7, image: 'busybox', extra: true }] } } };

describe('safeParse (zod compiled only after a few parses)', () => {
  it('answers the same before and after zod compiles its parser', () => {
    const answers = Array.from({ length: JIT_AFTER + 2 }, () => [safeParse(TaskRunSchema, valid), safeParse(TaskRunSchema, invalid, { reportInput: true })]);
    const [first, last] = [answers[0], answers[answers.length - 1]];
    expect(first?.[0]?.success).toBe(true);
    expect(last?.[0]).toEqual(first?.[0]);
    expect(first?.[1]?.success).toBe(false);
    expect(last?.[1]?.error?.issues).toEqual(first?.[1]?.error?.issues);
    expect(first?.[1]?.error?.issues.map((i) => i.path.join('.'))).toContain('spec.taskSpec.steps.0.name');
    // the same as zod's own answers, compiled or not
    expect(TaskRunSchema.safeParse(invalid, { reportInput: true }).error?.issues).toEqual(first?.[1]?.error?.issues);
    expect(TaskRunSchema.safeParse(invalid, { reportInput: true, jitless: true }).error?.issues).toEqual(first?.[1]?.error?.issues);
  });
});
