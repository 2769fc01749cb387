import { describe, expect, it } from 'vitest';
import { cycleMessage, findCycle } from './cycle.js';

const g = (o: Record<string, string[]>) => new Map(Object.entries(o));

describe('findCycle', () => {
  it('returns undefined for a DAG', () => {
    expect(findCycle(g({ a: [], b: ['a'], c: ['a', 'b'] }))).toBeUndefined();
  });
  it('finds a three-node cycle starting at its smallest member', () => {
    expect(findCycle(g({ a: ['c'], b: ['a'], c: ['b'] }))).toEqual(['a', 'c', 'b', 'a']);
  });
  it('finds a self-loop and ignores nodes merely depending on a cycle', () => {
    expect(findCycle(g({ x: ['x'], a: ['x'] }))).toEqual(['x', 'x']);
  });
  it('ignores edges to unknown nodes', () => {
    expect(findCycle(g({ a: ['nope'] }))).toBeUndefined();
  });
  it('handles 5000 nodes in a chain plus a back edge', () => {
    const deps = new Map<string, string[]>();
    for (let i = 0; i < 5000; i++) deps.set(`t${i}`, i === 0 ? ['t4999'] : [`t${i - 1}`]);
    expect(findCycle(deps)?.length).toBe(5001);
  });
  it('formats the message naming the path', () => {
    expect(cycleMessage(['a', 'c', 'b', 'a'])).toContain('cycle detected; task "a" depends on "c" (path: "a" -> "c" -> "b" -> "a")');
  });
});
