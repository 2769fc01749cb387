/**
 * Triggers end to end in embedded mode: a signed GitHub push goes through the github interceptor, a CEL filter
 * on the branch, a binding and a template, and the PipelineRun it creates really runs to Succeeded in the host
 * runtime. A push to another branch is filtered out and creates nothing.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, PipelineRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { tkt } from '../cli/helpers/io.js';

const SECRET = 'push-secret-123';
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };

const manifests = `
apiVersion: v1
kind: Secret
metadata: { name: github-secret }
type: Opaque
stringData: { secretToken: ${SECRET} }
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata: { name: push-binding }
spec:
  params:
    - { name: revision, value: $(body.after) }
    - { name: repo, value: $(body.repository.full_name) }
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: { name: ci-template }
spec:
  params:
    - name: revision
    - name: repo
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: PipelineRun
      metadata: { generateName: ci-run- }
      spec:
        params:
          - { name: revision, value: $(tt.params.revision) }
          - { name: repo, value: $(tt.params.repo) }
        pipelineSpec:
          params: [{ name: revision }, { name: repo }]
          tasks:
            - name: build
              taskSpec:
                steps:
                  - name: show
                    image: busybox
                    script: echo "building $(params.repo) at $(params.revision)"
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: { name: ci-listener }
spec:
  triggers:
    - name: on-main-push
      interceptors:
        - ref: { name: github }
          params:
            - { name: secretRef, value: { secretName: github-secret, secretKey: secretToken } }
            - { name: eventTypes, value: [push] }
        - ref: { name: cel }
          params:
            - { name: filter, value: "body.ref == 'refs/heads/main'" }
      bindings: [{ ref: push-binding }]
      template: { ref: ci-template }
`;

function push(ref: string, sha: string): string {
  return JSON.stringify({ ref, after: sha, repository: { full_name: 'acme/app' }, head_commit: { id: sha } });
}

describe('EventListener → PipelineRun that runs', () => {
  let e: Embedded;
  let url: string;

  beforeAll(async () => {
    e = await startEmbedded({ runtime: 'host', memory: true });
    for (const doc of parseAllDocuments(manifests)) await e.client.create(doc.toJS() as KubeObject);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const el = await e.client.get<KubeObject & { status?: { address?: { url?: string } } }>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', 'ci-listener');
      if (el.status?.address?.url) { url = el.status.address.url; break; }
      if (Date.now() > deadline) throw new Error('EventListener never got an address');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);

  afterAll(async () => e?.stop());

  async function post(body: string): Promise<Response> {
    const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    return fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sig } });
  }

  it('a push to main starts a PipelineRun that succeeds with the commit in its logs', async () => {
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const res = await post(push('refs/heads/main', sha));
    expect(res.status).toBe(202);
    const runs = await e.client.list<PipelineRun>(PR, 'default', { labelSelector: 'triggers.tekton.dev/eventlistener=ci-listener' });
    expect(runs.items).toHaveLength(1);
    const name = runs.items[0]!.metadata.name!;
    let pr: PipelineRun | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      pr = await e.client.get<PipelineRun>(PR, 'default', name);
      const c = pr.status?.conditions?.find((x) => x.type === 'Succeeded');
      if (c && c.status !== 'Unknown') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cond = pr?.status?.conditions?.find((x) => x.type === 'Succeeded');
    const tr = await e.client.get<KubeObject & { status?: { podName?: string } }>({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }, 'default', `${name}-build`);
    expect(cond?.status, JSON.stringify(tr.status)).toBe('True');
    const log = await e.client.podLog('default', tr.status!.podName!, { container: 'step-show' });
    expect(log).toContain(`building acme/app at ${sha}`);
  }, 90_000);

  it('a push to another branch is filtered out and creates nothing', async () => {
    const before = (await e.client.list(PR, 'default')).items.length;
    const res = await post(push('refs/heads/feature', 'ffffffffffffffffffffffffffffffffffffffff'));
    expect(res.status).toBe(202);
    expect((await e.client.list(PR, 'default')).items.length).toBe(before);
  });

  it('a wrong signature is refused and creates nothing', async () => {
    const before = (await e.client.list(PR, 'default')).items.length;
    const body = push('refs/heads/main', '0000000000000000000000000000000000000000');
    const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': 'sha256=00' } });
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { triggers?: Array<{ status?: string }> };
    expect(JSON.stringify(answer)).toMatch(/skip|reject|signature/i);
    expect((await e.client.list(PR, 'default')).items.length).toBe(before);
  });

  it('tkt el logs shows the sink\'s log lines (one JSON line per event); they go with the EventListener', async () => {
    const k = ['--kubeconfig', e.kubeconfigPath];
    const r = await tkt(['el', 'logs', 'ci-listener', ...k]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.every((l) => l.eventlistener === 'ci-listener' && typeof l.ts === 'string' && typeof l.level === 'string')).toBe(true);
    expect(r.stdout).toContain('on-main-push');
    const tail = await tkt(['el', 'logs', 'ci-listener', '-t', '1', ...k]);
    expect(tail.stdout.trim().split('\n')).toHaveLength(1);
    await e.client.delete({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', 'ci-listener');
    const gone = await tkt(['el', 'logs', 'ci-listener', ...k]);
    expect(gone.code).toBe(2);
    const kept = await e.client.podLog('default', 'el-ci-listener', { container: 'event-listener' }).catch(() => '');
    expect(kept).toBe('');
  });
});
