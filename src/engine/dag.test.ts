import { describe, expect, it } from 'vitest';
import { buildDag, candidates, type DagNode } from './dag.js';

function dagOf(nodes: DagNode[]) {
  const r = buildDag(nodes);
  if (!r.ok) throw new Error(r.message);
  return r.dag;
}

const diamond: DagNode[] = [
  { name: 'a', deps: [] },
  { name: 'b', deps: ['a'] },
  { name: 'c', deps: ['a', 'a'] },
  { name: 'd', deps: ['b', 'c'] },
];

describe('buildDag', () => {
  it('orders a diamond and exposes adjacency', () => {
    const dag = dagOf(diamond);
    expect(dag.order).toEqual(['a', 'b', 'c', 'd']);
    expect(dag.prev('c')).toEqual(['a']);
    expect(dag.next('a')).toEqual(['b', 'c']);
    expect(dag.graph.edgeCount()).toBe(4);
  });

  it.each([
    ['duplicate', [{ name: 'a', deps: [] }, { name: 'a', deps: [] }], 'duplicate pipeline task name "a"'],
    ['unknown dep', [{ name: 'a', deps: ['zz'] }], 'task "a" depends on "zz" but "zz" wasn\'t present in Pipeline'],
    ['self cycle', [{ name: 'a', deps: ['a'] }], 'cycle detected; task "a" depends on "a"'],
    [
      'three cycle behind a root',
      [
        { name: 'root', deps: [] },
        { name: 'x', deps: ['root', 'z'] },
        { name: 'y', deps: ['x'] },
        { name: 'z', deps: ['y'] },
        { name: 'tail', deps: ['z'] },
      ],
      'cycle detected; task "x" depends on "z", task "z" depends on "y", task "y" depends on "x"',
    ],
  ])('rejects %s', (_n, nodes, message) => {
    expect(buildDag(nodes as DagNode[])).toEqual({ ok: false, message });
  });
});

describe('candidates', () => {
  const dag = dagOf(diamond);
  it.each([
    [[], ['a']],
    [['a'], ['b', 'c']],
    [['a', 'b'], ['c']],
    [['a', 'b', 'c'], ['d']],
    [['a', 'b', 'c', 'd'], []],
  ])('done %j -> %j', (done, want) => {
    expect(candidates(dag, new Set(done))).toEqual(want);
  });
});

describe('scale', () => {
  it('handles 5,000 chained tasks (deep) without recursion limits', () => {
    const nodes: DagNode[] = Array.from({ length: 5000 }, (_, i) => ({ name: `t${i}`, deps: i ? [`t${i - 1}`] : [] }));
    const dag = dagOf(nodes);
    expect(dag.order[4999]).toBe('t4999');
    expect(candidates(dag, new Set(['t0', 't1']))).toEqual(['t2']);
  });
});
