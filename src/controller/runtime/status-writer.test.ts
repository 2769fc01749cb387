import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../api/json-equal.js';
import { mergePatchOf } from './status-writer.js';

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
