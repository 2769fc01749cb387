import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TaskRunStatus } from '../api/types.js';
import { getSucceeded, isDone, isFailed, isSucceeded, setSucceeded } from './conditions.js';

const t0 = new Date('2024-01-01T00:00:00Z');
const t1 = new Date('2024-01-01T00:05:00Z');

const cases = parse(`
- name: first set stamps now
  before: {}
  set: {status: Unknown, reason: Running, message: m}
  ltt: "2024-01-01T00:05:00Z"
- name: unchanged keeps the old time
  before: {conditions: [{type: Succeeded, status: Unknown, reason: Running, message: m, lastTransitionTime: "2024-01-01T00:00:00Z"}]}
  set: {status: Unknown, reason: Running, message: m}
  ltt: "2024-01-01T00:00:00Z"
- name: a new reason is a transition
  before: {conditions: [{type: Succeeded, status: Unknown, reason: Pending, message: m, lastTransitionTime: "2024-01-01T00:00:00Z"}]}
  set: {status: Unknown, reason: Running, message: m}
  ltt: "2024-01-01T00:05:00Z"
- name: other conditions are kept
  before: {conditions: [{type: Ready, status: "True"}]}
  set: {status: "True", reason: Succeeded, message: done}
  ltt: "2024-01-01T00:05:00Z"
  count: 2
`) as Array<{ name: string; before: TaskRunStatus; set: { status: 'True' | 'False' | 'Unknown'; reason: string; message: string }; ltt: string; count?: number }>;

describe('setSucceeded', () => {
  it.each(cases)('$name', ({ before, set, ltt, count }) => {
    const frozen = JSON.stringify(before);
    const after = setSucceeded(before, set, t1);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(getSucceeded(after)).toEqual({ type: 'Succeeded', ...set, lastTransitionTime: ltt });
    expect(after.conditions).toHaveLength(count ?? 1);
  });
});

describe('isDone', () => {
  it('follows the Succeeded status', () => {
    expect(isDone(undefined)).toBe(false);
    expect(isDone(setSucceeded({}, { status: 'Unknown', reason: 'Running' }, t0))).toBe(false);
    const ok = setSucceeded({}, { status: 'True', reason: 'Succeeded' }, t0);
    const bad = setSucceeded({}, { status: 'False', reason: 'Failed' }, t0);
    expect([isDone(ok), isSucceeded(ok), isFailed(ok)]).toEqual([true, true, false]);
    expect([isDone(bad), isSucceeded(bad), isFailed(bad)]).toEqual([true, false, true]);
  });
});
