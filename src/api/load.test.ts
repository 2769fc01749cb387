import { describe, expect, it } from 'vitest';
import { parseManifests, sourceOf } from './load.js';

describe('parseManifests', () => {
  it('reads several documents, skips empty ones and expands Lists', () => {
    const text = [
      '---', 'apiVersion: tekton.dev/v1', 'kind: Task', 'metadata: {name: a}', 'spec: {steps: []}',
      '---', '# only a comment', '---',
      'apiVersion: v1', 'kind: List', 'items:', '- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}',
      '- {apiVersion: v1, kind: Secret, metadata: {name: c}}',
    ].join('\n');
    const { objects, errors } = parseManifests(text, 'x.yaml');
    expect(errors).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Task/a', 'ConfigMap/b', 'Secret/c']);
    expect(sourceOf(objects[0] as object)).toEqual({ file: 'x.yaml', document: 1, line: 2 });
  });

  it('names file, document and line of YAML syntax errors and keeps the good documents', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkind: Task\n  bad: indent: here\n';
    const { objects, errors } = parseManifests(text, 'bad.yaml');
    expect(objects).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.yaml: document 2 \(line [56]\): invalid YAML: /);
  });

  it('reports documents that are not objects or lack apiVersion, kind or metadata', () => {
    const text = '- a\n- b\n---\nkind: Task\nmetadata: {name: x}\n---\napiVersion: tekton.dev/v1\nkind: Task\n';
    const { objects, errors } = parseManifests(text, 'f.yaml');
    expect(objects).toEqual([]);
    expect(errors[0]).toContain('f.yaml: document 1 (line 1): expected a Kubernetes object');
    expect(errors[1]).toContain('f.yaml: document 2 (line 4): missing apiVersion');
    expect(errors[2]).toContain('f.yaml: document 3 (line 7): Task has no metadata');
  });

  it('reports List items that are not objects, with their index', () => {
    const { errors } = parseManifests('apiVersion: v1\nkind: List\nitems: [3]\n', 'l.yaml');
    expect(errors).toEqual([expect.stringContaining('l.yaml: document 1 (line 1): items[0]: expected a Kubernetes object')]);
  });

  it('follows kubectl YAML 1.1 scalars: octal modes, yes as boolean, timestamps and 1:30 as strings', () => {
    const text = 'apiVersion: v1\nkind: X\nmetadata: {name: x, creationTimestamp: 2024-01-01T00:00:00Z}\nd: {mode: 0755, on: yes, t: 1:30}\n';
    const [obj] = parseManifests(text, 'y.yaml').objects;
    expect(obj?.metadata.creationTimestamp).toBe('2024-01-01T00:00:00Z');
    expect(obj?.d).toEqual({ mode: 493, true: true, t: '1:30' });
  });

  it('rejects alias bombs instead of expanding them', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    const { objects, errors } = parseManifests(`apiVersion: v1\nkind: X\nmetadata: {name: b}\n${bomb}\n`, 'bomb.yaml');
    expect(objects).toEqual([]);
    expect(errors[0]).toMatch(/^bomb\.yaml: document 1 \(line 1\): /);
  });

  it('reads `.` and `._` as strings, as kubectl does (a float needs a digit)', () => {
    const { objects } = parseManifests('apiVersion: v1\nkind: X\nmetadata: {name: a}\nd: .\ne: ._\nf: .5\ng: 2.\n', 'f.yaml');
    expect(objects[0]).toMatchObject({ d: '.', e: '._', f: 0.5, g: 2 });
  });
});
