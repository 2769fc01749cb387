/**
 * Run metrics through a real /metrics endpoint: counts, durations and running gauges change as runs move to
 * Running and to a final state through status writes on the (embedded) API server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { listenMetrics, type Endpoint } from '../../src/cluster/http.js';
import { RunMetrics } from '../../src/controller/metrics/index.js';
import { httpGet, sample, startTestApi, waitFor, type TestApi } from './helpers.js';

const P = 'tekton_pipelines_controller_';
let t: TestApi;
let endpoint: Endpoint;
let stopWatch: () => void;
const scrape = async () => (await httpGet(`${endpoint.url}/metrics`)).text;

beforeEach(async () => {
  t = await startTestApi();
  const registry = new Registry();
  const metrics = new RunMetrics(registry);
  stopWatch = (await metrics.watch({ client: t.client })).stop;
  endpoint = await listenMetrics('127.0.0.1', 0, registry);
});
afterEach(async () => {
  stopWatch();
  await endpoint.close();
  await t.close();
});

const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function finish<T extends TaskRun | PipelineRun>(obj: T, status: 'True' | 'False', reason: string, seconds: number): Promise<T> {
  const start = Date.now() - seconds * 1000;
  const running = await t.client.updateStatus<T>({ ...obj, status: { startTime: iso(start), conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] } });
  return t.client.updateStatus<T>({ ...running, status: { startTime: iso(start), completionTime: iso(start + seconds * 1000), conditions: [{ type: 'Succeeded', status, reason }] } });
}

describe('run metrics', () => {
  it('counts a TaskRun and records its duration and the running gauge under Tekton\'s names', async () => {
    expect(sample(await scrape(), `${P}running_taskruns`)).toBe(0);
    expect(sample(await scrape(), `${P}taskrun_total`, { status: 'success' })).toBeUndefined();
    const tr = await t.client.create<TaskRun>({ ...TR, kind: 'TaskRun', metadata: { name: 'build', namespace: 'default', labels: { 'tekton.dev/task': 'compile' } }, spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } } } as TaskRun);
    const running = await t.client.updateStatus<TaskRun>({ ...tr, status: { startTime: iso(Date.now()), conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] } });
    await waitFor('running gauge 1', async () => sample(await scrape(), `${P}running_taskruns`) === 1);
    const start = Date.parse(running.status!.startTime!);
    await t.client.updateStatus<TaskRun>({ ...running, status: { startTime: iso(start), completionTime: iso(start + 42_000), conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] } });
    const text = await waitFor('counted', async () => { const s = await scrape(); return sample(s, `${P}taskrun_total`, { status: 'success' }) === 1 ? s : undefined; });
    expect(sample(text, `${P}running_taskruns`)).toBe(0);
    const labels = { namespace: 'default', task: 'compile', status: 'success' };
    expect(sample(text, `${P}taskrun_duration_seconds_count`, labels)).toBe(1);
    expect(sample(text, `${P}taskrun_duration_seconds_sum`, labels)).toBe(42);
    expect(sample(text, `${P}taskrun_duration_seconds_bucket`, { ...labels, le: '30' })).toBe(0);
    expect(sample(text, `${P}taskrun_duration_seconds_bucket`, { ...labels, le: '60' })).toBe(1);
    expect(text).toContain(`# TYPE ${P}taskrun_duration_seconds histogram`);
    expect(text).toContain(`# TYPE ${P}taskrun_total counter`);
    expect(text).toContain(`# TYPE ${P}running_taskruns gauge`);
  });

  it('counts PipelineRuns by status, pipeline TaskRuns under pipelinerun_taskrun_duration_seconds, each once', async () => {
    const mk = (name: string) => t.client.create<PipelineRun>({ ...PR, kind: 'PipelineRun', metadata: { name, namespace: 'default', labels: { 'tekton.dev/pipeline': 'ci' } }, spec: { pipelineSpec: { tasks: [] } } } as unknown as PipelineRun);
    const ok = await finish(await mk('ok'), 'True', 'Succeeded', 5);
    await finish(await mk('bad'), 'False', 'Failed', 7);
    await finish(await mk('stopped'), 'False', 'Cancelled', 1);
    const child = await t.client.create<TaskRun>({ ...TR, kind: 'TaskRun', metadata: { name: 'ok-a', namespace: 'default', labels: { 'tekton.dev/pipeline': 'ci', 'tekton.dev/pipelineRun': 'ok', 'tekton.dev/task': 'lint' } }, spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } } } as TaskRun);
    await finish(child, 'False', 'Failed', 3);
    const text = await waitFor('all counted', async () => { const s = await scrape(); return sample(s, `${P}taskrun_total`, { status: 'failed' }) === 1 && sample(s, `${P}pipelinerun_total`, { status: 'cancelled' }) === 1 ? s : undefined; });
    expect(sample(text, `${P}pipelinerun_total`, { status: 'success' })).toBe(1);
    expect(sample(text, `${P}pipelinerun_total`, { status: 'failed' })).toBe(1);
    expect(sample(text, `${P}pipelinerun_duration_seconds_sum`, { namespace: 'default', pipeline: 'ci', status: 'failed' })).toBe(7);
    expect(sample(text, `${P}pipelinerun_taskrun_duration_seconds_count`, { namespace: 'default', pipeline: 'ci', task: 'lint', status: 'failed' })).toBe(1);
    // a further status write on a finished run is not counted again
    await t.client.updateStatus<PipelineRun>({ ...ok, status: { ...ok.status, conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'again' }] } });
    await new Promise((r) => setTimeout(r, 300));
    expect(sample(await scrape(), `${P}pipelinerun_total`, { status: 'success' })).toBe(1);
  });

  it('ignores runs managed by another controller', async () => {
    const tr = await t.client.create<TaskRun>({ ...TR, kind: 'TaskRun', metadata: { name: 'foreign', namespace: 'default' }, spec: { managedBy: 'example.com/other', taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } } } as TaskRun);
    await finish(tr, 'True', 'Succeeded', 2);
    const mine = await t.client.create<TaskRun>({ ...TR, kind: 'TaskRun', metadata: { name: 'mine', namespace: 'default' }, spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } } } as TaskRun);
    await finish(mine, 'True', 'Succeeded', 2);
    await waitFor('mine counted', async () => sample(await scrape(), `${P}taskrun_total`, { status: 'success' }) === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sample(await scrape(), `${P}taskrun_total`, { status: 'success' })).toBe(1);
  });
});
