import { describe, expect, it } from 'vitest';
import { StepSchema } from '../schemas/index.js';
import { closest, convertIssues, knownKeysAt } from './zod-issues.js';

describe('zod issue conversion', () => {
  it('suggests the closest known field', () => {
    expect(closest('scirpt', ['script', 'args'])).toBe('script');
    expect(closest('Image', ['image'])).toBe('image');
    expect(closest('zzzz', ['image'])).toBeUndefined();
  });
  it('finds the keys an object schema allows at a path', () => {
    expect(knownKeysAt(StepSchema, ['env', 0])).toEqual(['name', 'value', 'valueFrom']);
  });
  it('splits unknown fields from other errors, with paths', () => {
    const r = StepSchema.safeParse({ image: 3, env: [{ name: 'A', vale: 'x' }] }, { reportInput: true });
    if (r.success) throw new Error('expected failure');
    const out = convertIssues(r.error.issues, StepSchema);
    expect(out.errors).toEqual([{ path: 'image', message: 'must be a string, not number 3' }]);
    expect(out.unknownFields).toEqual([{ path: 'env[0].vale', message: 'unknown field "vale"; did you mean "value"?' }]);
  });
});
