/**
 * TaskRun debug breakpoints end to end (Tekton's debug.md and taskruns.md "Debugging a TaskRun", alpha):
 * `spec.debug.breakpoints.onFailure: enabled` keeps the failed step's container running and the TaskRun Running
 * until /tekton/debug/scripts/debug-continue (the step succeeds) or debug-fail-continue (it fails) is run in it,
 * here through the real kubectl exec and `tkt tr exec`; `beforeSteps` holds a step before it starts until
 * debug-beforestep-continue / debug-beforestep-fail-continue. Embedded mode, host runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { kubectl, tkt, works } from '../e2e/exec-harness.js';
import { applyYaml, ensureHelper, logsOf, NS, succeeded, TASKRUN, waitFor, waitForRun } from './helpers.js';

const hasKubectl = works('kubectl', ['version', '--client']);
let world: Embedded;

beforeAll(async () => {
  ensureHelper();
  world = await startEmbedded({ runtime: 'host', memory: true, eventListeners: false, featureFlags: { 'enable-api-fields': 'alpha' } });
}, 60_000);
afterAll(async () => world?.stop());

const taskRun = (name: string, breakpoints: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  debug:
    breakpoints:
${breakpoints}
  taskSpec:
    steps:
    - name: first
      image: busybox
      script: |
        echo "first here" > /tmp/state
        echo failing
        exit 3
    - name: second
      image: busybox
      script: echo second ran
    - name: third
      image: busybox
      script: echo third ran
`;

/** Waits until a step's log shows it is at a breakpoint. */
async function atBreakpoint(tr: string, step: string, text: string): Promise<void> {
  await waitFor(`${tr} ${step} at its breakpoint`, async () => (await logsOf(world.client, NS, `${tr}-pod`, `step-${step}`).catch(() => '')).includes(text), 60_000);
}

const stepsOf = (tr: TaskRun) => Object.fromEntries((tr.status?.steps ?? []).map((s) => [s.name, s.terminated?.exitCode]));

describe('debug breakpoints', () => {
  it.skipIf(!hasKubectl)('onFailure: the failed step waits, the TaskRun stays Running; kubectl exec debug-continue lets it succeed', async () => {
    await applyYaml(world.client, taskRun('on-failure', '      onFailure: enabled'));
    await atBreakpoint('on-failure', 'first', '/tekton/debug/scripts/debug-continue');
    const running = await world.client.get<TaskRun>(TASKRUN, NS, 'on-failure');
    expect(succeeded(running)?.status).toBe('Unknown');
    expect(await logsOf(world.client, NS, 'on-failure-pod', 'step-second')).toBe('');
    // inside the stopped step, as Tekton's docs show: look around, then continue
    const look = await kubectl(world, ['exec', 'on-failure-pod', '-c', 'step-first', '--', 'cat', '/tmp/state']);
    expect(look.stdout).toBe('first here\n');
    const cont = await kubectl(world, ['exec', 'on-failure-pod', '-c', 'step-first', '--', '/tekton/debug/scripts/debug-continue']);
    expect(cont).toMatchObject({ code: 0, stdout: 'Executing step 0...\n' });
    const done = await waitForRun(world.client, 'TaskRun', NS, 'on-failure');
    expect(succeeded(done)?.status).toBe('True');
    expect(stepsOf(done)).toEqual({ first: 0, second: 0, third: 0 });
    expect(await logsOf(world.client, NS, 'on-failure-pod', 'step-third')).toBe('third ran\n');
  }, 120_000);

  it('onFailure: tkt tr exec debug-fail-continue fails the step; the later steps still run, the TaskRun fails', async () => {
    await applyYaml(world.client, taskRun('fail-continue', '      onFailure: enabled'));
    await atBreakpoint('fail-continue', 'first', 'debug-fail-continue');
    const r = await tkt(world, ['tr', 'exec', 'fail-continue', '--', '/tekton/debug/scripts/debug-fail-continue']);
    expect(r).toMatchObject({ code: 0, stdout: 'Executing step 0...\n' });
    const done = await waitForRun(world.client, 'TaskRun', NS, 'fail-continue');
    expect(succeeded(done)?.status).toBe('False');
    expect(stepsOf(done)).toEqual({ first: 1, second: 0, third: 0 });
  }, 120_000);

  it('beforeSteps: the step waits before it starts; debug-beforestep-continue runs it, -fail-continue fails it unrun', async () => {
    await applyYaml(world.client, taskRun('before', '      onFailure: enabled\n      beforeSteps: [second, third]'));
    await atBreakpoint('before', 'first', 'debug-continue');
    expect((await tkt(world, ['tr', 'exec', 'before', '--', '/tekton/debug/scripts/debug-continue'])).code).toBe(0);
    await atBreakpoint('before', 'second', '/tekton/debug/scripts/debug-beforestep-continue');
    expect(await logsOf(world.client, NS, 'before-pod', 'step-second')).not.toContain('second ran');
    // the default step of tkt tr exec is the one holding now: second
    expect((await tkt(world, ['tr', 'exec', 'before', '--', '/tekton/debug/scripts/debug-beforestep-continue'])).code).toBe(0);
    await waitFor('second ran', async () => (await logsOf(world.client, NS, 'before-pod', 'step-second')).includes('second ran'));
    await atBreakpoint('before', 'third', 'debug-beforestep-fail-continue');
    expect((await tkt(world, ['tr', 'exec', 'before', '-s', 'third', '--', '/tekton/debug/scripts/debug-beforestep-fail-continue'])).code).toBe(0);
    const done = await waitForRun(world.client, 'TaskRun', NS, 'before');
    expect(succeeded(done)?.status).toBe('False');
    expect(stepsOf(done)).toEqual({ first: 0, second: 0, third: 1 });
    expect(await logsOf(world.client, NS, 'before-pod', 'step-third')).not.toContain('third ran');
  }, 120_000);

  it('is refused without enable-api-fields: alpha, and without onFailure: enabled, as Tekton does', async () => {
    const bad = await applyYaml(world.client, taskRun('no-on-failure', '      beforeSteps: [second]')).then(() => '', (e: Error) => e.message);
    expect(bad).toContain('spec.debug.breakpoints.onFailure');
  }, 30_000);
});
