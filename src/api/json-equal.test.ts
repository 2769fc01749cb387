import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal.js';

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
    [{ a: 1, f: () => 1 }, { a: 1 }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: 1, b: 2 }, { a: 1, c: 2 }],
    [{ a: { b: [1, { c: 'd' }] } }, Object.freeze({ a: Object.freeze({ b: Object.freeze([1, Object.freeze({ c: 'd' })]) }) })],
    [[1, 2], { 0: 1, 1: 2 }],
    [Object.assign(Object.create({ inherited: 1 }) as object, { a: 1 }), { a: 1 }],
    ['1', 1],
  ];
  it.each(cases)('agrees with comparing JSON serialisations (%j vs %j)', (a, b) => {
    expect(jsonEqual(a, b)).toBe(viaJson(a, b));
  });
});
