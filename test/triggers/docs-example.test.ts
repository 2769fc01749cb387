/**
 * The GitHub and GitLab listeners of docs/triggers.md ("webhooks into `tkt up`, end to end"), taken from the doc
 * itself, applied to a real API server and served by the manager: signed GitHub push and pull_request deliveries,
 * GitLab push and merge request deliveries each create one PipelineRun with the right revision; GitHub's ping is
 * skipped.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, sign256, startTestCluster, waitFor, type TestCluster } from './harness.js';

function docYaml(): string {
  const doc = readFileSync(new URL('../../docs/triggers.md', import.meta.url), 'utf8');
  const start = doc.indexOf('   ```yaml\n   apiVersion: v1\n   kind: Secret');
  const end = doc.indexOf('   ```\n', start + 10);
  if (start < 0 || end < 0) throw new Error('docs/triggers.md: the end-to-end listeners example is missing');
  return doc.slice(start + '   ```yaml\n'.length, end).split('\n').map((l) => l.slice(3)).join('\n');
}

const TOKEN = 'a-long-random-string';
let cluster: TestCluster;
let manager: EventListenerManager;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.applyYaml(docYaml());
  manager = await startEventListenerManager({ client: cluster.client });
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
});

const urlOf = (name: string) => waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', name)).status?.address?.url, name);

async function revisionOf(res: { json: Record<string, unknown> }): Promise<string | undefined> {
  const created = (res.json.triggers as Array<{ created?: Array<{ name: string }> }>)[0]?.created?.[0]?.name;
  if (!created) return undefined;
  const pr = await cluster.client.get<KubeObject & { spec: { params: Array<{ name: string; value: string }> } }>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', created);
  return pr.spec.params.find((p) => p.name === 'revision')?.value;
}

describe('docs/triggers.md end-to-end example', () => {
  it('GitHub: push and pull_request create a PipelineRun each; ping is skipped', async () => {
    const url = await urlOf('github-listener');
    const gh = (event: string, body: unknown) => { const raw = JSON.stringify(body); return postEvent(url, raw, { 'X-GitHub-Event': event, 'X-Hub-Signature-256': sign256(raw, TOKEN) }); };
    expect(await revisionOf(await gh('push', { after: 'abc', repository: { clone_url: 'https://github.com/o/r.git' } }))).toBe('abc');
    expect(await revisionOf(await gh('pull_request', { pull_request: { head: { sha: 'def' } }, repository: { clone_url: 'https://github.com/o/r.git' } }))).toBe('def');
    const ping = await gh('ping', { zen: 'x' });
    expect(ping.status).toBe(202);
    expect(ping.json.triggers).toMatchObject([{ status: 'skipped', message: 'event type ping is not allowed' }]);
  });

  it('GitLab: push and merge request create a PipelineRun each', async () => {
    const url = await urlOf('gitlab-listener');
    const gl = (event: string, body: unknown) => postEvent(url, JSON.stringify(body), { 'X-Gitlab-Event': event, 'X-Gitlab-Token': TOKEN });
    expect(await revisionOf(await gl('Push Hook', { checkout_sha: 'ghi', project: { git_http_url: 'https://gitlab.com/o/r.git' } }))).toBe('ghi');
    expect(await revisionOf(await gl('Merge Request Hook', { object_attributes: { last_commit: { id: 'jkl' } }, project: { git_http_url: 'https://gitlab.com/o/r.git' } }))).toBe('jkl');
  });
});
