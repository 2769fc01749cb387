/**
 * Updates that change only a run's control fields (spec.status, spec.statusMessage: cancel, stop, pending) are
 * admitted by checking those fields and Tekton's update rules only (the rest was admitted when written). The
 * outcomes must be the ones full admission gives: a cancel is accepted, and every rule about those fields holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { ApiError } from '../../src/kube/errors.js';

const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
let world: Embedded;
beforeAll(async () => {
  world = await startEmbedded({ runtime: 'noop', memory: true, controllers: false, eventListeners: false });
}, 60_000);
afterAll(async () => { await world?.stop(); });

async function run(ref: typeof TR, name: string, status: Record<string, unknown>): Promise<KubeObject> {
  const spec = ref.kind === 'TaskRun' ? { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } } : { pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } }] } };
  const created = await world.client.create({ ...ref, metadata: { name, namespace: 'default' }, spec } as KubeObject);
  return world.client.updateStatus({ ...created, status });
}

const started = { startTime: '2026-12-04T00:00:00Z', conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] };
const finished = { startTime: '2026-12-04T00:00:00Z', completionTime: '2026-12-04T00:00:01Z', conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] };

async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return { code: (err as ApiError).code, message: (err as ApiError).message };
}

describe('control-field updates of runs', () => {
  it('a started TaskRun is cancelled with a message; its spec keeps its defaults and its generation moves', async () => {
    const before = await run(TR, 'rc-cancel', started);
    const after = await world.client.patch(TR, 'default', 'rc-cancel', { spec: { status: 'TaskRunCancelled', statusMessage: 'stop it' } });
    expect(after.spec).toEqual({ ...(before.spec as object), status: 'TaskRunCancelled', statusMessage: 'stop it' });
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 1) + 1);
  });

  it('refuses a statusMessage without status, Pending after start, an unknown status and any change of a finished run', async () => {
    await run(TR, 'rc-rules', started);
    await world.client.patch(TR, 'default', 'rc-rules', { spec: { status: 'TaskRunCancelled', statusMessage: 'm' } });
    const noStatus = await refusal(world.client.patch(TR, 'default', 'rc-rules', { spec: { status: null } }));
    expect(noStatus.code).toBe(422);
    expect(noStatus.message).toMatch(/spec\.statusMessage: .*statusMessage is only meaningful with status/);
    const pending = await refusal(world.client.patch(TR, 'default', 'rc-rules', { spec: { status: 'TaskRunPending' } }));
    expect(pending.message).toMatch(/spec\.status: .*TaskRun cannot be Pending after it is started/);
    const unknown = await refusal(world.client.patch(TR, 'default', 'rc-rules', { spec: { status: 'Paused' } }));
    expect(unknown.code).toBe(422);
    expect(unknown.message).toMatch(/spec\.status/);
    await run(TR, 'rc-done', finished);
    const done = await refusal(world.client.patch(TR, 'default', 'rc-done', { spec: { status: 'TaskRunCancelled' } }));
    expect(done.message).toMatch(/Once the TaskRun is complete, no updates are allowed/);
  });

  it('a PipelineRun is stopped, then cancelled; a change beyond the control fields still gets full admission', async () => {
    await run(PR, 'rc-pr', started);
    const stopped = await world.client.patch(PR, 'default', 'rc-pr', { spec: { status: 'StoppedRunFinally' } });
    expect((stopped.spec as { status?: string }).status).toBe('StoppedRunFinally');
    const cancelled = await world.client.patch(PR, 'default', 'rc-pr', { spec: { status: 'Cancelled' } });
    expect((cancelled.spec as { status?: string }).status).toBe('Cancelled');
    const more = await refusal(world.client.patch(PR, 'default', 'rc-pr', { spec: { status: 'Cancelled', timeouts: { pipeline: 'soon' } } }));
    expect(more.code).toBe(422);
    expect(more.message).toMatch(/timeouts/);
  });
});
