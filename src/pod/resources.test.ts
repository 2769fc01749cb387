import { describe, expect, it } from 'vitest';
import { divideQuantity, mergeResources, nonEmpty, parseQuantity, taskLevelResources } from './resources.js';

describe('quantities', () => {
  it.each([
    ['1', 1], ['500m', 0.5], ['1Gi', 2 ** 30], ['128Mi', 128 * 2 ** 20], ['1k', 1000], ['1e3', 1000], ['1.5', 1.5],
  ])('parses %s', (q, v) => expect(parseQuantity(q)).toBe(v));

  it('rejects malformed quantities', () => {
    expect(parseQuantity('lots')).toBeNaN();
    expect(parseQuantity('1XB')).toBeNaN();
  });

  it.each([
    ['1', 2, '500m'], ['1', 3, '333m'], ['2', 2, '1'], ['1Gi', 2, '512Mi'], ['1Gi', 3, '357913941333m'],
    ['100m', 1, '100m'], ['junk', 2, 'junk'],
  ])('%s / %i = %s', (q, n, want) => expect(divideQuantity(q, n)).toBe(want));
});

describe('resource merging', () => {
  it('overrides key by key', () => {
    expect(mergeResources({ requests: { cpu: '1', memory: '1Gi' } }, { requests: { memory: '2Gi' }, limits: { cpu: '2' } }))
      .toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2' } });
    expect(mergeResources(undefined, undefined)).toBeUndefined();
  });

  it('uses divided limits as requests when no requests are set anywhere', () => {
    expect(taskLevelResources(undefined, { limits: { cpu: '2' } }, 4)).toEqual({ requests: { cpu: '500m' }, limits: { cpu: '2' } });
    expect(taskLevelResources({ requests: { cpu: '1' } }, undefined, 2)).toEqual({ requests: { cpu: '1' } });
  });

  it('drops empty resources', () => {
    expect(nonEmpty({ requests: {}, limits: {} })).toBeUndefined();
    expect(nonEmpty({ limits: { cpu: '1' }, requests: {} })).toEqual({ limits: { cpu: '1' } });
  });
});
