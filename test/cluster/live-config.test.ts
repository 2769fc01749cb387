/**
 * Cluster mode (`tkt controller`, runClusterController in-process against the API server): Tekton's ConfigMaps in
 * the system namespace are watched and applied without a restart — config-defaults' managed-by label and
 * keep-pod-on-cancel change what the next TaskRun gets — and a value that is not honoured gets a Warning Event on
 * the ConfigMap and a log line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runClusterController, type ClusterController } from '../../src/cluster/index.js';
import type { KubeObject, Pod, TaskRun } from '../../src/api/types.js';
import { startTestApi, waitFor, type TestApi } from './helpers.js';

const NS = 'default';
const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };

let t: TestApi;
let running: ClusterController | undefined;
const lines: string[] = [];
const log = {
  info: (_o: object, msg?: string) => lines.push(`info ${msg ?? ''}`),
  warn: (_o: object, msg?: string) => lines.push(`warn ${msg ?? ''}`),
  error: (_o: object, msg?: string) => lines.push(`error ${msg ?? ''}`),
  debug: () => {},
};

beforeEach(async () => {
  t = await startTestApi();
  lines.length = 0;
  running = await runClusterController({
    kubeconfig: t.kubeconfig, namespace: NS, identity: 'solo', healthPort: 0, metricsPort: 0, host: '127.0.0.1', log, eventListeners: false,
    image: 'example.com/tektite:test', leaderElection: { leaseDurationSeconds: 3, renewDeadlineMs: 2000, retryPeriodMs: 300 },
  });
  await waitFor('controllers running', () => lines.includes('info controllers running'));
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await t.close();
});

const taskRun = (name: string): TaskRun => ({
  apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, namespace: NS },
  spec: { timeout: '1h0m0s', serviceAccountName: 'default', taskSpec: { steps: [{ name: 'a', image: 'busybox', script: 'sleep 60' }] } },
} as TaskRun);

async function podFor(name: string): Promise<Pod> {
  await t.client.create(taskRun(name));
  return waitFor(`pod of ${name}`, () => t.client.tryGet<Pod>(POD, NS, `${name}-pod`));
}

describe('tkt controller watches Tekton\'s ConfigMaps', () => {
  it('applies config-defaults and feature-flags changes to the next TaskRun without a restart', async () => {
    expect((await podFor('before')).metadata.labels?.['app.kubernetes.io/managed-by']).toBe('tekton-pipelines');

    await t.client.create({ ...CM, metadata: { name: 'config-defaults', namespace: NS }, data: { 'default-managed-by-label-value': 'changed-live' } } as KubeObject);
    await t.client.create({ ...CM, metadata: { name: 'feature-flags', namespace: NS }, data: { 'keep-pod-on-cancel': 'true' } } as KubeObject);
    const after = await waitFor('a pod with the new label', async () => {
      const name = `after-${Date.now()}`;
      const pod = await podFor(name);
      return pod.metadata.labels?.['app.kubernetes.io/managed-by'] === 'changed-live' && pod.spec.volumes?.some((v) => JSON.stringify(v).includes('tekton.dev/cancel')) ? { name, pod } : undefined;
    });

    // keep-pod-on-cancel: the cancelled run's pod is annotated for its steps and kept
    await t.client.patch(TR, NS, after.name, { spec: { status: 'TaskRunCancelled' } });
    const cancelled = await waitFor('the pod annotated tekton.dev/cancel', async () => {
      const pod = await t.client.tryGet<Pod>(POD, NS, after.pod.metadata.name ?? '');
      return pod?.metadata.annotations?.['tekton.dev/cancel'] === 'CANCEL' ? pod : undefined;
    });
    expect(cancelled.metadata.deletionTimestamp).toBeUndefined();
    const tr = await t.client.get<TaskRun>(TR, NS, after.name);
    expect(tr.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'TaskRunCancelled' });
  }, 60_000);

  it('a value that is not honoured gets a Warning Event on the ConfigMap and a log line', async () => {
    await t.client.create({ ...CM, metadata: { name: 'config-events', namespace: NS }, data: { sink: 'http://sink.example' } } as KubeObject);
    const event = await waitFor('a Warning Event on config-events', async () => {
      const events = await t.client.list<KubeObject & { type?: string; reason?: string; message?: string; involvedObject?: { name?: string } }>({ apiVersion: 'v1', kind: 'Event' }, NS);
      return events.items.find((e) => e.involvedObject?.name === 'config-events' && e.type === 'Warning');
    });
    expect(event.reason).toBe('InvalidConfiguration');
    expect(event.message).toMatch(/^config-events: sink: "http:\/\/sink.example" is not supported by tektite \(sending CloudEvents is not implemented/);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^warn ConfigMap default\/config-events: sink: /)]));
  }, 60_000);
});
