/**
 * The controllers in a worker thread, as `tkt up --controller-thread` runs them: runs go through (pods on the host runtime), a
 * ConfigMap change made before a run is in force when the worker reconciles it, and a worker that dies is started
 * again and picks up the work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaulting } from '../../src/api/defaults.js';
import type { KubeObject, TaskRun } from '../../src/api/types.js';
import { LiveConfig } from '../../src/cluster/live-config.js';
import { startApiServer, type ApiServer } from '../../src/embedded/apiserver/index.js';
import { startControllerThread, type ControllerThread } from '../../src/embedded/controller-thread.js';
import { startKubelet, type Kubelet } from '../../src/embedded/kubelet/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { admission, helperPath, startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { KubeClient } from '../../src/kube/client.js';
import { applyYaml, ensureHelper, NS, succeeded, TASKRUN, waitForRun } from './helpers.js';

const pipeline = (name: string) => `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${name}}
spec:
  tasks:
  - name: a
    taskSpec: {steps: [{name: s, image: busybox, script: 'echo a'}]}
  - name: b
    runAfter: [a]
    taskSpec: {steps: [{name: s, image: busybox, script: 'echo b'}]}
`;
const run = (name: string, p: string) => `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${name}}
spec: {pipelineRef: {name: ${p}}}
`;

describe('controllers in a worker thread (embedded mode)', () => {
  let world: Embedded;
  const warnings: string[] = [];
  beforeAll(async () => {
    ensureHelper();
    world = await startEmbedded({ runtime: 'host', memory: true, eventListeners: false, controllerThread: true, warn: (m) => warnings.push(m) });
  }, 60_000);
  afterAll(async () => { await world?.stop(); });

  it('runs a pipeline, with the ConfigMaps changed before it in force', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap' };
    type ConfigMap = KubeObject & { data?: Record<string, string> };
    const defaults = await world.client.tryGet<ConfigMap>(ref, 'tekton-pipelines', 'config-defaults');
    const data = { 'default-managed-by-label-value': 'thread-ci' };
    const nsRef = { apiVersion: 'v1', kind: 'Namespace' };
    if (!(await world.client.tryGet(nsRef, undefined, 'tekton-pipelines'))) await world.client.create({ ...nsRef, metadata: { name: 'tekton-pipelines' } });
    if (defaults) await world.client.update({ ...defaults, data: { ...defaults.data, ...data } });
    else await world.client.create({ ...ref, metadata: { name: 'config-defaults', namespace: 'tekton-pipelines' }, data } as ConfigMap);
    await applyYaml(world.client, pipeline('two') + '---' + run('two-1', 'two'));
    const pr = await waitForRun(world.client, 'PipelineRun', NS, 'two-1');
    expect(succeeded(pr)?.status).toBe('True');
    const trs = (await world.client.list<TaskRun>(TASKRUN, NS, { labelSelector: 'tekton.dev/pipelineRun=two-1' })).items;
    expect(trs.map((t) => t.metadata.labels?.['app.kubernetes.io/managed-by'])).toEqual(['thread-ci', 'thread-ci']);
    expect(warnings.filter((w) => w.includes('controller thread'))).toEqual([]);
  }, 60_000);
});

describe('a controller thread that dies', () => {
  let dir: string;
  let api: ApiServer;
  let kubelet: Kubelet;
  let thread: ControllerThread;
  let client: KubeClient;
  const warnings: string[] = [];
  beforeAll(async () => {
    ensureHelper();
    dir = mkdtempSync(join(tmpdir(), 'tkt-thread-'));
    const logs = new FileLogStore(join(dir, 'logs'));
    const live = new LiveConfig({}, {});
    api = await startApiServer({ port: 0, logs, admission: admission(live.config), defaults: defaulting() });
    client = KubeClient.forServer({ server: api.url, token: api.token, ca: api.ca, socketPath: api.socketPath, inProcess: api.inProcess });
    kubelet = await startKubelet({ client, logs, dataDir: dir, runtime: 'noop', helperPath: helperPath(), events: false });
    thread = await startControllerThread({
      connection: { server: api.url, token: api.token, ca: api.ca }, inProcess: api.inProcess, live, configNamespace: 'tekton-pipelines',
      events: false, warn: (m) => warnings.push(m),
    });
  }, 60_000);
  afterAll(async () => {
    await thread?.stop(0);
    await kubelet?.stop(0);
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is started again and reconciles what was created meanwhile', async () => {
    await applyYaml(client, pipeline('p') + '---' + run('before', 'p'));
    expect(succeeded(await waitForRun(client, 'PipelineRun', NS, 'before'))?.status).toBe('True');
    const first = thread.worker();
    expect(first).toBeDefined();
    await first?.terminate();
    await applyYaml(client, run('after', 'p'));
    expect(succeeded(await waitForRun(client, 'PipelineRun', NS, 'after'))?.status).toBe('True');
    expect(thread.worker()).not.toBe(first);
    expect(warnings.some((w) => /the controller thread exited \(code 1\); starting it again/.test(w))).toBe(true);
    const stats = await thread.refreshStats();
    expect(stats.pipelinerun?.reconciles).toBeGreaterThan(0);
  }, 60_000);
});
