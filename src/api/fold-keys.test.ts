import { describe, expect, it } from 'vitest';
import { foldKeys } from './fold-keys.js';
import { schemaForKind } from './schemas/index.js';
import { validateObject } from './validate/index.js';

const taskRun = {
  apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'x' },
  spec: { taskSpec: { workspaces: [{ name: 'creds' }], steps: [{ image: 'alpine', script: 'true', workspaces: [{ name: 'creds', mountpath: '/creds' }] }] } },
};

describe('foldKeys (Go encoding/json reads keys case-insensitively)', () => {
  it('renames a key that differs from a declared field only in case', () => {
    const out = foldKeys(schemaForKind('tekton.dev/v1', 'TaskRun'), taskRun);
    expect(out.spec.taskSpec.steps[0]?.workspaces[0]).toEqual({ name: 'creds', mountPath: '/creds' });
    expect(taskRun.spec.taskSpec.steps[0]?.workspaces[0]).toHaveProperty('mountpath');
  });

  it('keeps an exact match and unknown keys as they are', () => {
    const obj = { ...taskRun, spec: { ...taskRun.spec, Timeout: '1m', timeout: '2m', bogus: 1 } };
    const out = foldKeys(schemaForKind('tekton.dev/v1', 'TaskRun'), obj) as unknown as { spec: Record<string, unknown> };
    expect(out.spec).toMatchObject({ Timeout: '1m', timeout: '2m', bogus: 1 });
  });

  it('lets validation accept the folded spelling and still reject unknown fields', () => {
    expect(validateObject(taskRun).errors).toEqual([]);
    const bad = structuredClone(taskRun) as unknown as { spec: { taskSpec: { steps: Array<Record<string, unknown>> } } };
    (bad.spec.taskSpec.steps[0] as Record<string, unknown>).mountPathX = 'y';
    expect(validateObject(bad).errors.map((e) => e.path)).toEqual(['spec.taskSpec.steps[0].mountPathX']);
  });
});
