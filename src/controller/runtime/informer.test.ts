import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { InformerCaches } from './caches.js';
import { Informer, isOlder, labelIndex, matchesLabels } from './informer.js';

const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const tr = (name: string, rv: string, labels?: Record<string, string>): KubeObject => ({ ...TR, metadata: { name, namespace: 'ns', resourceVersion: rv, ...(labels ? { labels } : {}) } });
const informer = (opts: { labelSelector?: string; namespace?: string } = {}) => new Informer<KubeObject>({} as KubeClient, TR, opts);

describe('isOlder', () => {
  it('compares integer resourceVersions numerically and never calls opaque ones older', () => {
    expect(isOlder('9', '10')).toBe(true);
    expect(isOlder('10', '9')).toBe(false);
    expect(isOlder('10', '10')).toBe(false);
    expect(isOlder('abc', '10')).toBe(false);
    expect(isOlder(undefined, '10')).toBe(false);
  });
});

describe('matchesLabels', () => {
  it('supports existence, absence, equality and inequality terms', () => {
    const l = { a: '1', b: '2' };
    expect(matchesLabels(l, 'a')).toBe(true);
    expect(matchesLabels(l, 'c')).toBe(false);
    expect(matchesLabels(l, '!c')).toBe(true);
    expect(matchesLabels(l, 'a=1,b==2')).toBe(true);
    expect(matchesLabels(l, 'a!=1')).toBe(false);
    expect(matchesLabels(undefined, '')).toBe(true);
  });
});

/** Delivers an object as the watch would (the informer's private event path). */
const deliver = (inf: Informer<KubeObject>, obj: KubeObject): void => (inf as unknown as { upsert(k: string, o: KubeObject): void }).upsert(`ns/${obj.metadata.name}`, obj);

describe('Informer.observe', () => {
  it('takes in newer writes at once and runs handlers when the watch delivers them', () => {
    const inf = informer();
    const seen: string[] = [];
    inf.addHandlers({ onAdd: (o) => seen.push(`add ${o.metadata.resourceVersion}`), onUpdate: (o, old) => seen.push(`update ${old.metadata.resourceVersion}→${o.metadata.resourceVersion}`) });
    inf.observe(tr('x', '5'));
    inf.observe(tr('x', '7'));
    inf.observe(tr('x', '6'));
    expect(inf.get('ns/x')?.metadata.resourceVersion).toBe('7');
    expect(seen).toEqual([]);
    deliver(inf, tr('x', '5'));
    deliver(inf, tr('x', '6'));
    expect(seen).toEqual([]);
    deliver(inf, tr('x', '7'));
    deliver(inf, tr('x', '7'));
    expect(seen).toEqual(['add 7']);
    inf.observe(tr('x', '9'));
    deliver(inf, tr('x', '8'));
    deliver(inf, tr('x', '10'));
    expect(seen).toEqual(['add 7', 'update 7→10']);
    expect(inf.get('ns/x')?.metadata.resourceVersion).toBe('10');
  });

  it('ignores objects of other kinds, namespaces or outside the label selector', () => {
    const inf = informer({ labelSelector: 'tekton.dev/taskRun', namespace: 'ns' });
    inf.observe({ ...tr('a', '1'), kind: 'Pod' });
    inf.observe(tr('b', '1'));
    inf.observe({ ...tr('c', '1', { 'tekton.dev/taskRun': 'c' }), metadata: { name: 'c', namespace: 'other', labels: { 'tekton.dev/taskRun': 'c' } } });
    inf.observe(tr('d', '1', { 'tekton.dev/taskRun': 'd' }));
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['d']);
  });
});

describe('Informer indexes', () => {
  it('finds objects by label value and follows label changes', () => {
    const inf = informer();
    inf.addIndex('pr', labelIndex('tekton.dev/pipelineRun'));
    inf.observe(tr('a', '1', { 'tekton.dev/pipelineRun': 'p' }));
    inf.observe(tr('b', '2', { 'tekton.dev/pipelineRun': 'p' }));
    inf.observe(tr('c', '3', { 'tekton.dev/pipelineRun': 'q' }));
    expect(inf.byIndex('pr', 'ns/p').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    inf.observe(tr('b', '4', { 'tekton.dev/pipelineRun': 'q' }));
    expect(inf.byIndex('pr', 'ns/p').map((o) => o.metadata.name)).toEqual(['a']);
    expect(inf.byIndex('pr', 'ns/q').map((o) => o.metadata.name).sort()).toEqual(['b', 'c']);
    expect(() => inf.byIndex('nope', 'x')).toThrow(/no index/);
  });
});

describe('InformerCaches', () => {
  it('answers lookups from the informer of the kind and routes observed writes to it', () => {
    const caches = new InformerCaches();
    const inf = caches.add(TR, informer());
    caches.observe(tr('x', '3'));
    caches.observe({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'ns' } });
    expect(caches.lookup(TR, 'ns', 'x')?.metadata.resourceVersion).toBe('3');
    expect(caches.lookup({ apiVersion: 'v1', kind: 'Pod' }, 'ns', 'x')).toBeUndefined();
    expect(inf.list()).toHaveLength(1);
  });
});
