import { describe, expect, it } from 'vitest';
import { describeRef, kindParam, redactUrl, substituteRunParams } from './params.js';

describe('resolver params', () => {
  it('describes a ref without secret names or URL credentials', () => {
    const text = describeRef('git', [
      { name: 'url', value: 'https://user:hunter2@git.example/a.git' }, { name: 'token', value: 'my-secret' }, { name: 'pathInRepo', value: 't.yaml' },
    ]);
    expect(text).toBe('resolver "git" (url=https://***@git.example/a.git, pathInRepo=t.yaml)');
    expect(redactUrl('see http://a:b@h/x and file:///p')).toBe('see http://***@h/x and file:///p');
  });

  it('substitutes run params into resolver params', () => {
    const out = substituteRunParams([{ name: 'revision', value: '$(params.rev)' }, { name: 'x', value: '$(params.other)' }], [{ name: 'rev', value: 'v1' }]);
    expect(out).toEqual([{ name: 'revision', value: 'v1' }, { name: 'x', value: '$(params.other)' }]);
  });

  it('reads kind with the expected kind as default', () => {
    const req = (kind?: string) => ({ resolver: 'hub', namespace: 'd', kind: 'pipeline' as const, params: kind ? [{ name: 'kind', value: kind }] : [] });
    expect(kindParam(req())).toBe('pipeline');
    expect(kindParam(req('Task'))).toBe('task');
    expect(() => kindParam(req('widget'))).toThrow(/task, pipeline or stepaction/);
  });
});
