import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../kube/errors.js';
import { memoryLookup } from './lookup.js';
import { createSinkApp } from './sink.js';

const SECRET = '1234567';
const sign = (body: string, secret = SECRET): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const PR_BODY = '{"action": "opened", "pull_request":{"head":{"sha": "28911bbb5a3e2ea034daf1f6be0a822d50e31e73"}},"repository":{"clone_url": "https://github.com/tektoncd/triggers.git"}}';

function objects(extraTriggers: unknown[] = []): KubeObject[] {
  return [
    {
      apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'github-listener', namespace: 'default', uid: 'el-uid-1' },
      spec: {
        triggers: [{
          name: 'github-listener',
          interceptors: [
            { ref: { name: 'github' }, params: [{ name: 'secretRef', value: { secretName: 'github-secret', secretKey: 'secretToken' } }, { name: 'eventTypes', value: ['pull_request'] }] },
            { name: 'only when PRs are opened', ref: { name: 'cel' }, params: [{ name: 'filter', value: "body.action in ['opened', 'synchronize', 'reopened']" }] },
          ],
          bindings: [{ ref: 'github-pr-binding' }],
          template: { ref: 'github-template' },
        }, ...extraTriggers],
      },
    },
    { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerBinding', metadata: { name: 'github-pr-binding', namespace: 'default' }, spec: { params: [{ name: 'gitrevision', value: '$(body.pull_request.head.sha)' }, { name: 'gitrepositoryurl', value: '$(body.repository.clone_url)' }] } },
    {
      apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerTemplate', metadata: { name: 'github-template', namespace: 'default' },
      spec: {
        params: [{ name: 'gitrevision' }, { name: 'gitrepositoryurl' }],
        resourcetemplates: [{ apiVersion: 'tekton.dev/v1beta1', kind: 'TaskRun', metadata: { generateName: 'github-run-' }, spec: { params: [{ name: 'rev', value: '$(tt.params.gitrevision)' }, { name: 'url', value: '$(tt.params.gitrepositoryurl)' }] } }],
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github-secret', namespace: 'default' }, data: { secretToken: Buffer.from(SECRET).toString('base64') } },
  ];
}

/** An in-memory "API server": generateName, optional failure on a kind, deletes. */
function store(failKind?: string) {
  const stored: KubeObject[] = [];
  let n = 0;
  return {
    stored,
    create: async (obj: KubeObject) => {
      if (obj.kind === failKind) throw new ApiError(422, 'Invalid', `${obj.kind} is invalid: spec.x: Required value`);
      const name = obj.metadata.name ?? `${obj.metadata.generateName ?? ''}x${(n += 1)}`;
      const c = { ...obj, metadata: { ...obj.metadata, name } };
      stored.push(c);
      return c;
    },
    remove: async (obj: KubeObject) => {
      const i = stored.findIndex((o) => o.kind === obj.kind && o.metadata.name === obj.metadata.name);
      if (i >= 0) stored.splice(i, 1);
    },
  };
}

function app(objs = objects(), failKind?: string, maxBodyBytes?: number) {
  const s = store(failKind);
  const a = createSinkApp({ name: 'github-listener', namespace: 'default', lookup: memoryLookup(objs), create: s.create, remove: s.remove, maxBodyBytes, newEventId: () => 'event-1' });
  return { a, s };
}

const post = (a: ReturnType<typeof app>['a'], body: string, headers: Record<string, string>) => {
  let r = request(a).post('/').set('Content-Type', 'application/json');
  for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
  return r.send(body);
};

describe('EventListener sink (github + cel, supertest)', () => {
  it('creates the TaskRun with params and labels, answers 202 with what it created', async () => {
    const { a, s } = app();
    const res = await post(a, PR_BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(PR_BODY) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ eventListener: 'github-listener', namespace: 'default', eventListenerUID: 'el-uid-1', eventID: 'event-1' });
    expect(res.body.triggers).toEqual([{ trigger: 'github-listener', namespace: 'default', status: 'created', reason: 'Created', created: [{ apiVersion: 'tekton.dev/v1beta1', kind: 'TaskRun', name: 'github-run-x1', namespace: 'default' }] }]);
    expect(s.stored).toHaveLength(1);
    const tr = s.stored[0]!;
    expect(tr.metadata.generateName).toBe('github-run-');
    expect(tr.metadata.labels).toEqual({ 'triggers.tekton.dev/eventlistener': 'github-listener', 'triggers.tekton.dev/trigger': 'github-listener', 'triggers.tekton.dev/triggers-eventid': 'event-1' });
    expect((tr.spec as { params: unknown }).params).toEqual([{ name: 'rev', value: '28911bbb5a3e2ea034daf1f6be0a822d50e31e73' }, { name: 'url', value: 'https://github.com/tektoncd/triggers.git' }]);
  });

  it('answers a binary-mode CloudEvent with a CloudEvent (type …triggers.accepted.v1), as Triggers; plain requests get none', async () => {
    const { a } = app();
    const ce = await post(a, PR_BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(PR_BODY), 'Ce-Specversion': '1.0', 'Ce-Id': 'x', 'Ce-Type': 't', 'Ce-Source': 's' });
    expect(ce.status).toBe(202);
    expect(ce.headers).toMatchObject({ 'ce-specversion': '1.0', 'ce-id': 'event-1', 'ce-source': 'github-listener', 'ce-type': 'dev.tekton.event.triggers.accepted.v1', 'ce-subject': 'default.github-listener accepted event-1' });
    expect(ce.body.eventID).toBe('event-1');
    const plain = await post(a, PR_BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(PR_BODY) });
    expect(plain.headers['ce-type']).toBeUndefined();
  });

  const rejects: Array<[string, Record<string, string>, string, RegExp]> = [
    ['wrong signature', { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(PR_BODY, 'wrong') }, PR_BODY, /payload signature check failed/],
    ['missing signature', { 'X-GitHub-Event': 'pull_request' }, PR_BODY, /Must set X-Hub-Signature-256 or X-Hub-Signature header/],
    ['malformed signature', { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': 'deadbeef' }, PR_BODY, /error parsing signature/],
    ['signature of another body', { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign('{}') }, PR_BODY, /payload signature check failed/],
    ['event type not allowed', { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(PR_BODY) }, PR_BODY, /event type push is not allowed/],
    ['cel filter false', { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign('{"action":"closed"}') }, '{"action":"closed"}', /did not return true/],
  ];
  it.each(rejects)('%s: 202, skipped with the interceptor message, nothing created', async (_name, headers, body, msg) => {
    const { a, s } = app();
    const res = await post(a, body, headers);
    expect(res.status).toBe(202);
    expect(res.body.triggers[0].status).toBe('skipped');
    expect(res.body.triggers[0].reason).toBe('InterceptorRejected');
    expect(res.body.triggers[0].message).toMatch(msg);
    expect(s.stored).toHaveLength(0);
  });

  const badBodies: Array<[string, string, number]> = [['not JSON', '{nope', 400], ['JSON array', '[1,2]', 400], ['empty body', '', 400], ['JSON string', '"x"', 400]];
  it.each(badBodies)('%s → %i with errorMessage and nothing created', async (_n, body, status) => {
    const { a, s } = app();
    const res = await post(a, body, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(body) });
    expect(res.status).toBe(status);
    expect(res.body.errorMessage).toMatch(/Invalid event body format/);
    expect(s.stored).toHaveLength(0);
  });

  it('413 over the size cap', async () => {
    const { a, s } = app(objects(), undefined, 1024);
    const big = JSON.stringify({ pad: 'x'.repeat(4096) });
    const res = await post(a, big, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(big) });
    expect(res.status).toBe(413);
    expect(res.body.errorMessage).toMatch(/larger than 1024 bytes/);
    expect(s.stored).toHaveLength(0);
  });

  it('a failed create fails only its trigger: the other trigger\'s objects are kept, 202', async () => {
    const cm = { name: 'cm-first', bindings: [], template: { spec: { resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' }, data: { a: 'b' } }] } } };
    const { a, s } = app(objects([cm]), 'TaskRun');
    const res = await post(a, PR_BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(PR_BODY) });
    expect(res.status).toBe(202);
    const statuses = Object.fromEntries(res.body.triggers.map((t: { trigger: string; status: string }) => [t.trigger, t.status]));
    expect(statuses).toEqual({ 'github-listener': 'error', 'cm-first': 'created' });
    expect(JSON.stringify(res.body.triggers)).toMatch(/TaskRun is invalid/);
    expect(s.stored.map((o) => o.kind)).toEqual(['ConfigMap']);
  });

  it('an unknown triggerRef fails only that entry, naming it; the other trigger still creates', async () => {
    const { a, s } = app(objects([{ triggerRef: 'does-not-exist' }]));
    const res = await post(a, PR_BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(PR_BODY) });
    expect(res.status).toBe(202);
    const missing = res.body.triggers.find((t: { trigger: string }) => t.trigger === 'does-not-exist');
    expect(missing).toMatchObject({ status: 'error', reason: 'NotFound' });
    expect(missing.message).toMatch(/Trigger default\/does-not-exist not found/);
    const created = res.body.triggers.find((t: { status: string }) => t.status === 'created');
    expect(s.stored).toHaveLength(created.created.length);
  });

  it('serves /live and /ready', async () => {
    const { a } = app();
    expect((await request(a).get('/live')).text).toBe('ok');
    expect((await request(a).get('/ready')).status).toBe(200);
    const none = createSinkApp({ name: 'gone', namespace: 'default', lookup: memoryLookup([]), create: async (o) => o, remove: async () => {} });
    expect((await request(none).get('/ready')).status).toBe(503);
    expect((await request(none).post('/').send('{}')).status).toBe(503);
  });
});
