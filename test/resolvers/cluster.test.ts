/**
 * The cluster resolver against a real API server: Tasks, Pipelines and StepActions from other namespaces, and
 * failures naming the reference (unknown name, unknown namespace, wrong kind, missing name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolution } from '../../src/controller/resolution/index.js';
import { params, startTestApi, type TestApi } from './api.js';

describe('cluster resolver', () => {
  let t: TestApi;
  let r: Resolution;

  beforeAll(async () => {
    t = await startTestApi();
    r = t.resolution();
    await t.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shared' } });
    await t.create({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'lint', namespace: 'shared' }, spec: { steps: [{ name: 's', image: 'x', script: 'echo lint' }] } });
    await t.create({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'ci', namespace: 'shared' }, spec: { tasks: [{ name: 'a', taskRef: { name: 'lint' } }] } });
    await t.create({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'greet', namespace: 'shared' }, spec: { image: 'x', script: 'echo hi' } });
  });
  afterAll(async () => t?.close());

  it('resolves a Task, a Pipeline and a StepAction from another namespace', async () => {
    const task = await r.resolve(t.client, { resolver: 'cluster', namespace: 'default', kind: 'task', params: params({ name: 'lint', namespace: 'shared' }) });
    expect(task.ok && task.object.kind).toBe('Task');
    expect(task.ok && task.name).toBe('lint');
    const p = await r.resolve(t.client, { resolver: 'cluster', namespace: 'default', kind: 'pipeline', params: params({ name: 'ci', namespace: 'shared', kind: 'pipeline' }) });
    expect(p.ok && (p.object.spec as { tasks: unknown[] }).tasks).toHaveLength(1);
    const sa = await r.resolve(t.client, { resolver: 'cluster', namespace: 'shared', kind: 'stepaction', params: params({ name: 'greet' }) });
    expect(sa.ok && (sa.object.spec as { script: string }).script).toBe('echo hi');
  });

  it('fails naming the reference: unknown name, unknown namespace, wrong kind, no name', async () => {
    const unknown = await r.resolve(t.client, { resolver: 'cluster', namespace: 'default', kind: 'task', params: params({ name: 'nope', namespace: 'shared' }) });
    expect(unknown).toEqual({ ok: false, message: 'resolver "cluster" (name=nope, namespace=shared): tasks.tekton.dev "nope" not found in namespace "shared"' });
    const ns = await r.resolve(t.client, { resolver: 'cluster', namespace: 'default', kind: 'task', params: params({ name: 'lint' }) });
    expect(!ns.ok && ns.message).toContain('not found in namespace "default"');
    const kind = await r.resolve(t.client, { resolver: 'cluster', namespace: 'shared', kind: 'pipeline', params: params({ name: 'lint', kind: 'task' }) });
    expect(!kind.ok && kind.message).toContain('expected a tekton.dev Pipeline');
    const noName = await r.resolve(t.client, { resolver: 'cluster', namespace: 'shared', kind: 'task', params: [] });
    expect(!noName.ok && noName.message).toContain('missing required param "name"');
  });

  it('answers an unknown resolver with the list of known ones', async () => {
    const res = await r.resolve(t.client, { resolver: 'svn', namespace: 'default', kind: 'task', params: [] });
    expect(!res.ok && res.message).toBe('resolver "svn": unknown resolver; tektite resolves cluster, git, http, bundles, hub');
  });
});
