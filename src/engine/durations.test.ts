import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatDuration, formatTime, parseDuration } from './durations.js';

const table = parse(`
parse:
  - ["0", 0]
  - ["1h", 3600000]
  - ["1h30m", 5400000]
  - ["1h0m0s", 3600000]
  - ["90s", 90000]
  - ["500ms", 500]
  - ["1.5h", 5400000]
  - ["-2m", -120000]
  - ["+3s", 3000]
  - ["1500us", 1.5]
  - ["2000000ns", 2]
  - ["1m30.5s", 90500]
format:
  - [0, "0s"]
  - [3600000, "1h0m0s"]
  - [90000, "1m30s"]
  - [500, "500ms"]
  - [1500, "1.5s"]
  - [60000, "1m0s"]
  - [86400000, "24h0m0s"]
  - [-90000, "-1m30s"]
  - [1.5, "1.5ms"]
  - [0.25, "250µs"]
bad: ["", "1", "h", "1x", "1h 2m", "abc", "1.h2"]
`) as { parse: Array<[string, number]>; format: Array<[number, string]>; bad: string[] };

describe('parseDuration', () => {
  it.each(table.parse)('%s -> %d ms', (s, ms) => expect(parseDuration(s)).toBeCloseTo(ms, 9));
  it.each(table.bad)('%j is NaN', (s) => expect(parseDuration(s)).toBeNaN());
});

describe('formatDuration', () => {
  it.each(table.format)('%d ms -> %s', (ms, s) => expect(formatDuration(ms)).toBe(s));
  it('round-trips', () => {
    for (const [, s] of table.format) expect(formatDuration(parseDuration(s))).toBe(s);
  });
});

describe('formatTime', () => {
  it('writes RFC 3339 whole seconds in UTC', () => {
    expect(formatTime(new Date('2024-05-06T07:08:09.987Z'))).toBe('2024-05-06T07:08:09Z');
  });
});
