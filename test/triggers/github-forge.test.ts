/**
 * The github interceptor's GitHub API features end to end: a real API server, the manager's real sink over HTTP,
 * and a local stand-in of the GitHub REST API (org public members, collaborators, OWNERS contents, pull request
 * files with Link paging). githubOwners with every checkType and `/ok-to-test` comments; addChangedFiles for push
 * (no call) and pull_request (with and without a token).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, sign256, startTestCluster, waitFor, type TestCluster } from './harness.js';

const TOKEN = 'ghp_standin';
let forge: Server;
let forgeUrl = '';
const calls: string[] = [];

function forgeAnswer(req: IncomingMessage): [number, unknown, Record<string, string>?] {
  const u = new URL(req.url ?? '/', 'http://x');
  const authed = req.headers.authorization === `Bearer ${TOKEN}`;
  const page = Number(u.searchParams.get('page') ?? 1);
  switch (u.pathname) {
    case '/orgs/acme/public_members': return [200, [{ login: 'org-member' }]];
    case '/repos/acme/app/collaborators': return authed ? [200, [{ login: 'collab' }]] : [401, { message: 'Requires authentication' }];
    case '/repos/acme/app/contents/OWNERS': return [200, { type: 'file', encoding: 'base64', content: Buffer.from('approvers:\n  - Owner-Person\nreviewers:\n  - reviewer\n').toString('base64') }];
    case '/repos/acme/app/pulls/7/files':
      return page === 1
        ? [200, Array.from({ length: 100 }, (_x, i) => ({ filename: `src/f${i}.go` })), { Link: `<${forgeUrl}/repos/acme/app/pulls/7/files?per_page=100&page=2>; rel="next"` }]
        : [200, [{ filename: 'README.md' }]];
    case '/repos/acme/app/pulls/1/files': return [200, [{ filename: 'one.go' }]];
    default: return [404, { message: 'Not Found' }];
  }
}

let cluster: TestCluster;
let manager: EventListenerManager;
let url = '';

const gh = (params: Record<string, unknown>) => ({ ref: { name: 'github' }, params: Object.entries(params).map(([name, value]) => ({ name, value })) });
const trigger = (name: string, interceptors: unknown[], value = '$(extensions.changed_files)') => ({
  name, interceptors, bindings: [{ name: 'v', value }],
  template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { v: '$(tt.params.v)' } }] } },
});
const pat = { secretName: 'github', secretKey: 'token' };

beforeAll(async () => {
  forge = createServer((req, res) => {
    calls.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const [status, body, headers] = forgeAnswer(req);
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => forge.listen(0, '127.0.0.1', r));
  forgeUrl = `http://127.0.0.1:${(forge.address() as AddressInfo).port}`;
  cluster = await startTestCluster();
  await cluster.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github', namespace: 'default' }, stringData: { token: TOKEN, hook: 'hooksecret' } } as KubeObject);
  const triggers = [
    trigger('files-token', [gh({ secretRef: { secretName: 'github', secretKey: 'hook' }, addChangedFiles: { enabled: true, personalAccessToken: pat } })]),
    trigger('files-anon', [gh({ addChangedFiles: { enabled: true } })]),
    ...['none', 'orgMembers', 'repoMembers', 'all'].map((t) => trigger(`owners-${t.toLowerCase()}`, [gh({ githubOwners: { enabled: true, checkType: t, ...(t === 'none' ? {} : { personalAccessToken: pat }) } })], '$(body.sender.login)')),
  ];
  await cluster.client.create({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'gh', namespace: 'default' }, spec: { triggers } } as KubeObject);
  manager = await startEventListenerManager({ client: cluster.client, githubApiUrl: forgeUrl });
  url = await waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', 'gh')).status?.address?.url, 'EL gh');
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
  await new Promise<void>((r) => forge.close(() => r()));
});

type Outcome = { trigger: string; status: string; message?: string };
async function send(event: string, body: Record<string, unknown>): Promise<Record<string, Outcome>> {
  const raw = JSON.stringify(body);
  const res = await postEvent(url, raw, { 'X-GitHub-Event': event, 'X-Hub-Signature-256': sign256(raw, 'hooksecret') });
  expect(res.status).toBeLessThan(500);
  return Object.fromEntries((res.json.triggers as Outcome[] ?? []).map((o) => [o.trigger, o]));
}
async function values(prefix: string): Promise<string[]> {
  const l = await cluster.client.list<KubeObject & { data: { v: string } }>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default');
  return l.items.filter((o) => o.metadata.name?.startsWith(prefix)).map((o) => o.data.v);
}

describe('addChangedFiles against a GitHub API stand-in', () => {
  it('push: the commits\' added, modified, removed files, with no API call', async () => {
    calls.length = 0;
    const out = await send('push', { repository: { full_name: 'acme/app' }, commits: [{ added: ['a'], modified: ['m'], removed: ['r'] }, { added: ['b'], modified: [], removed: [] }] });
    expect(out['files-token']?.status).toBe('created');
    expect(out['files-anon']?.status).toBe('created');
    expect(calls).toEqual([]);
    expect(await values('files-token-')).toEqual(['a,m,r,b']);
  });

  it('pull_request: the API\'s file list through Link paging, with the token and anonymously', async () => {
    calls.length = 0;
    const out = await send('pull_request', { action: 'opened', number: 7, repository: { full_name: 'acme/app' }, sender: { login: 'x' } });
    expect(out['files-token']?.status).toBe('created');
    expect(out['files-anon']?.status).toBe('created');
    const files = `${Array.from({ length: 100 }, (_x, i) => `src/f${i}.go`).join(',')},README.md`;
    const cms = [...await values('files-token-'), ...await values('files-anon-')];
    expect(cms.filter((v) => v === files)).toHaveLength(2);
    expect(calls.filter((c) => c.includes('/pulls/7/files')).sort()).toEqual([
      'GET /repos/acme/app/pulls/7/files?per_page=100 -',
      `GET /repos/acme/app/pulls/7/files?per_page=100 Bearer ${TOKEN}`,
      'GET /repos/acme/app/pulls/7/files?per_page=100&page=2 -',
      `GET /repos/acme/app/pulls/7/files?per_page=100&page=2 Bearer ${TOKEN}`,
    ]);
  });
});

describe('githubOwners against a GitHub API stand-in', () => {
  const pr = (login: string) => ({ action: 'opened', number: 1, repository: { full_name: 'acme/app' }, sender: { login } });
  const comment = (login: string, text: string) => ({ action: 'created', issue: { number: 1 }, comment: { body: text }, repository: { full_name: 'acme/app' }, sender: { login } });
  const statuses = (o: Record<string, Outcome>) => ['none', 'orgmembers', 'repomembers', 'all'].map((t) => o[`owners-${t}`]?.status);

  it.each([
    ['an OWNERS approver (case-insensitive) passes every checkType', pr('owner-person'), ['created', 'created', 'created', 'created']],
    ['an OWNERS reviewer passes every checkType', pr('reviewer'), ['created', 'created', 'created', 'created']],
    ['a public org member passes orgMembers and all', pr('org-member'), ['skipped', 'created', 'skipped', 'created']],
    ['a repo collaborator passes repoMembers and all', pr('collab'), ['skipped', 'skipped', 'created', 'created']],
    ['a stranger is rejected', pr('stranger'), ['skipped', 'skipped', 'skipped', 'skipped']],
  ])('pull_request: %s', async (_n, body, want) => {
    expect(statuses(await send('pull_request', body))).toEqual(want);
  });

  it.each([
    ['an owner\'s /ok-to-test passes', comment('owner-person', 'looks fine\n/ok-to-test'), ['created', 'created', 'created', 'created']],
    ['an owner\'s other comment does not', comment('owner-person', 'please /ok-to-test later'), ['skipped', 'skipped', 'skipped', 'skipped']],
    ['a stranger\'s /ok-to-test does not', comment('stranger', '/ok-to-test'), ['skipped', 'skipped', 'skipped', 'skipped']],
  ])('issue_comment: %s', async (_n, body, want) => {
    expect(statuses(await send('issue_comment', body))).toEqual(want);
  });

  it('says why a trigger was skipped, and passes other events through', async () => {
    const out = await send('pull_request', pr('stranger'));
    expect(out['owners-all']?.message).toMatch(/owners check requirements not met/);
    expect(statuses(await send('push', { repository: { full_name: 'acme/app' }, sender: { login: 'stranger' }, commits: [] }))).toEqual(['created', 'created', 'created', 'created']);
  });
});
