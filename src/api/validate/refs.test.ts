import { describe, expect, it } from 'vitest';
import { asResultRef, findRefs, parseExpr, refsIn } from './refs.js';

describe('references', () => {
  it('parses dot and bracket forms with an index', () => {
    expect(parseExpr("params['a.b'][*]")).toEqual({ segments: ['params', 'a.b'], index: '*' });
    expect(parseExpr('tasks.t.results.r[2]')).toEqual({ segments: ['tasks', 't', 'results', 'r'], index: '2' });
    expect(parseExpr('params["x"]')).toEqual({ segments: ['params', 'x'], index: undefined });
  });
  it('ignores shell command substitution and marks whole-string references', () => {
    expect(findRefs('echo $(date +%s) $(params.x)')).toEqual([{ expr: 'params.x', segments: ['params', 'x'], index: undefined, whole: false }]);
    expect(findRefs('$(params.a[*])')[0]?.whole).toBe(true);
  });
  it('locates references inside nested values', () => {
    const refs = refsIn({ args: ['a', '$(params.p)'], env: [{ name: 'X', value: 'x-$(context.taskRun.name)' }] }, 'spec.steps[0]');
    expect(refs.map((r) => [r.path, r.keys])).toEqual([
      ['spec.steps[0].args[1]', ['args', 1]],
      ['spec.steps[0].env[0].value', ['env', 0, 'value']],
    ]);
  });
  it('recognises task and finally result references', () => {
    expect(asResultRef(findRefs('$(tasks.a.results.r.key)')[0]!)).toEqual({ scope: 'tasks', task: 'a', result: 'r', rest: ['key'] });
    expect(asResultRef(findRefs('$(finally.f.results.r)')[0]!)).toMatchObject({ scope: 'finally', task: 'f' });
    expect(asResultRef(findRefs('$(tasks.a.status)')[0]!)).toBeUndefined();
  });
});
