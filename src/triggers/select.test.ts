import { describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../api/types.js';
import { matchesSelector, memoryLookup } from './lookup.js';
import { selectTriggers } from './select.js';

const trigger = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'Trigger', metadata: { name, namespace, labels }, spec: { template: { ref: 'tt' } },
});
const TRIGGERS = [trigger('a', 'default', { foo: 'bar' }), trigger('b', 'default', { foo: 'baz' }), trigger('c', 'foo', { foo: 'bar' }), trigger('d', 'other', { foo: 'bar', team: 'x' })];
const el = (spec: EventListener['spec']): EventListener => ({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'el', namespace: 'default' }, spec });
const ids = async (spec: EventListener['spec']): Promise<string[] | string> => {
  const s = await selectTriggers(el(spec), memoryLookup(TRIGGERS));
  return s.ok ? s.triggers.map((t) => t.id) : s.message;
};

describe('selectTriggers', () => {
  it('labelSelector alone selects in the EventListener namespace', async () => {
    expect(await ids({ labelSelector: { matchLabels: { foo: 'bar' } } })).toEqual(['namespaces/default/triggers/a']);
  });
  it('namespaceSelector lists namespaces; ["*"] means all', async () => {
    expect(await ids({ namespaceSelector: { matchNames: ['default', 'foo'] } })).toEqual(['namespaces/default/triggers/a', 'namespaces/default/triggers/b', 'namespaces/foo/triggers/c']);
    expect(await ids({ namespaceSelector: { matchNames: ['*'] }, labelSelector: { matchLabels: { foo: 'bar' } } })).toEqual(['namespaces/default/triggers/a', 'namespaces/foo/triggers/c', 'namespaces/other/triggers/d']);
  });
  it('inline triggers and triggerRef come first, then selected ones (merged)', async () => {
    const r = await ids({ triggers: [{ name: 'inline', template: { ref: 'tt' } }, { triggerRef: 'b' }], labelSelector: { matchLabels: { foo: 'bar' } } });
    expect(r).toEqual(['namespaces/default/triggers/inline', 'namespaces/default/triggers/b', 'namespaces/default/triggers/a']);
  });
  it('a missing triggerRef is a broken entry naming it; the other triggers are still selected', async () => {
    const s = await selectTriggers(el({ triggers: [{ triggerRef: 'zzz' }, { triggerRef: 'a' }] }), memoryLookup(TRIGGERS));
    expect(s.ok && s.triggers.map((t) => t.id)).toEqual(['namespaces/default/triggers/a']);
    expect(s.ok && s.broken).toMatchObject([{ trigger: 'zzz', status: 'error', reason: 'NotFound', message: expect.stringMatching(/Trigger default\/zzz not found/) }]);
  });
  it('no selectors: only inline triggers', async () => {
    expect(await ids({ triggers: [] })).toEqual([]);
  });
  it('trigger groups select with their own selectors and carry their interceptors', async () => {
    const s = await selectTriggers(el({ triggerGroups: [{ name: 'g', interceptors: [{ ref: { name: 'cel' } }], triggerSelector: { namespaceSelector: { matchNames: ['other'] }, labelSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] } } }] }), memoryLookup(TRIGGERS));
    expect(s.ok && s.groups.map((g) => [g.id, g.interceptors.length, g.triggers.map((t) => t.id)])).toEqual([['namespaces/default/triggerGroups/g', 1, ['namespaces/other/triggers/d']]]);
  });
  it('matches label selector expressions', () => {
    const l = { a: '1', b: '2' };
    expect(matchesSelector(l, { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['2'] }, { key: 'b', operator: 'Exists' }, { key: 'c', operator: 'DoesNotExist' }] })).toBe(true);
    expect(matchesSelector(l, { matchLabels: { a: '2' } })).toBe(false);
    expect(matchesSelector(l, { matchExpressions: [{ key: 'a', operator: 'In', values: ['3'] }] })).toBe(false);
  });
});
