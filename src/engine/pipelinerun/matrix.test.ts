import { describe, expect, it } from 'vitest';
import { emptyReplacements } from '../substitution/replace.js';
import { type Combination, fanOut, hasEmptyArray, substituteMatrix } from './matrix.js';

const inc = (o: Record<string, string>): Combination => new Map(Object.entries(o));
const plain = (cs: Combination[]) => cs.map((c) => Object.fromEntries(c));

describe('fanOut', () => {
  it('varies the last param slowest (Tekton order)', () => {
    const got = fanOut({ params: [{ name: 'os', values: ['linux', 'mac'] }, { name: 'b', values: ['chrome', 'safari'] }], include: [] });
    expect(plain(got)).toEqual([
      { os: 'linux', b: 'chrome' }, { os: 'mac', b: 'chrome' }, { os: 'linux', b: 'safari' }, { os: 'mac', b: 'safari' },
    ]);
  });

  it('merges include entries into matching combinations and appends the rest (docs/matrix.md example)', () => {
    const got = fanOut({
      params: [{ name: 'GOARCH', values: ['linux/amd64', 'linux/ppc64le', 'linux/s390x'] }, { name: 'version', values: ['go1.17', 'go1.18.1'] }],
      include: [
        inc({ package: 'path/to/common/package/' }),
        inc({ GOARCH: 'linux/s390x', flags: '-cover -v' }),
        inc({ version: 'go1.17', context: 'path/to/go117/context' }),
        inc({ GOARCH: 'I-do-not-exist' }),
      ],
    });
    const common = { package: 'path/to/common/package/' };
    const ctx = { context: 'path/to/go117/context' };
    expect(plain(got)).toEqual([
      { GOARCH: 'linux/amd64', version: 'go1.17', ...common, ...ctx },
      { GOARCH: 'linux/ppc64le', version: 'go1.17', ...common, ...ctx },
      { GOARCH: 'linux/s390x', version: 'go1.17', ...common, flags: '-cover -v', ...ctx },
      { GOARCH: 'linux/amd64', version: 'go1.18.1', ...common },
      { GOARCH: 'linux/ppc64le', version: 'go1.18.1', ...common },
      { GOARCH: 'linux/s390x', version: 'go1.18.1', ...common, flags: '-cover -v' },
      { GOARCH: 'I-do-not-exist' },
    ]);
  });

  it('uses include entries alone when there are no params', () => {
    expect(plain(fanOut({ params: [], include: [inc({ a: '1' }), inc({ a: '2', b: 'x' })] }))).toEqual([{ a: '1' }, { a: '2', b: 'x' }]);
  });
});

describe('substituteMatrix', () => {
  it('requires arrays for params and strings for include, and spots empty arrays', () => {
    const r = emptyReplacements();
    r.arrays.set('params.list', []);
    expect(substituteMatrix({ params: [{ name: 'x', value: 'scalar' }] }, r)).toEqual({ ok: false, param: 'x' });
    const empty = substituteMatrix({ params: [{ name: 'x', value: '$(params.list[*])' }] }, r);
    expect(empty.ok && empty.params).toEqual([{ name: 'x', values: [] }]);
    expect(hasEmptyArray(empty)).toBe(true);
  });
});
