/**
 * Serving tekton.dev/v1beta1 beside the stored v1 (src/api/convert): create, get, list, watch, merge patch and
 * update at v1beta1 see and write the v1beta1 form while the store keeps v1; discovery lists both versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../src/api/types.js';
import { KubeClient } from '../../src/kube/client.js';
import { startTestServer, streamLines, type TestServer } from './helpers.js';

let t: TestServer;
const B1 = '/apis/tekton.dev/v1beta1/namespaces/default/pipelineruns';
const V1 = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

const b1Run = (name: string) => ({
  apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name },
  spec: { pipelineRef: { name: 'p' }, serviceAccountName: 'sa', timeout: '2h', podTemplate: { nodeSelector: { a: 'b' } }, taskRunSpecs: [{ pipelineTaskName: 't', taskPodTemplate: { nodeSelector: { c: 'd' } } }] },
});

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

describe('tekton.dev/v1beta1 beside the stored v1', () => {
  it('creates at v1beta1, stores v1, answers each version in its own form', async () => {
    const created = await t.request('POST', B1, b1Run('a'));
    expect(created.status).toBe(201);
    expect(created.json().apiVersion).toBe('tekton.dev/v1beta1');
    expect(created.json().spec.serviceAccountName).toBe('sa');
    const stored = t.api.store.get('tekton.dev/pipelineruns', 'default', 'a');
    expect(stored?.apiVersion).toBe('tekton.dev/v1');
    expect(stored?.spec).toMatchObject({ taskRunTemplate: { serviceAccountName: 'sa', podTemplate: { nodeSelector: { a: 'b' } } }, timeouts: { pipeline: '2h' } });
    expect((await t.request('GET', `${V1}/a`)).json().spec.taskRunSpecs[0].podTemplate).toEqual({ nodeSelector: { c: 'd' } });
    const b1 = (await t.request('GET', `${B1}/a`)).json();
    expect(b1.spec.taskRunSpecs[0]).toEqual({ pipelineTaskName: 't', taskPodTemplate: { nodeSelector: { c: 'd' } } });
    const list = (await t.request('GET', B1)).json();
    expect(list.apiVersion).toBe('tekton.dev/v1beta1');
    expect(list.items[0].spec.serviceAccountName).toBe('sa');
  });

  it('watches at v1beta1 in the v1beta1 form', async () => {
    await t.request('POST', B1, b1Run('w'));
    const w = streamLines(t.api, `${B1}?watch=true&fieldSelector=metadata.name%3Dw`);
    const [added] = (await w.next(1)).map((l) => JSON.parse(l));
    await t.request('PATCH', `${V1}/w`, { spec: { taskRunTemplate: { serviceAccountName: 'changed' } } }, MERGE);
    const [, modified] = (await w.next(2)).map((l) => JSON.parse(l));
    w.close();
    expect(added.object.apiVersion).toBe('tekton.dev/v1beta1');
    expect(added.object.spec.serviceAccountName).toBe('sa');
    expect(modified.type).toBe('MODIFIED');
    expect(modified.object.spec.serviceAccountName).toBe('changed');
    expect(modified.object.spec).not.toHaveProperty('taskRunTemplate');
  });

  it('merge-patches and updates at v1beta1', async () => {
    await t.request('POST', B1, b1Run('p'));
    const patched = await t.request('PATCH', `${B1}/p`, { spec: { serviceAccountName: 'other' } }, MERGE);
    expect(patched.status).toBe(200);
    expect(t.api.store.get('tekton.dev/pipelineruns', 'default', 'p')?.spec).toMatchObject({ taskRunTemplate: { serviceAccountName: 'other' } });
    const current = (await t.request('GET', `${B1}/p`)).json();
    current.spec.podTemplate = { nodeSelector: { z: 'y' } };
    expect((await t.request('PUT', `${B1}/p`, current)).status).toBe(200);
    expect(t.api.store.get('tekton.dev/pipelineruns', 'default', 'p')?.spec).toMatchObject({ taskRunTemplate: { serviceAccountName: 'other', podTemplate: { nodeSelector: { z: 'y' } } } });
  });

  it('lists both versions in discovery, v1 preferred', async () => {
    const g = (await t.request('GET', '/apis/tekton.dev')).json();
    expect(g.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1beta1', 'v1alpha1']); // v1alpha1: StepAction
    expect(g.preferredVersion.version).toBe('v1');
    const rl = (await t.request('GET', '/apis/tekton.dev/v1beta1')).json();
    expect(rl.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['tasks', 'taskruns', 'pipelines', 'pipelineruns', 'stepactions']));
  });

  it('kubectl apply of a v1beta1 Task twice: the second apply patches at v1beta1 and the store keeps v1', async () => {
    const task = (cpu: string) => `apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: applied, namespace: default}\nspec:\n  steps:\n    - name: s\n      image: alpine\n      resources: {limits: {cpu: "${cpu}"}}\n      ports: [{containerPort: 80}]\n`;
    expect((await t.kubectl(['apply', '-f', '-'], task('1'))).stdout).toContain('task.tekton.dev/applied created');
    const second = await t.kubectl(['apply', '-f', '-'], task('2'));
    expect(second.stdout + second.stderr).toContain('task.tekton.dev/applied configured');
    const stored = t.api.store.get('tekton.dev/tasks', 'default', 'applied') as { apiVersion: string; spec: { steps: Array<Record<string, unknown>> } } | undefined;
    expect(stored?.apiVersion).toBe('tekton.dev/v1');
    expect(stored?.spec.steps[0]).toEqual({ name: 's', image: 'alpine', computeResources: { limits: { cpu: '2' } } });
    const b1 = JSON.parse((await t.kubectl(['get', 'tasks.v1beta1.tekton.dev', 'applied', '-o', 'json'])).stdout) as { spec: { steps: Array<Record<string, unknown>> }; metadata: { annotations: Record<string, string> } };
    expect(b1.spec.steps[0]).toEqual({ name: 's', image: 'alpine', resources: { limits: { cpu: '2' } }, ports: [{ containerPort: 80 }] });
    expect(b1.metadata.annotations).not.toHaveProperty('tekton.dev/v1beta1.task-deprecations');
  });

  it('KubeClient.create of a v1beta1 object posts it at v1beta1 and answers the stored v1 form', async () => {
    const client = KubeClient.forServer({ server: t.api.url, token: t.api.token, ca: t.api.ca });
    const created = await client.create(b1Run('via-client') as unknown as PipelineRun);
    expect(created.apiVersion).toBe('tekton.dev/v1');
    expect(created.spec.taskRunTemplate?.serviceAccountName).toBe('sa');
    expect(created.spec.timeouts?.pipeline).toBe('2h');
    expect(t.api.store.get('tekton.dev/pipelineruns', 'default', 'via-client')?.spec).toMatchObject({ taskRunTemplate: { serviceAccountName: 'sa' } });
  });
});
