/**
 * Resolvers through the real controllers (embedded mode, host runtime): a TaskRun whose taskRef uses the git
 * resolver, a PipelineRun whose pipelineRef uses git (revision from a run param) and whose tasks come from the
 * cluster (another namespace), http and hub resolvers; and resolution failures failing the runs with Tekton's
 * reasons (TaskRunResolutionFailed, CouldntGetPipeline, CouldntGetTask) and messages naming the reference.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureResolution } from '../../src/controller/resolution/index.js';
import { Cluster, explain, hostRuntimeMissing } from '../catalog/harness.js';
import { makeBareRepo, type BareRepo } from '../catalog/fixtures/git.js';
import { taskYaml } from './api.js';

const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping resolver reconcile tests: ${missing}`);

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: remote-pipeline
spec:
  params:
    - name: http-url
  tasks:
    - name: from-cluster
      taskRef:
        resolver: cluster
        params: [{name: name, value: shared-task}, {name: namespace, value: shared}]
    - name: from-http
      runAfter: [from-cluster]
      taskRef:
        resolver: http
        params: [{name: url, value: $(params.http-url)}]
    - name: from-hub
      runAfter: [from-http]
      taskRef:
        resolver: hub
        params: [{name: name, value: kubectl-dry-run}]
      workspaces: [{name: source, workspace: ws}]
  workspaces: [{name: ws}]
`;

describe.skipIf(!!missing)('resolution in the reconcilers', () => {
  let cluster: Cluster;
  let dir: string;
  let repo: BareRepo;
  let server: Server;
  let httpUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-resolve-e2e-'));
    // the controllers run in this process: keep their git mirrors in the test's temp dir (removed below)
    configureResolution({ cacheDir: join(dir, 'resolution-cache') });
    repo = makeBareRepo(dir, 'defs', { 'tasks/hello.yaml': taskYaml('hello', 'hello-from-git'), 'pipeline.yaml': PIPELINE });
    server = createServer((req, res) => (req.url === '/task.yaml' ? res.end(taskYaml('http-task', 'hello-from-http')) : res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cluster = await Cluster.start();
    await cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shared' } },
      { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'shared-task', namespace: 'shared' }, spec: { steps: [{ name: 's', image: 'busybox', script: 'echo hello-from-cluster' }] } },
      { apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'greet', namespace: 'shared' }, spec: { params: [{ name: 'who' }], image: 'busybox', env: [{ name: 'WHO', value: '$(params.who)' }], script: 'echo "step action says hi to $WHO"' } },
    ]);
  });
  afterAll(async () => {
    await cluster?.stop();
    server?.closeAllConnections();
    await new Promise<void>((r) => server?.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a TaskRun whose Task comes from git', async () => {
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'git-task' },
      spec: { taskRef: { resolver: 'git', params: [{ name: 'url', value: repo.url }, { name: 'revision', value: 'main' }, { name: 'pathInRepo', value: 'tasks/hello.yaml' }] } },
    });
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.logs).toContain('hello-from-git');
  });

  it('runs a PipelineRun whose Pipeline comes from git and whose Tasks come from cluster, http and hub', async () => {
    const f = await cluster.runPipeline({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'remote-pr' },
      spec: {
        params: [{ name: 'rev', value: 'main' }, { name: 'http-url', value: `${httpUrl}/task.yaml` }],
        pipelineRef: { resolver: 'git', params: [{ name: 'url', value: repo.url }, { name: 'revision', value: '$(params.rev)' }, { name: 'pathInRepo', value: 'pipeline.yaml' }] },
        workspaces: [{ name: 'ws', emptyDir: {} }],
      },
    });
    // the hub task (kubectl-dry-run) fails on an empty workspace: the point is that all three resolved and ran
    expect(f.logs, explain(f)).toContain('hello-from-cluster');
    expect(f.logs).toContain('hello-from-http');
    expect(f.logs).toContain('[remote-pr-from-hub/step-check] checking offline');
    expect(f.reason, explain(f)).toBe('Failed');
  });

  it('runs a step whose StepAction comes from another namespace (cluster resolver)', async () => {
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'remote-step' },
      spec: { taskSpec: { steps: [{ name: 'hi', ref: { resolver: 'cluster', params: [{ name: 'name', value: 'greet' }, { name: 'namespace', value: 'shared' }] }, params: [{ name: 'who', value: 'tektite' }] }] } },
    });
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.logs).toContain('step action says hi to tektite');
  });

  it('fails a TaskRun with TaskRunResolutionFailed naming the reference', async () => {
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'hub-missing' },
      spec: { taskRef: { resolver: 'hub', params: [{ name: 'name', value: 'no-such-task' }] } },
    });
    expect(f.succeeded).toBe(false);
    expect(f.reason).toBe('TaskRunResolutionFailed');
    expect(f.message).toBe('taskRef of TaskRun "hub-missing": resolver "hub" (name=no-such-task): no task "no-such-task" in the catalog');
  });

  it('fails a PipelineRun with CouldntGetPipeline (bad revision) and CouldntGetTask (unreachable URL)', async () => {
    const badRev = await cluster.runPipeline({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'bad-rev' },
      spec: { pipelineRef: { resolver: 'git', params: [{ name: 'url', value: repo.url }, { name: 'revision', value: 'v404' }, { name: 'pathInRepo', value: 'pipeline.yaml' }] } },
    });
    expect(badRev.reason).toBe('CouldntGetPipeline');
    expect(badRev.message).toContain(`revision "v404" not found in ${repo.url}`);
    const unreachable = await cluster.runPipeline({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'bad-task' },
      spec: { pipelineSpec: { tasks: [{ name: 'remote', taskRef: { resolver: 'http', params: [{ name: 'url', value: `${httpUrl}/missing.yaml` }] } }] } },
    });
    expect(unreachable.reason).toBe('CouldntGetTask');
    expect(unreachable.message).toContain(`resolver "http" (url=${httpUrl}/missing.yaml): GET ${httpUrl}/missing.yaml answered HTTP 404`);
  });
});
