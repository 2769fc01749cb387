import { describe, expect, it } from 'vitest';
import { addValue, canonicalKey, emptyReplacements, findReferences, replaceDeep, replaceString, replaceStringArray } from './replace.js';

describe('canonicalKey', () => {
  it.each([
    ['params.x', 'params.x'],
    ["params['x']", 'params.x'],
    ['params["a.b"]', 'params.a.b'],
    ['params.arr[2]', 'params.arr[2]'],
    ['params.arr[*]', 'params.arr[*]'],
    ["results['r'].path", 'results.r.path'],
    ['tasks.t.results.r.key', 'tasks.t.results.r.key'],
    ['a b', undefined],
    ['params[x]', undefined],
  ])('%s -> %s', (expr, want) => expect(canonicalKey(expr)).toBe(want));
});

describe('replace', () => {
  const r = emptyReplacements();
  addValue(r, 'params.s', 'hello $(params.a[*])');
  addValue(r, 'params.a', ['x', 'y']);
  addValue(r, 'params.o', { k: 'v' });

  it('is single-pass and leaves unknown references', () => {
    expect(replaceString('$(params.s) $(params.unknown) $(params["o"].k)', r)).toBe('hello $(params.a[*]) $(params.unknown) v');
  });

  it('indexes arrays and expands whole-array elements', () => {
    expect(replaceString('$(params.a[1])', r)).toBe('y');
    expect(replaceStringArray(['-c', '$(params.a[*])', '$(params.a)'], r)).toEqual(['-c', 'x', 'y', 'x', 'y']);
  });

  it('walks objects and skips keys', () => {
    const got = replaceDeep({ args: ['$(params.a[*])'], script: '$(params.s)', env: [{ value: '$(params.o.k)' }] }, r, new Set(['script']));
    expect(got).toEqual({ args: ['x', 'y'], script: '$(params.s)', env: [{ value: 'v' }] });
  });

  it('finds references', () => {
    expect(findReferences("echo $(tasks.a.results['b']) $(x y)")).toEqual(['tasks.a.results.b']);
  });
});
