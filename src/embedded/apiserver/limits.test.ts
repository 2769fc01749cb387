import { describe, expect, it } from 'vitest';
import { checkDepth, dataIssues, MAX_DATA_BYTES, tooDeepAt } from './limits.js';

const nest = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

describe('limits', () => {
  it('finds the first path nested too deeply, without recursion', () => {
    expect(tooDeepAt(nest(100))).toBeUndefined();
    expect(tooDeepAt(nest(101))?.length).toBe(100);
    expect(tooDeepAt(nest(200_000))?.length).toBe(100);
    expect(() => checkDepth({ spec: nest(500) })).toThrow(/nested more than 100 levels deep at spec\.a\[0\]\.a/);
  });
  it('checks ConfigMap/Secret keys and their 1 MiB of data', () => {
    expect(dataIssues('ConfigMap', { data: { 'a.b_C-1': 'x' } })).toEqual([]);
    expect(dataIssues('ConfigMap', { data: { 'a/b': 'x', '..x': 'y' } }).map((i) => i.path)).toEqual(['data[a/b]', 'data[..x]']);
    expect(dataIssues('ConfigMap', { data: { a: 'x'.repeat(MAX_DATA_BYTES) } })).toEqual([{ path: 'data', message: `Too long: must have at most ${MAX_DATA_BYTES} bytes` }]);
    expect(dataIssues('Secret', { data: { a: 'eA==' } })).toEqual([]);
    expect(dataIssues('Secret', { data: { a: 'not base64' } })[0]?.path).toBe('data[a]');
    expect(dataIssues('Pod', { data: { 'a/b': 1 } })).toEqual([]);
  });
});
