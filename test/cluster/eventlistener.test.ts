/**
 * The EventListener controller against the real (embedded) API server: the Deployment and Service it writes,
 * the status it reports, updates for spec.resources.kubernetesResource, repair of a deleted Service, and no
 * writes when nothing changed.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- assertions read loosely typed YAML/JSON objects */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventListener } from '../../src/api/types.js';
import { runEventListenerController, type Deployment, type Service } from '../../src/controller/eventlistener/index.js';
import { startTestApi, waitFor, type TestApi } from './helpers.js';

const EL = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const IMAGE = 'registry.example.com/tektite@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const SELECTOR = { 'app.kubernetes.io/managed-by': 'EventListener', 'app.kubernetes.io/part-of': 'Triggers', eventlistener: 'github' };

let t: TestApi;
let stop: () => Promise<void>;
beforeEach(async () => {
  t = await startTestApi();
  const running = await runEventListenerController({ client: t.client, image: IMAGE });
  stop = running.stop;
});
afterEach(async () => {
  await stop();
  await t.close();
});

async function createEl(spec: Record<string, unknown> = {}): Promise<EventListener> {
  return t.client.create<EventListener>({
    ...EL, kind: 'EventListener', metadata: { name: 'github', namespace: 'default', labels: { team: 'ci' } },
    spec: { serviceAccountName: 'el-sa', triggers: [{ name: 't', bindings: [], template: { ref: 'tt' } }], ...spec },
  } as EventListener);
}
const getDeployment = () => t.client.tryGet<Deployment>(DEPLOYMENT, 'default', 'el-github');
const getService = () => t.client.tryGet<Service>(SERVICE, 'default', 'el-github');
const getEl = () => t.client.get<EventListener>(EL, 'default', 'github');
const cond = (el: EventListener, type: string) => el.status?.conditions?.find((c) => c.type === type);

describe('EventListener controller', () => {
  it('writes Deployment and Service el-<name> as Tekton does, and the status', async () => {
    const el = await createEl();
    const d = await waitFor('deployment', getDeployment);
    expect(d.metadata.labels).toEqual({ team: 'ci', ...SELECTOR });
    expect(d.metadata.ownerReferences).toEqual([{ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', name: 'github', uid: el.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(d.spec.template.metadata.labels).toEqual(SELECTOR);
    const pod = d.spec.template.spec as any;
    expect(pod.serviceAccountName).toBe('el-sa');
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.name).toBe('event-listener');
    expect(c.image).toBe(IMAGE);
    expect(c.args).toEqual(['eventlistener', '--name', 'github', '--namespace', 'default', '--port', '8080']);
    expect(c.ports).toEqual([
      { name: 'http-listener', containerPort: 8080, protocol: 'TCP' },
      { name: 'http-metrics', containerPort: 9000, protocol: 'TCP' },
    ]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/live', port: 8080, scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/live', port: 8080, scheme: 'HTTP' });
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });

    const s = await waitFor('service', getService);
    expect(s.metadata.labels).toEqual({ team: 'ci', ...SELECTOR });
    expect(s.metadata.ownerReferences?.[0]?.uid).toBe(el.metadata.uid);
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.selector).toEqual(SELECTOR);
    expect(s.spec.ports).toEqual([
      { name: 'http-listener', port: 8080, protocol: 'TCP', targetPort: 8080 },
      { name: 'http-metrics', port: 9000, protocol: 'TCP', targetPort: 9000 },
    ]);

    const withStatus = await waitFor('status', async () => { const e = await getEl(); return cond(e, 'Service') ? e : undefined; });
    expect(withStatus.status?.address?.url).toBe('http://el-github.default.svc.cluster.local:8080');
    expect(withStatus.status?.configuration?.generatedName).toBe('el-github');
    expect(cond(withStatus, 'Deployment')).toMatchObject({ status: 'True', message: 'Deployment exists' });
    expect(cond(withStatus, 'Service')).toMatchObject({ status: 'True', message: 'Service exists' });
    expect(cond(withStatus, 'Ready')?.status).toBe('Unknown');
  });

  it('turns Ready once the Deployment reports Available, copying its condition', async () => {
    await createEl();
    const d = await waitFor('deployment', getDeployment);
    await t.client.updateStatus<Deployment>({ ...d, status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] } });
    const el = await waitFor('Ready', async () => { const e = await getEl(); return cond(e, 'Ready')?.status === 'True' ? e : undefined; });
    expect(cond(el, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  });

  it('honours spec.resources.kubernetesResource and updates the objects when it changes', async () => {
    await createEl();
    await waitFor('service', getService);
    const el = await getEl();
    await t.client.update<EventListener>({
      ...el,
      spec: {
        ...el.spec,
        resources: {
          kubernetesResource: {
            replicas: 3, serviceType: 'NodePort', servicePort: 8888,
            spec: { template: {
              metadata: { labels: { tier: 'webhooks' }, annotations: { 'example.com/a': 'b' } },
              spec: {
                nodeSelector: { pool: 'ingress' }, tolerations: [{ key: 'k', operator: 'Exists' }],
                containers: [{ resources: { limits: { memory: '256Mi' } }, env: [{ name: 'HTTP_PROXY', value: 'http://proxy:3128' }] }],
              },
            } },
          },
        },
      },
    });
    const d = await waitFor('updated deployment', async () => { const x = await getDeployment(); return x?.spec.replicas === 3 ? x : undefined; });
    const pod = d.spec.template.spec as any;
    expect(d.spec.template.metadata).toEqual({ labels: { tier: 'webhooks', ...SELECTOR }, annotations: { 'example.com/a': 'b' } });
    expect(pod.nodeSelector).toEqual({ pool: 'ingress' });
    expect(pod.tolerations).toEqual([{ key: 'k', operator: 'Exists' }]);
    expect(pod.containers[0].resources).toEqual({ limits: { memory: '256Mi' } });
    expect(pod.containers[0].env).toEqual([{ name: 'SYSTEM_NAMESPACE', value: 'default' }, { name: 'HTTP_PROXY', value: 'http://proxy:3128' }]);
    expect(pod.containers[0].args).toEqual(['eventlistener', '--name', 'github', '--namespace', 'default', '--port', '8080']);
    const s = await waitFor('updated service', async () => { const x = await getService(); return x?.spec.type === 'NodePort' ? x : undefined; });
    expect(s.spec.ports?.[0]).toEqual({ name: 'http-listener', port: 8888, protocol: 'TCP', targetPort: 8080 });
    await waitFor('address on 8888', async () => (await getEl()).status?.address?.url === 'http://el-github.default.svc.cluster.local:8888');
  });

  it('recreates a deleted Service and leaves settled objects unwritten', async () => {
    await createEl();
    const d0 = await waitFor('deployment', getDeployment);
    await waitFor('service', getService);
    await t.client.delete(SERVICE, 'default', 'el-github');
    await waitFor('service recreated', getService);
    const el = await getEl();
    await t.client.update<EventListener>({ ...el, metadata: { ...el.metadata, annotations: { poke: '1' } } });
    await waitFor('status after poke', async () => cond(await getEl(), 'Service')?.status === 'True');
    await new Promise((r) => setTimeout(r, 300));
    const d1 = await getDeployment();
    expect(d1?.metadata.resourceVersion).toBe(d0.metadata.resourceVersion);
  });
});
