import { describe, expect, it } from 'vitest';
import { whenFlags } from './step-when.js';

describe('whenFlags', () => {
  it('passes input/operator/values expressions as Tekton JSON', () => {
    const out = whenFlags({ image: 'a', when: [{ input: '$(steps.a.results.r)', operator: 'in', values: ['x'] }] }, 's');
    expect(out).toEqual({ ok: true, flags: ['-when_expressions', '[{"input":"$(steps.a.results.r)","operator":"in","values":["x"]}]'] });
    expect(whenFlags({ image: 'a' }, 's')).toEqual({ ok: true, flags: [] });
  });

  it('evaluates CEL at pod-build time into an equivalent expression', () => {
    const t = whenFlags({ image: 'a', when: [{ cel: "'main' == 'main'" }] }, 's');
    const f = whenFlags({ image: 'a', when: [{ cel: "'dev' == 'main'" }] }, 's');
    expect(t.ok && JSON.parse(t.flags[1] ?? '')).toEqual([{ input: 'true', operator: 'in', values: ['true'] }]);
    expect(f.ok && JSON.parse(f.flags[1] ?? '')).toEqual([{ input: 'false', operator: 'in', values: ['true'] }]);
  });

  it('refuses CEL that reads a step result, and CEL that is not boolean', () => {
    const r = whenFlags({ image: 'a', when: [{ cel: "'$(steps.a.results.r)' == 'x'" }] }, 's');
    expect(r).toMatchObject({ ok: false, reason: 'TaskRunValidationFailed' });
    expect(!r.ok && r.message).toContain('reads a step result');
    expect(whenFlags({ image: 'a', when: [{ cel: '1 + 1' }] }, 's')).toMatchObject({ ok: false });
  });
});
