import { describe, expect, it } from 'vitest';
import { jsonEqual, mergePatchOf } from './status-writer.js';

const viaJson = (a: unknown, b: unknown): boolean => JSON.stringify(a === undefined ? null : sortKeys(a)) === JSON.stringify(b === undefined ? null : sortKeys(b)) && (a === undefined) === (b === undefined);
function sortKeys(v: unknown): unknown {
  const j = JSON.parse(JSON.stringify(v)) as unknown;
  const walk = (x: unknown): unknown => (Array.isArray(x) ? x.map(walk) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1)).map(([k, w]) => [k, walk(w)])) : x);
  return walk(j);
}

describe('jsonEqual', () => {
  const cases: Array<[unknown, unknown]> = [
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }],
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 2 }],
    [{ a: [undefined] }, { a: [null] }],
    [{ a: [1] }, { a: [1, 2] }],
    [{ a: {} }, { a: [] }],
    [{ t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' }],
    [undefined, undefined],
    [undefined, null],
    [{ conditions: [{ type: 'Succeeded', status: 'Unknown' }] }, { conditions: [{ type: 'Succeeded', status: 'Unknown', message: undefined }] }],
    [{ a: 'x' }, { a: 'x', b: null }],
    [NaN, null],
  ];
  it.each(cases)('agrees with comparing JSON serialisations (%j vs %j)', (a, b) => {
    expect(jsonEqual(a, b)).toBe(viaJson(a, b));
  });
});

/** RFC 7386, as the API server applies it. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

describe('mergePatchOf', () => {
  const pairs: Array<[unknown, unknown]> = [
    [{ a: 1, b: { c: 1, d: 2 }, l: [1, 2] }, { a: 1, b: { c: 3 }, l: [1] }],
    [{ conditions: [{ type: 'Succeeded', status: 'Unknown' }], childReferences: [{ name: 'x' }] }, { conditions: [{ type: 'Succeeded', status: 'False' }] }],
    [{}, { a: { b: { c: 'x' } } }],
    [{ a: { b: 1 } }, { a: 'now a string' }],
  ];
  it.each(pairs)('turns %j into %j when applied as a merge patch, sending only what changed', (before, after) => {
    const patch = mergePatchOf(before, after);
    expect(jsonEqual(mergePatch(before, patch), after)).toBe(true);
  });
  it('leaves unchanged fields out', () => {
    expect(mergePatchOf({ spec: { big: [1, 2, 3] }, n: 1 }, { spec: { big: [1, 2, 3] }, n: 2 })).toEqual({ n: 2 });
  });
});
