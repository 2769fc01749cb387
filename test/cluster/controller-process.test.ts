/**
 * runClusterController in-process against the embedded API server: health and metrics endpoints, config maps
 * read on becoming leader, the EventListener controller running under the leader, graceful stop releasing the
 * Lease; and the JSON logger's redaction.
 */
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, runClusterController, type ClusterController } from '../../src/cluster/index.js';
import { LEASE, type Lease } from '../../src/controller/leader/index.js';
import { httpGet, startTestApi, waitFor, type TestApi } from './helpers.js';

let t: TestApi;
let running: ClusterController | undefined;
const logs: Array<{ msg?: string } & Record<string, unknown>> = [];
const log = {
  info: (o: object, msg?: string) => logs.push({ ...o, msg }),
  warn: (o: object, msg?: string) => logs.push({ ...o, msg }),
  error: (o: object, msg?: string) => logs.push({ ...o, msg }),
  debug: () => {},
};

beforeEach(async () => { t = await startTestApi(); logs.length = 0; });
afterEach(async () => { await running?.stop(); running = undefined; await t.close(); });

describe('runClusterController', () => {
  it('serves health and metrics, leads, reads config-defaults, runs the EventListener controller, and releases the Lease on stop', async () => {
    await t.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config-defaults', namespace: 'default' }, data: { 'default-timeout-minutes': '5' } });
    running = await runClusterController({
      kubeconfig: t.kubeconfig, namespace: 'default', identity: 'solo', healthPort: 0, metricsPort: 0, host: '127.0.0.1', log,
      image: 'example.com/tektite:test', leaderElection: { leaseDurationSeconds: 3, renewDeadlineMs: 2000, retryPeriodMs: 300 },
    });
    expect((await httpGet(`${running.healthUrl}/healthz`)).status).toBe(200);
    expect((await httpGet(`${running.healthUrl}/health`)).status).toBe(200);
    expect((await httpGet(`${running.healthUrl}/nope`)).status).toBe(404);
    await waitFor('leader', async () => JSON.parse((await httpGet(`${running!.healthUrl}/readyz`)).text).leader === true);
    const ready = await httpGet(`${running.healthUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ ok: true, identity: 'solo', leader: true });
    await waitFor('controllers running', () => logs.find((l) => l.msg === 'controllers running'));
    expect(logs.find((l) => l.msg === 'controllers running')).toMatchObject({ defaultTimeoutMinutes: 5, image: 'example.com/tektite:test' });

    const metrics = await httpGet(`${running.metricsUrl}/metrics`);
    expect(metrics.contentType).toContain('text/plain');
    expect(metrics.text).toContain('tekton_pipelines_controller_running_pipelineruns 0');
    expect(metrics.text).toContain('process_cpu_user_seconds_total');

    await t.client.create({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'hooks', namespace: 'default' }, spec: { triggers: [] } });
    const d = await waitFor('el-hooks', () => t.client.tryGet<{ apiVersion: string; kind: string; metadata: object; spec: { template: { spec: { containers: Array<{ image: string }> } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'default', 'el-hooks'));
    expect(d.spec.template.spec.containers[0]?.image).toBe('example.com/tektite:test');

    const healthUrl = running.healthUrl;
    await running.stop();
    running = undefined;
    await expect(httpGet(`${healthUrl}/healthz`)).rejects.toThrow();
    expect((await t.client.get<Lease>(LEASE, 'default', 'tektite-pipelines-controller')).spec?.holderIdentity).toBe('');
  });
});

describe('createLogger', () => {
  it('writes JSON lines with text levels and ISO times, and redacts credentials', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const logger = createLogger({ destination: out, base: { component: 'test' } });
    logger.info({ token: 'abc', req: { headers: { authorization: 'Bearer xyz' } }, secret: { data: { password: 'p' } }, kept: 1 }, 'hello');
    await waitFor('a line', () => text.includes('\n'));
    const line = JSON.parse(text.split('\n')[0]!);
    expect(line).toMatchObject({ level: 'info', msg: 'hello', component: 'test', kept: 1, token: '[redacted]' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(text).not.toContain('xyz');
    expect(text).not.toContain('abc');
    expect(text).not.toContain('"p"');
  });
});
