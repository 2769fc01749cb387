import { describe, expect, it } from 'vitest';
import { jsonCopy } from './json-copy.js';

const viaText = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

describe('jsonCopy', () => {
  it('answers what a JSON round trip answers, as a copy sharing nothing', () => {
    const sparse: unknown[] = [1, , 3];
    const values: unknown[] = [
      null, true, 0, -0, 1.5, 'é ☃ \u0001 "q"', [], {},
      { a: 1, b: undefined, c: () => 1, d: Symbol('s'), e: [undefined, () => 2, Symbol('t'), null], f: { g: [{ h: 'x' }] } },
      sparse, { 2: 'two', 1: 'one', z: 0, a: 0 },
      JSON.parse('{"__proto__": {"polluted": true}, "x": 1}'),
      Object.assign(Object.create(null) as object, { k: 'v' }),
    ];
    for (const v of values) {
      const c = jsonCopy(v, 1 << 20);
      expect(c).toStrictEqual(viaText(v));
      expect(JSON.stringify(c)).toBe(JSON.stringify(v)); // same keys in the same order
      if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) expect(c).not.toBe(v);
    }
    const nested = { spec: { steps: [{ name: 's', args: ['a'] }] } };
    const c = jsonCopy(nested, 1 << 20) as typeof nested;
    expect(c.spec).not.toBe(nested.spec);
    expect(c.spec.steps[0]).not.toBe(nested.spec.steps[0]);
    expect(c.spec.steps[0]?.args).not.toBe(nested.spec.steps[0]?.args);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers undefined for what JSON.stringify writes by its own rules, so that the caller sends the text', () => {
    expect(jsonCopy({ at: new Date(0) }, 1 << 20)).toBeUndefined();
    expect(jsonCopy({ m: new Map() }, 1 << 20)).toBeUndefined();
    expect(jsonCopy({ n: Number.NaN }, 1 << 20)).toBeUndefined();
    expect(jsonCopy({ own: { toJSON: () => 'x' } }, 1 << 20)).toBeUndefined();
    expect(jsonCopy({ big: 1n }, 1 << 20)).toBeUndefined();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonCopy(cycle, 1 << 20)).toBeUndefined();
  });

  it('answers undefined when the text could be longer than the budget, never when it fits with room', () => {
    const body = { data: 'x'.repeat(1000) };
    expect(jsonCopy(body, 100)).toBeUndefined();
    expect(jsonCopy(body, 1000)).toBeUndefined(); // the text is 1,011 bytes
    expect(jsonCopy(body, 10_000)).toStrictEqual(body);
    // the bound counts every character at its longest escape: the real text never exceeds a budget that was kept
    const controls = { s: '\u0001'.repeat(100) };
    expect(Buffer.byteLength(JSON.stringify(controls))).toBeGreaterThan(600);
    expect(jsonCopy(controls, 600)).toBeUndefined();
  });
});
