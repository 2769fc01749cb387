import { describe, expect, it } from 'vitest';
import { StatusError } from './errors.js';
import { jsonPatch, mergePatch, patchKind, strategicMergePatch } from './patch.js';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null, replaces arrays', () => {
    const target = { a: 1, b: { c: 2, d: 3 }, l: [1, 2] };
    expect(mergePatch(target, { b: { c: null, e: 4 }, l: [3] })).toEqual({ a: 1, b: { d: 3, e: 4 }, l: [3] });
    expect(target.b.c).toBe(2);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies operations and fails a test op with 422', () => {
    expect(jsonPatch({ a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }])).toEqual({ a: [1, 2] });
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(StatusError);
    expect(() => jsonPatch({ a: 1 }, { op: 'add' })).toThrow(/array/);
  });
});

describe('strategic merge patch', () => {
  const pod = {
    spec: {
      containers: [{ name: 'a', image: 'x', env: [{ name: 'E', value: '1' }], ports: [{ containerPort: 80 }] }, { name: 'b', image: 'y' }],
      volumes: [{ name: 'v', emptyDir: {} }],
    },
    metadata: { finalizers: ['f1'] },
  };
  it('merges lists by their keys and keeps other items', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'b', image: 'z' }, { name: 'c', image: 'w' }] } }) as typeof pod;
    expect(out.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(['a:x', 'b:z', 'c:w']);
    expect(out.spec.containers[0]?.env).toEqual([{ name: 'E', value: '1' }]);
  });
  it('handles $patch delete/replace, $setElementOrder, $deleteFromPrimitiveList, primitive merge lists', () => {
    const out = strategicMergePatch(pod, {
      $setElementOrder: undefined,
      spec: { containers: [{ name: 'a', $patch: 'delete' }], volumes: [{ $patch: 'replace' }, { name: 'w', emptyDir: {} }], '$setElementOrder/containers': [{ name: 'b' }] },
      metadata: { finalizers: ['f2'], '$deleteFromPrimitiveList/finalizers': ['f1'] },
    }) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['b']);
    expect(out.spec.volumes).toEqual([{ name: 'w', emptyDir: {} }]);
    expect(out.metadata.finalizers).toEqual(['f2']);
    const ordered = strategicMergePatch(pod, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'q' }] } }) as typeof pod;
    expect(ordered.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(['b:y', 'a:q']);
  });
  it('merges container ports by containerPort and service ports by port', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81 }] }] } }) as typeof pod;
    expect(out.spec.containers[0]?.ports).toEqual([{ containerPort: 80 }, { containerPort: 81 }]);
    const svc = strategicMergePatch({ spec: { ports: [{ port: 1, name: 'a' }] } }, { spec: { ports: [{ port: 1, name: 'b' }] } });
    expect(svc).toEqual({ spec: { ports: [{ port: 1, name: 'b' }] } });
  });
});

describe('patch content types', () => {
  it('maps content types and rejects server-side apply with 415', () => {
    expect(patchKind('application/strategic-merge-patch+json')).toBe('strategic');
    expect(() => patchKind('application/apply-patch+yaml')).toThrow(/server-side apply/);
    expect(() => patchKind('text/plain')).toThrow(StatusError);
  });
});
