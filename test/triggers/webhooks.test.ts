/**
 * Real API server + the EventListener manager: the webhook payloads of ../shared/fixtures/webhooks, signed with a
 * secret held in a Secret, become PipelineRuns with the right params, labels and names; bad signatures never
 * create anything; status, Kubernetes Events and deletion behave.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject, PipelineRun } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { repoRoot } from '../helpers/conformance.js';
import { postEvent, sign256, startTestCluster, waitFor, type TestCluster } from './harness.js';

const FIXTURES = join(repoRoot, '..', 'shared', 'fixtures', 'webhooks');
const SECRET = 'IsWishesWereHorsesWedAllBeEatingSteak!';
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
const EL_REF = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };

const setup = `
apiVersion: v1
kind: Secret
metadata: {name: forge-secret}
stringData: {token: "${SECRET}"}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata: {name: pr-binding}
spec:
  params:
  - {name: revision, value: $(body.pull_request.head.sha)}
  - {name: branch, value: $(body.pull_request.head.ref)}
  - {name: base, value: $(body.pull_request.base.ref)}
  - {name: number, value: $(body.number)}
  - {name: url, value: $(body.repository.clone_url)}
  - {name: title, value: $(body.pull_request.title)}
  - {name: description, value: $(body.pull_request.body)}
  - {name: event, value: $(header.X-GitHub-Event)}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: pr-template}
spec:
  params: [{name: revision}, {name: branch}, {name: base}, {name: number}, {name: url}, {name: title}, {name: description}, {name: event}, {name: short}]
  resourcetemplates:
  - apiVersion: tekton.dev/v1
    kind: PipelineRun
    metadata: {generateName: pr-$(tt.params.number)-}
    spec:
      pipelineRef: {name: ci}
      params:
      - {name: revision, value: $(tt.params.revision)}
      - {name: branch, value: $(tt.params.branch)}
      - {name: base, value: $(tt.params.base)}
      - {name: url, value: $(tt.params.url)}
      - {name: title, value: $(tt.params.title)}
      - {name: description, value: $(tt.params.description)}
      - {name: event, value: $(tt.params.event)}
      - {name: short, value: $(tt.params.short)}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: forge}
spec:
  triggers:
  - name: github-pr
    interceptors:
    - ref: {name: github}
      params:
      - {name: secretRef, value: {secretName: forge-secret, secretKey: token}}
      - {name: eventTypes, value: [pull_request]}
    - ref: {name: cel}
      params:
      - {name: filter, value: "body.action in ['opened', 'edited', 'synchronize']"}
      - {name: overlays, value: [{key: short_sha, expression: "body.pull_request.head.sha.truncate(7)"}]}
    bindings:
    - ref: pr-binding
    - {name: short, value: $(extensions.short_sha)}
    template: {ref: pr-template}
  - name: gitlab-push
    interceptors:
    - ref: {name: gitlab}
      params:
      - {name: secretRef, value: {secretName: forge-secret, secretKey: token}}
      - {name: eventTypes, value: [Push Hook]}
    bindings:
    - {name: revision, value: $(body.checkout_sha)}
    - {name: url, value: $(body.repository.git_http_url)}
    template:
      spec:
        params: [{name: revision}, {name: url}]
        resourcetemplates:
        - apiVersion: tekton.dev/v1
          kind: PipelineRun
          metadata: {generateName: gitlab-push-}
          spec:
            pipelineRef: {name: ci}
            params: [{name: revision, value: $(tt.params.revision)}, {name: url, value: $(tt.params.url)}]
`;

let cluster: TestCluster;
let manager: EventListenerManager;
let url: string;

async function runsOf(eventId: unknown): Promise<PipelineRun[]> {
  return (await cluster.client.list<PipelineRun>(PR, 'default', { labelSelector: `triggers.tekton.dev/triggers-eventid=${String(eventId)}` })).items;
}

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.applyYaml(setup);
  manager = await startEventListenerManager({ client: cluster.client });
  url = await waitFor(async () => (await cluster.client.get<EventListener>(EL_REF, 'default', 'forge')).status?.address?.url, 'EventListener address');
});

afterAll(async () => {
  await manager?.close();
  await cluster?.close();
});

describe('webhook fixtures through a real API server', () => {
  const prBody = readFileSync(join(FIXTURES, 'github-pull_request.json'));
  const pr = JSON.parse(prBody.toString('utf8')) as { number: number; pull_request: { head: { sha: string; ref: string }; base: { ref: string }; title: string; body: string }; repository: { clone_url: string } };

  it('a signed GitHub pull_request becomes a PipelineRun with params, labels and name', async () => {
    const res = await postEvent(url, prBody, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign256(prBody, SECRET) });
    expect(res.status).toBe(202);
    const triggers = res.json.triggers as Array<{ trigger: string; status: string; created?: Array<{ name: string }> }>;
    expect(triggers.map((t) => [t.trigger, t.status])).toEqual([['github-pr', 'created'], ['gitlab-push', 'skipped']]);
    const runs = await runsOf(res.json.eventID);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.metadata.name).toBe(triggers[0]!.created![0]!.name);
    expect(run.metadata.name).toMatch(/^pr-2-[a-z0-9]{5}$/);
    expect(run.metadata.labels).toMatchObject({ 'triggers.tekton.dev/eventlistener': 'forge', 'triggers.tekton.dev/trigger': 'github-pr', 'triggers.tekton.dev/triggers-eventid': res.json.eventID });
    const params = Object.fromEntries((run.spec.params ?? []).map((p) => [p.name, p.value]));
    expect(params).toEqual({
      revision: pr.pull_request.head.sha, branch: pr.pull_request.head.ref, base: pr.pull_request.base.ref, url: pr.repository.clone_url,
      title: pr.pull_request.title, description: pr.pull_request.body, event: 'pull_request', short: pr.pull_request.head.sha.slice(0, 7),
    });
  });

  it('a wrong or missing signature creates nothing', async () => {
    const before = (await cluster.client.list<PipelineRun>(PR, 'default')).items.length;
    const variants: Array<Record<string, string>> = [{ 'X-Hub-Signature-256': sign256(prBody, 'not-the-secret') }, {}];
    for (const headers of variants) {
      const res = await postEvent(url, prBody, { 'X-GitHub-Event': 'pull_request', ...headers });
      expect(res.status).toBe(202);
      expect((res.json.triggers as Array<{ status: string }>).map((t) => t.status)).toEqual(['skipped', 'skipped']);
      expect(await runsOf(res.json.eventID)).toHaveLength(0);
    }
    expect((await cluster.client.list<PipelineRun>(PR, 'default')).items.length).toBe(before);
  });

  it('a GitLab push with the right token becomes a PipelineRun; a wrong token does not', async () => {
    const body = readFileSync(join(FIXTURES, 'gitlab-push.json'));
    const ok = await postEvent(url, body, { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET });
    expect(ok.status).toBe(202);
    const runs = await runsOf(ok.json.eventID);
    expect(runs.map((r) => r.metadata.generateName)).toEqual(['gitlab-push-']);
    expect(runs[0]!.spec.params).toEqual([{ name: 'revision', value: '1a1736ec3d7b03349b31218a2f2c572c7c7206d6' }, { name: 'url', value: 'https://gitlab.com/dibyom/triggers.git' }]);
    const bad = await postEvent(url, body, { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': 'nope' });
    expect((bad.json.triggers as Array<{ trigger: string; message?: string }>).find((t) => t.trigger === 'gitlab-push')?.message).toBe('Invalid X-GitLab-Token');
    expect(await runsOf(bad.json.eventID)).toHaveLength(0);
  });

  it('the EventListener is Ready with Tekton-like conditions, and outcomes are Kubernetes Events', async () => {
    const el = await cluster.client.get<EventListener>(EL_REF, 'default', 'forge');
    const conds = Object.fromEntries((el.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason]]));
    expect(conds).toMatchObject({ Ready: ['True', undefined], Available: ['True', 'MinimumReplicasAvailable'] });
    expect(el.status?.configuration?.generatedName).toBe('el-forge');
    const events = await waitFor(async () => {
      const list = (await cluster.client.list<KubeObject & { involvedObject: { name: string; kind: string }; reason: string }>({ apiVersion: 'v1', kind: 'Event' }, 'default')).items;
      const mine = list.filter((e) => e.involvedObject.kind === 'EventListener' && e.involvedObject.name === 'forge');
      return mine.some((e) => e.reason === 'Created') && mine.some((e) => e.reason === 'InterceptorRejected') ? mine : undefined;
    }, 'Kubernetes Events of the EventListener');
    expect(events.length).toBeGreaterThan(1);
  });

  it('deleting the EventListener stops its sink', async () => {
    await cluster.client.delete(EL_REF, 'default', 'forge');
    await waitFor(async () => (manager.urlOf('default', 'forge') === undefined ? true : undefined), 'sink to stop');
    await expect(fetch(`${url}/live`)).rejects.toThrow();
  });
});
