/**
 * Issue 12 items 3–4: Tekton's labels and annotations on runs and pods, status.provenance, and Kubernetes Events
 * (run events from the controllers, pod events from the kubelet) as `kubectl get events` and `kubectl describe`
 * show them — embedded mode for real (HTTPS API server, controllers, kubelet running bubblewrap pods).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, PipelineRun, Pod, TaskRun } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import { applyYaml, childTaskRun, NS, PIPELINERUN, POD, startWorld, TASKRUN, waitFor, waitForRun } from './helpers.js';

let world: Embedded;
let cacheDir: string;
beforeAll(async () => {
  world = await startWorld();
  cacheDir = mkdtempSync(join(tmpdir(), 'tkt-kubectl-cache-'));
}, 60_000);
afterAll(async () => {
  await world?.stop();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', world.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const DEFINITIONS = `
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
  labels: {team: blue, shared: from-task}
  annotations: {note: from-task}
spec:
  steps:
    - {name: say, image: busybox, script: "echo hi"}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: hello
  labels: {pipeline-owner: green}
  annotations: {docs: from-pipeline}
spec:
  tasks:
    - {name: first, taskRef: {name: greet}}
  finally:
    - {name: last, taskRef: {name: greet}}
`;

type Ev = KubeObject & { reason?: string; message?: string; type?: string; involvedObject?: { kind?: string; name?: string; fieldPath?: string }; source?: { component?: string } };

async function eventsAbout(kind: string, name: string): Promise<Ev[]> {
  const list = await world.client.list<Ev>({ apiVersion: 'v1', kind: 'Event' }, NS, { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` });
  return list.items;
}

describe('labels, annotations and provenance (Tekton reconcilers)', () => {
  it('a standalone TaskRun with a taskRef gets tekton.dev/task and the Task\'s labels and annotations; its pod inherits them', async () => {
    await applyYaml(world.client, DEFINITIONS);
    await applyYaml(world.client, `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: tr-ref, labels: {shared: from-run}}\nspec: {taskRef: {name: greet}}\n`);
    await waitForRun(world.client, 'TaskRun', NS, 'tr-ref');
    const tr = await waitFor('labels on tr-ref', async () => {
      const t = await world.client.get<TaskRun>(TASKRUN, NS, 'tr-ref');
      return t.metadata.labels?.['tekton.dev/task'] ? t : undefined;
    });
    expect(tr.metadata.labels).toMatchObject({ 'tekton.dev/task': 'greet', team: 'blue', shared: 'from-run', 'app.kubernetes.io/managed-by': 'tekton-pipelines' });
    expect(tr.metadata.annotations).toMatchObject({ note: 'from-task' });
    const pod = await world.client.get<Pod>(POD, NS, 'tr-ref-pod');
    expect(pod.metadata.labels).toMatchObject({ 'tekton.dev/task': 'greet', team: 'blue', 'tekton.dev/taskRun': 'tr-ref' });
    expect(pod.metadata.annotations).toMatchObject({ note: 'from-task' });
    const prov = tr.status?.provenance as { featureFlags?: Record<string, unknown> } | undefined;
    expect(prov?.featureFlags).toMatchObject({ enableAPIFields: 'beta', enableProvenanceInStatus: true, resultExtractionMethod: 'termination-message', maxResultSize: 4096 });
  }, 60_000);

  it('a PipelineRun gets tekton.dev/pipeline and the Pipeline\'s metadata, passed on to its TaskRuns with tekton.dev/memberOf', async () => {
    await applyYaml(world.client, `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: pr-ref}\nspec: {pipelineRef: {name: hello}}\n`);
    await waitForRun(world.client, 'PipelineRun', NS, 'pr-ref');
    const pr = await world.client.get<PipelineRun>(PIPELINERUN, NS, 'pr-ref');
    expect(pr.metadata.labels).toMatchObject({ 'tekton.dev/pipeline': 'hello', 'pipeline-owner': 'green' });
    expect(pr.metadata.annotations).toMatchObject({ docs: 'from-pipeline' });
    expect((pr.status?.provenance as { featureFlags?: object } | undefined)?.featureFlags).toBeDefined();
    const first = await childTaskRun(world.client, NS, 'pr-ref', 'first');
    const last = await childTaskRun(world.client, NS, 'pr-ref', 'last');
    expect(first.metadata.labels).toMatchObject({ 'tekton.dev/pipeline': 'hello', 'tekton.dev/task': 'greet', 'tekton.dev/memberOf': 'tasks', 'pipeline-owner': 'green', team: 'blue' });
    expect(last.metadata.labels?.['tekton.dev/memberOf']).toBe('finally');
  }, 60_000);

  it('an embedded pipelineSpec is labelled with the run\'s name, or its generateName', async () => {
    const spec = 'spec: {pipelineSpec: {tasks: [{name: a, taskSpec: {steps: [{image: busybox, script: "true"}]}}]}}';
    await applyYaml(world.client, `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: pr-inline}\n${spec}\n`);
    const [gen] = await applyYaml<PipelineRun>(world.client, `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {generateName: nightly-}\n${spec}\n`);
    const label = async (name: string) => waitFor(`label on ${name}`, async () => (await world.client.get<PipelineRun>(PIPELINERUN, NS, name)).metadata.labels?.['tekton.dev/pipeline']);
    expect(await label('pr-inline')).toBe('pr-inline');
    expect(await label(gen?.metadata.name ?? '')).toBe('nightly');
  }, 60_000);

  it('a remotely resolved Task: status.provenance.refSource (uri, digest) and the Task\'s labels', async () => {
    const body = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: remote-greet, labels: {origin: http}}\nspec:\n  steps: [{name: say, image: busybox, script: "echo hi"}]\n';
    const srv = createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/task.yaml`;
      await applyYaml(world.client, `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: tr-remote}\nspec: {taskRef: {resolver: http, params: [{name: url, value: "${url}"}]}}\n`);
      await waitForRun(world.client, 'TaskRun', NS, 'tr-remote');
      const tr = await waitFor('labels on tr-remote', async () => {
        const t = await world.client.get<TaskRun>(TASKRUN, NS, 'tr-remote');
        return t.metadata.labels?.['tekton.dev/task'] ? t : undefined;
      });
      expect(tr.metadata.labels).toMatchObject({ 'tekton.dev/task': 'remote-greet', origin: 'http' });
      expect((tr.status?.provenance as { refSource?: unknown }).refSource).toEqual({ uri: url, digest: { sha256: createHash('sha256').update(body).digest('hex') } });
    } finally {
      srv.close();
    }
  }, 60_000);
});

describe('Kubernetes Events', () => {
  it('runs get Tekton\'s Started/Running/Succeeded events and pods the kubelet\'s, visible to kubectl', async () => {
    const trEvents = await waitFor('TaskRun events', async () => {
      const evs = await eventsAbout('TaskRun', 'tr-ref');
      return evs.some((e) => e.reason === 'Succeeded') ? evs : undefined;
    });
    // Started first; then Pending and/or Running depending on how fast the pod ran; Succeeded last
    expect(trEvents.map((e) => e.reason)).toEqual(expect.arrayContaining(['Started', 'Pending', 'Succeeded']));
    expect(trEvents.find((e) => e.reason === 'Succeeded')).toMatchObject({ type: 'Normal', message: 'All Steps have completed executing', source: { component: 'TaskRun' } });
    const prEvents = await waitFor('PipelineRun events', async () => {
      const evs = await eventsAbout('PipelineRun', 'pr-ref');
      return evs.some((e) => e.reason === 'Succeeded') ? evs : undefined;
    });
    expect(prEvents.map((e) => e.reason)).toEqual(expect.arrayContaining(['Started', 'Succeeded']));
    const podEvents = await waitFor('pod events', async () => {
      const evs = await eventsAbout('Pod', 'tr-ref-pod');
      return evs.some((e) => e.reason === 'Started') ? evs : undefined;
    });
    expect(podEvents.map((e) => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Created', 'Started']));
    expect(podEvents.find((e) => e.reason === 'Started' && e.involvedObject?.fieldPath === 'spec.containers{step-say}')).toMatchObject({ message: 'Started container step-say', source: { component: 'kubelet' } });

    const get = await kubectl('get', 'events', '-n', NS);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/Normal\s+Succeeded\s+taskrun\/tr-ref\s+All Steps have completed executing/);
    expect(get.stdout).toMatch(/Normal\s+Scheduled\s+pod\/tr-ref-pod\s+Successfully assigned default\/tr-ref-pod to tektite/);
    const pod = await kubectl('describe', 'pod', 'tr-ref-pod', '-n', NS);
    expect(pod.code, pod.stderr).toBe(0);
    expect(pod.stdout).toMatch(/Events:[\s\S]*Scheduled[\s\S]*Started\s+.*Started container step-say/);
    const tr = await kubectl('describe', 'taskrun', 'tr-ref', '-n', NS);
    expect(tr.code, tr.stderr).toBe(0);
    expect(tr.stdout).toMatch(/Events:[\s\S]*Started[\s\S]*Succeeded\s+.*All Steps have completed executing/);
  }, 60_000);
});
