import { describe, expect, it } from 'vitest';
import { compareVersions, parseConstraint, parseVersion, pickVersion } from './semver.js';

describe('semver', () => {
  it('parses X, X.Y, X.Y.Z and v-prefixed versions; rejects others', () => {
    expect(parseVersion('0.9')).toEqual([0, 9, 0]);
    expect(parseVersion('v1.2.3')).toEqual([1, 2, 3]);
    expect(parseVersion('2')).toEqual([2, 0, 0]);
    expect(parseVersion('latest')).toBeUndefined();
    expect(parseVersion('1.2.3.4')).toBeUndefined();
  });

  it('orders numerically: 0.10 is later than 0.9 (a string sort says otherwise)', () => {
    expect(pickVersion(['0.1', '0.9', '0.10', '0.2'])).toBe('0.10');
    expect(['0.1', '0.9', '0.10'].sort().pop()).toBe('0.9');
    expect(compareVersions([1, 0, 0], [0, 99, 99])).toBeGreaterThan(0);
  });

  it('matches exact versions and constraint lists', () => {
    const all = ['0.1', '0.5', '0.9', '0.10', '1.0'];
    expect(pickVersion(all, parseConstraint('0.9.0'))).toBe('0.9');
    expect(pickVersion(all, parseConstraint('0.9'))).toBe('0.9');
    expect(pickVersion(all, parseConstraint('>= 0.5.0, < 1.0'))).toBe('0.10');
    expect(pickVersion(all, parseConstraint('>=0.5 <0.9'))).toBe('0.5');
    expect(pickVersion(all, parseConstraint('!= 1.0'))).toBe('0.10');
    expect(pickVersion(all, parseConstraint('> 1.0'))).toBeUndefined();
    expect(parseConstraint('~> banana')).toBeUndefined();
  });
});
