import { describe, expect, it } from 'vitest';
import type { CustomRun, CustomRunSpec } from '../../api/types.js';
import { decideWait, isWaitRun } from './wait.js';

const T0 = new Date('2025-01-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function run(spec: Partial<CustomRunSpec> = {}): CustomRun {
  return {
    apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: { name: 'w', namespace: 'ns' },
    spec: { customRef: { apiVersion: 'wait.testing.tekton.dev/v1beta1', kind: 'Wait' }, params: [{ name: 'duration', value: '2s' }], ...spec },
  };
}

const cond = (r: CustomRun) => r.status?.conditions?.[0];

describe('the Wait custom task', () => {
  it('selects runs by customRef apiVersion and kind', () => {
    expect(isWaitRun(run())).toBe(true);
    expect(isWaitRun(run({ customRef: { apiVersion: 'example.dev/v1', kind: 'Wait' } }))).toBe(false);
  });

  it('starts, waits for its duration, then succeeds with DurationElapsed', () => {
    let r = run();
    const first = decideWait(r, T0);
    expect(first.status).toMatchObject({ startTime: '2025-01-01T00:00:00Z', conditions: [{ status: 'Unknown', reason: 'Running', message: 'Waiting for duration to elapse' }] });
    expect(first.requeueAfterMs).toBeGreaterThan(1900);
    r = { ...r, status: first.status };
    expect(cond({ ...r, status: decideWait(r, at(1)).status })?.status).toBe('Unknown');
    const end = decideWait(r, at(3));
    expect(end.status).toMatchObject({ completionTime: '2025-01-01T00:00:03Z', conditions: [{ status: 'True', reason: 'DurationElapsed', message: 'The wait duration has elapsed' }] });
    expect(decideWait({ ...r, status: end.status }, at(10)).status).toEqual(end.status);
  });

  it.each([
    [{ customRef: { apiVersion: 'wait.testing.tekton.dev/v1beta1', kind: 'Wait', name: 'x' } }, 'UnexpectedName', 'Found unexpected ref name: x'],
    [{ params: [] }, 'MissingDuration', 'The duration param was not passed'],
    [{ params: [{ name: 'duration', value: '1s' }, { name: 'a', value: 'b' }] }, 'UnexpectedParams', 'Found unexpected params: [a]'],
    [{ params: [{ name: 'duration', value: 'soon' }] }, 'InvalidDuration', 'The duration param was invalid: time: invalid duration "soon"'],
    [{ timeout: '2s' }, 'InvalidTimeOut', "Spec.Timeout shouldn't equal duration"],
  ])('fails a bad run at once: %j → %s', (spec, reason, message) => {
    expect(cond({ ...run(), status: decideWait(run(spec as Partial<CustomRunSpec>), T0).status })).toMatchObject({ status: 'False', reason, message });
  });

  it('times out (TimedOut), after retrying as often as spec.retries says', () => {
    let r = run({ timeout: '1s', retries: 1 });
    r = { ...r, status: decideWait(r, T0).status };
    const retried = decideWait(r, at(2));
    expect(retried.requeueAfterMs).toBe(0);
    expect(retried.status.retriesStatus).toEqual([expect.objectContaining({ startTime: '2025-01-01T00:00:00Z', conditions: [expect.objectContaining({ status: 'False', reason: 'TimedOut' })] })]);
    expect(retried.status.startTime).toBeUndefined();
    r = { ...r, status: decideWait({ ...r, status: retried.status }, at(2)).status };
    expect(r.status?.startTime).toBe('2025-01-01T00:00:02Z');
    const end = decideWait(r, at(4));
    expect(end.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'TimedOut', message: 'Wait Task failed as it times out.' });
  });

  it('is cancelled through spec.status RunCancelled, with the statusMessage', () => {
    const started = { ...run(), status: decideWait(run(), T0).status };
    const plain = decideWait({ ...started, spec: { ...started.spec, status: 'RunCancelled' } }, at(1));
    expect(plain.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'Cancelled', message: 'Wait Task cancelled.' });
    const msg = 'CustomRun cancelled as the PipelineRun it belongs to has been cancelled.';
    const byPipeline = decideWait({ ...started, spec: { ...started.spec, status: 'RunCancelled', statusMessage: msg } }, at(1));
    expect(byPipeline.status.conditions?.[0]?.message).toBe(msg);
  });
});
