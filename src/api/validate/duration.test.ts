import { describe, expect, it } from 'vitest';
import { parseGoDuration, timeoutProblem } from './duration.js';

describe('Go durations', () => {
  it.each([['1h0m0s', 3_600_000], ['90s', 90_000], ['1.5h', 5_400_000], ['0', 0], ['250ms', 250], ['-5m', -300_000], ['1h30m', 5_400_000]])(
    '%s', (s, ms) => expect(parseGoDuration(s)).toBe(ms));
  it.each(['', '5', '1 hour', '1d', 'h', '5m3'])('rejects %j', (s) => expect(parseGoDuration(s)).toBeUndefined());
  it('explains bad timeouts', () => {
    expect(timeoutProblem('soon')).toContain('write it like "1h0m0s"');
    expect(timeoutProblem('-1s')).toContain('negative');
    expect(timeoutProblem('10m')).toBeUndefined();
  });
});
