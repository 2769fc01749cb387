/**
 * examples/gitops-ci/eventlistener.yaml in embedded mode: the EventListener served in-process gets a signed
 * GitHub push for main and starts the GitOps CI pipeline, which runs with the real parts (git over HTTP,
 * docker-registry, buildah) and bumps the GitOps repository. A push to another branch and a bad signature
 * start nothing. The example's settings binding is pointed at the test's parts before it is applied.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { Cluster, explain, loadYaml } from '../catalog/harness.js';
import { GitopsFixture, gitopsMissing } from './gitops-fixture.js';

const missing = gitopsMissing();
if (missing) console.warn(`skipping the GitOps EventListener example: ${missing}`);

const EL = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };

/** The example's objects, with the settings binding pointed at the fixture. */
function exampleObjects(fx: GitopsFixture): { objects: KubeObject[]; secret: string } {
  const objects = [...loadYaml('examples/gitops-ci/pipeline.yaml'), ...loadYaml('examples/gitops-ci/eventlistener.yaml')];
  const settings = objects.find((o) => o.kind === 'TriggerBinding' && o.metadata.name === 'gitops-ci-settings') as KubeObject & { spec: { params: Array<{ name: string; value: string }> } };
  const values = fx.params();
  for (const p of settings.spec.params) p.value = values[p.name] ?? p.value;
  const secret = (objects.find((o) => o.kind === 'Secret') as KubeObject & { stringData: { secret: string } }).stringData.secret;
  return { objects, secret };
}

describe.skipIf(!!missing)('examples/gitops-ci/eventlistener.yaml', () => {
  let fx: GitopsFixture;
  let cluster: Cluster;
  let url: string;
  let secret: string;

  beforeAll(async () => {
    fx = await GitopsFixture.start();
    cluster = await Cluster.start({ eventListeners: true, hostPorts: fx.hostPorts, allowPrivileged: true });
    const example = exampleObjects(fx);
    secret = example.secret;
    await cluster.apply(example.objects);
    for (let i = 0; !url; i++) {
      const el = await cluster.client.get<KubeObject & { status?: { address?: { url?: string } } }>(EL, 'default', 'gitops-ci-listener');
      url = el.status?.address?.url ?? '';
      if (!url && i > 200) throw new Error('the EventListener got no address');
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    await cluster?.stop();
    await fx?.close();
  });

  function post(payload: object, opts: { event?: string; key?: string } = {}) {
    const body = JSON.stringify(payload);
    const sig = createHmac('sha256', opts.key ?? secret).update(body).digest('hex');
    return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': opts.event ?? 'push', 'x-hub-signature-256': `sha256=${sig}` } });
  }
  const push = (ref: string) => ({ ref, after: fx.app.commit, deleted: false, repository: { clone_url: fx.appUrl, full_name: 'team/demo-app' }, head_commit: { id: fx.app.commit } });
  const runs = async () => (await cluster.client.list<KubeObject>(PR, 'default')).items.length;

  it('ignores a push to another branch and a badly signed push', async () => {
    const other = await post(push('refs/heads/feature'));
    expect(other.status).toBe(202);
    expect(JSON.stringify(await other.json())).toContain('skipped');
    const forged = await post(push('refs/heads/main'), { key: 'wrong-secret' });
    expect(JSON.stringify(await forged.json())).toContain('payload signature check failed');
    expect(await runs()).toBe(0);
  });

  it('a signed push to main starts the pipeline, which builds, pushes and bumps the GitOps repository', async () => {
    const res = await post(push('refs/heads/main'));
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { triggers: Array<{ status: string; created?: Array<{ kind: string; name: string }> }> };
    const created = answer.triggers.flatMap((t) => t.created ?? []).filter((c) => c.kind === 'PipelineRun');
    expect(created).toHaveLength(1);
    const pr = await cluster.waitDone<KubeObject>(PR, created[0]!.name, 540_000);
    const cond = (pr as { status?: { conditions?: Array<{ reason?: string; message?: string }> } }).status?.conditions?.[0];
    const f = { run: pr, succeeded: cond?.reason === 'Succeeded', reason: cond?.reason ?? '', message: cond?.message ?? '', results: {}, logs: '' };
    expect(f.succeeded, explain(f)).toBe(true);
    await fx.expectDeployed(fx.app.commit);
  }, 600_000);
});
