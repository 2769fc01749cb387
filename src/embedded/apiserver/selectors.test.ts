import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

describe('label selectors', () => {
  const m = (sel: string, labels: Record<string, string>): boolean => matchLabels(parseLabelSelector(sel), labels);
  it('supports equality, set-based and existence requirements', () => {
    expect(m('a=b,c!=d', { a: 'b', c: 'e' })).toBe(true);
    expect(m('a==b', { a: 'c' })).toBe(false);
    expect(m('env in (prod, dev),tier notin (x)', { env: 'dev', tier: 'y' })).toBe(true);
    expect(m('env in (prod)', {})).toBe(false);
    expect(m('tier notin (x)', {})).toBe(true);
    expect(m('tekton.dev/pipelineRun,!skip', { 'tekton.dev/pipelineRun': 'r' })).toBe(true);
    expect(m('!skip', { skip: '' })).toBe(false);
    expect(m('', { any: 'x' })).toBe(true);
  });
  it('rejects malformed selectors with a 400', () => {
    expect(() => parseLabelSelector('a in (')).toThrow(/unable to parse/);
    expect(() => parseLabelSelector('a=b=c')).toThrow(/Invalid value: "b=c"/);
    expect(() => parseLabelSelector('a in ()')).toThrow(/values set can't be empty/);
  });
});

describe('field selectors', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, status: { phase: 'Running' } } as KubeObject;
  it('matches dotted paths with = and !=', () => {
    expect(matchFields(parseFieldSelector('metadata.name=p,status.phase!=Failed'), pod)).toBe(true);
    expect(matchFields(parseFieldSelector('metadata.namespace==other'), pod)).toBe(false);
    expect(matchFields(parseFieldSelector('spec.nodeName='), pod)).toBe(true);
  });
  it('accepts only the field labels kube-apiserver supports for the kind', () => {
    expect(parseFieldSelector('status.phase=Running', 'Pod')).toHaveLength(1);
    expect(parseFieldSelector('metadata.name=x', 'PipelineRun')).toHaveLength(1);
    expect(() => parseFieldSelector('status.phase=Running', 'PipelineRun')).toThrow('field label not supported: status.phase');
    expect(() => parseFieldSelector('foo.bar=x', 'ConfigMap')).toThrow('field label not supported: foo.bar');
  });
});
