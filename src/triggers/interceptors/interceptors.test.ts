import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, TriggerInterceptor } from '../../api/types.js';
import { canonicalHeaders } from '../event.js';
import { memoryLookup } from '../lookup.js';
import { interceptorUrl, runChain, type ChainResult } from './chain.js';

const secret = (name: string, data: Record<string, string>, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
const OBJECTS = [secret('s', { token: '1234567', pat: 'ghp_fake' }), secret('other', { k: 'v' }, 'elsewhere')];
const hmac = (algo: string, body: string, key = '1234567') => `${algo}=${createHmac(algo, key).update(body).digest('hex')}`;

let forge: http.Server;
let forgeUrl = '';
const forgeCalls: string[] = [];

beforeAll(async () => {
  forge = http.createServer((req, res) => {
    forgeCalls.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
    const files = page === 1 ? Array.from({ length: 100 }, (_, i) => ({ filename: `f${i}.go` })) : [{ filename: 'last.md' }];
    if (!req.url?.startsWith('/repos/tektoncd/triggers/pulls/1503/files')) res.writeHead(404).end('{}');
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(files));
  });
  await new Promise<void>((r) => forge.listen(0, '127.0.0.1', r));
  forgeUrl = `http://127.0.0.1:${(forge.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => forge.close(() => r())));

function run(ics: TriggerInterceptor[], body: string, headers: Record<string, string>, objects = OBJECTS): Promise<ChainResult> {
  let parsed: unknown = null;
  try { parsed = JSON.parse(body); } catch { parsed = null; }
  return runChain(ics, { rawBody: Buffer.from(body), parsedBody: parsed, header: canonicalHeaders(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]))), extensions: {} },
    { namespace: 'default', triggerId: 'namespaces/default/triggers/t', eventId: 'e-1', eventUrl: 'http://el.local/hook?repo=a&repo=b' },
    { lookup: memoryLookup(objects), githubApiUrl: forgeUrl, httpTimeoutMs: 5000, celMaxSteps: 100_000 });
}
const ic = (name: string, params: Record<string, unknown>): TriggerInterceptor => ({ ref: { name }, params: Object.entries(params).map(([n, value]) => ({ name: n, value })) });
const summary = (r: ChainResult): string => (r.kind === 'continue' ? 'continue' : r.kind === 'rejected' ? `rejected: ${r.message}` : `error ${r.httpStatus}: ${r.message}`);

const GH = '{"action": "opened", "pull_request":{"head":{"sha": "28911bbb5a3e2ea034daf1f6be0a822d50e31e73"}},"repository":{"clone_url": "https://github.com/tektoncd/triggers.git"}}';
const ref = { secretName: 's', secretKey: 'token' };

describe('github interceptor', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, string | RegExp]> = [
    ['upstream test vector', { secretRef: ref, eventTypes: ['pull_request'] }, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': 'sha256=c26dd919ebe335852219c49f74c4b24f1c62c93c77294be3ac6d8f2e4691a023' }, 'continue'],
    ['no secretRef, event allowed', { eventTypes: ['pull_request', 'push'] }, { 'X-GitHub-Event': 'push' }, 'continue'],
    ['no params at all', {}, {}, 'continue'],
    ['wrong signature', { secretRef: ref }, { 'X-Hub-Signature-256': hmac('sha256', GH, 'x') }, 'rejected: payload signature check failed'],
    ['missing signature', { secretRef: ref }, {}, 'rejected: Must set X-Hub-Signature-256 or X-Hub-Signature header'],
    ['sha1 signature in the 256 header', { secretRef: ref }, { 'X-Hub-Signature-256': hmac('sha1', GH) }, 'continue'],
    ['truncated hex', { secretRef: ref }, { 'X-Hub-Signature-256': hmac('sha256', GH).slice(0, -2) }, 'rejected: payload signature check failed'],
    ['no = in signature', { secretRef: ref }, { 'X-Hub-Signature-256': 'abc' }, /rejected: error parsing signature/],
    ['event not allowed', { eventTypes: ['pull_request'] }, { 'X-GitHub-Event': 'push' }, 'rejected: event type push is not allowed'],
    ['missing event header', { eventTypes: ['pull_request'] }, {}, 'rejected: event type  is not allowed'],
    ['form encoded', {}, { 'Content-Type': 'application/x-www-form-urlencoded' }, /rejected: form parameter encoding not supported/],
    ['secret missing', { secretRef: { secretName: 'absent', secretKey: 'token' } }, { 'X-Hub-Signature-256': hmac('sha256', GH) }, /error 500: .*secret default\/absent not found/],
    ['secret key missing', { secretRef: { secretName: 's', secretKey: 'nokey' } }, { 'X-Hub-Signature-256': hmac('sha256', GH) }, /error 500: .*has no key "nokey"/],
  ];
  it.each(cases)('%s', async (_n, params, headers, want) => {
    expect(summary(await run([ic('github', params)], GH, headers))).toMatch(want instanceof RegExp ? want : new RegExp(`^${want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('addChangedFiles on push lists added, modified, removed (Triggers\' order) without any network call', async () => {
    forgeCalls.length = 0;
    const push = JSON.stringify({ repository: { full_name: 'o/r' }, commits: [{ added: ['a.go', 'b.yaml'], removed: ['c.yaml'], modified: ['d.go'] }, { added: [], removed: [], modified: ['e'] }] });
    const r = await run([ic('github', { addChangedFiles: { enabled: true } })], push, { 'X-GitHub-Event': 'push' });
    expect(r.kind === 'continue' && r.event.extensions.changed_files).toBe('a.go,b.yaml,d.go,c.yaml,e');
    expect(forgeCalls).toEqual([]);
  });

  it('addChangedFiles on a pull_request pages through the forge API with the token', async () => {
    forgeCalls.length = 0;
    const body = JSON.stringify({ number: 1503, repository: { full_name: 'tektoncd/triggers' } });
    const r = await run([ic('github', { addChangedFiles: { enabled: true, personalAccessToken: { secretName: 's', secretKey: 'pat' } } })], body, { 'X-GitHub-Event': 'pull_request' });
    expect(r.kind).toBe('continue');
    const files = r.kind === 'continue' ? String(r.event.extensions.changed_files).split(',') : [];
    expect(files).toHaveLength(101);
    expect(files.at(-1)).toBe('last.md');
    expect(forgeCalls).toEqual([
      'GET /repos/tektoncd/triggers/pulls/1503/files?per_page=100 Bearer ghp_fake',
      'GET /repos/tektoncd/triggers/pulls/1503/files?per_page=100&page=2 Bearer ghp_fake',
    ]);
  });

  it('addChangedFiles on a pull_request without a token calls the API anonymously, as Triggers does', async () => {
    forgeCalls.length = 0;
    const body = JSON.stringify({ number: 1503, repository: { full_name: 'tektoncd/triggers' } });
    const r = await run([ic('github', { addChangedFiles: { enabled: true } })], body, { 'X-GitHub-Event': 'pull_request' });
    expect(r.kind === 'continue' && String(r.event.extensions.changed_files).split(',')).toHaveLength(101);
    expect(forgeCalls[0]).toBe('GET /repos/tektoncd/triggers/pulls/1503/files?per_page=100 ');
  });

  it('a forge error is an internal failure', async () => {
    const body = JSON.stringify({ number: 7, repository: { full_name: 'nobody/none' } });
    const r = await run([ic('github', { addChangedFiles: { enabled: true, personalAccessToken: { secretName: 's', secretKey: 'pat' } } })], body, { 'X-GitHub-Event': 'pull_request' });
    expect(summary(r)).toMatch(/^error 500: .*GitHub API answered 404/);
  });
});

describe('gitlab interceptor', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, string]> = [
    ['right token and event', { secretRef: ref, eventTypes: ['Push Hook'] }, { 'X-Gitlab-Token': '1234567', 'X-Gitlab-Event': 'Push Hook' }, 'continue'],
    ['wrong token', { secretRef: ref }, { 'X-Gitlab-Token': '12345678' }, 'rejected: Invalid X-GitLab-Token'],
    ['token prefix', { secretRef: ref }, { 'X-Gitlab-Token': '123456' }, 'rejected: Invalid X-GitLab-Token'],
    ['missing token', { secretRef: ref }, {}, 'rejected: no X-Gitlab-Token header set'],
    ['event not allowed (checked first)', { secretRef: ref, eventTypes: ['Push Hook'] }, { 'X-Gitlab-Event': 'Tag Push Hook' }, 'rejected: event type Tag Push Hook is not allowed'],
    ['filter only', { eventTypes: ['Merge Request Hook'] }, { 'X-Gitlab-Event': 'Merge Request Hook' }, 'continue'],
  ];
  it.each(cases)('%s', async (_n, params, headers, want) => {
    expect(summary(await run([ic('gitlab', params)], '{}', headers))).toBe(want);
  });
});

describe('bitbucket interceptor', () => {
  const BB = '{"repository": {"links": {"clone": [{"href": "http://localhost:7990/scm/~test/helloworld.git", "name": "http"}, {"href": "ssh://git@localhost:7999/~test/helloworld.git", "name": "ssh"}]}}, "changes": [{"ref": {"displayId": "main"}}]}';
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, string]> = [
    ['upstream sha1 vector', { secretRef: ref, eventTypes: ['repo:refs_changed'] }, { 'X-Hub-Signature': 'sha1=b3fdaf5d1a47e57527764a233659c650a11abdd8', 'X-Event-Key': 'repo:refs_changed' }, 'continue'],
    ['sha256 prefix', { secretRef: ref }, { 'X-Hub-Signature': hmac('sha256', BB) }, 'continue'],
    ['sha512 prefix', { secretRef: ref }, { 'X-Hub-Signature': hmac('sha512', BB) }, 'continue'],
    ['unknown prefix', { secretRef: ref }, { 'X-Hub-Signature': 'md5=00' }, 'rejected: unknown hash type prefix: "md5"'],
    ['wrong signature', { secretRef: ref }, { 'X-Hub-Signature': hmac('sha1', BB, 'no') }, 'rejected: payload signature check failed'],
    ['missing signature', { secretRef: ref }, {}, 'rejected: no X-Hub-Signature header set'],
    ['cloud: filter only', { eventTypes: ['repo:push'] }, { 'X-Event-Key': 'repo:push' }, 'continue'],
    ['event not allowed', { eventTypes: ['repo:push'] }, { 'X-Event-Key': 'pr:opened' }, 'rejected: event type pr:opened is not allowed'],
  ];
  it.each(cases)('%s', async (_n, params, headers, want) => {
    expect(summary(await run([ic('bitbucket', params)], BB, headers))).toBe(want);
  });
});

describe('slack interceptor', () => {
  const form = JSON.stringify({ command: ['/build'], text: ['main'], user_name: ['ann'] });
  const hdr = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Signature': 'v0=abc' };
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, string | RegExp]> = [
    ['requested fields', { requestedFields: ['text', 'user_name'] }, hdr, 'continue'],
    ['not form encoded', { requestedFields: ['text'] }, { 'X-Slack-Signature': 'v0=abc' }, 'rejected: missing header in payload: ContentType application/x-www-form-urlencoded'],
    ['no signature header', { requestedFields: ['text'] }, { 'Content-Type': 'application/x-www-form-urlencoded' }, 'rejected: missing header in payload: ContentType application/x-www-form-urlencoded'],
    ['no requestedFields', {}, hdr, 'rejected: missing requested field definition'],
    ['a field the form lacks', { requestedFields: ['nope'] }, hdr, /^rejected: requested field does not exists in payload/],
  ];
  it.each(cases)('%s', async (_n, params, headers, want) => {
    const r = await run([ic('slack', params)], form, headers);
    expect(summary(r)).toMatch(want instanceof RegExp ? want : new RegExp(`^${want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    if (summary(r) === 'continue' && r.kind === 'continue') expect(r.event.extensions).toEqual({ text: ['main'], user_name: ['ann'] });
  });
});

describe('cel interceptor', () => {
  const body = JSON.stringify({ action: 'opened', ref: 'refs/heads/main', count: 2, sha: '28911bbb5a3e2ea034daf1f6be0a822d50e31e73', items: ['a', 'b', 'c'], doc: '{"k":[1,2]}', yaml: 'k: v', b64: 'aGVsbG8=', mixed: 'Hello-World' });
  const headers = { 'X-GitHub-Event': 'push', 'X-Multi': 'first' };
  const filters: Array<[string, string]> = [
    ["body.action in ['opened', 'reopened']", 'continue'],
    ["body.action == 'closed'", "rejected: expression body.action == 'closed' did not return true"],
    ['body.count', 'rejected: expression body.count did not return true'],
    ["body.ref.split('/')[2] == 'main'", 'continue'],
    ["header.match('x-github-event', 'push')", 'continue'],
    ["header.canonical('X-MULTI') == 'first'", 'continue'],
    ["header['X-Github-Event'][0] == 'push'", 'continue'],
    ["body.sha.truncate(7) == '28911bb'", 'continue'],
    ["body.doc.parseJSON().k[1] == 2.0", 'continue'],
    ["body.yaml.parseYAML().k == 'v'", 'continue'],
    ["requestURL.parseURL().queryStrings['repo'] == ['a', 'b'] && requestURL.parseURL().host == 'el.local'", 'continue'],
    ["string(base64.decode(body.b64)) == 'hello' && base64.encode(b'hello') == body.b64", 'continue'],
    ["body.mixed.lowerAscii() == 'hello-world' && body.mixed.upperAscii() == 'HELLO-WORLD'", 'continue'],
    ["body.mixed.translate('[A-Z]', 'x') == 'xello-xorld'", 'continue'],
    ["body.items.first() == 'a' && body.items.last() == 'c'", 'continue'],
    ["body.items.marshalJSON() == '[\"a\",\"b\",\"c\"]'", 'continue'],
    ["'1234567'.compareSecret('token', 's')", 'continue'],
    ["'wrong'.compareSecret('token', 's')", /^rejected: .*did not return true/.source],
    ["'v'.compareSecret('k', 'other', 'elsewhere')", 'continue'],
    ['body.count + 1', /^rejected: error evaluating expression/.source],
    ['body.missing.deeper', /^rejected: error evaluating expression .*missing/.source],
    ['this is not CEL (', /^rejected: failed to parse expression/.source],
    ["'x'.compareSecret('token', 'absent')", /^error 500: .*secret default\/absent not found/.source],
    ['body.items.all(x, body.items.all(y, body.items.all(z, body.items.all(w, body.items.all(v, x != "")))))', 'continue'],
  ];
  it.each(filters)('filter %s', async (filter, want) => {
    expect(summary(await run([ic('cel', { filter })], body, headers))).toMatch(new RegExp(want.startsWith('^') ? want : `^${want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('stops expressions that exceed the cost limit', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => i) });
    const r = await run([ic('cel', { filter: 'body.items.all(x, body.items.all(y, x + y >= 0.0))' })], big, {});
    expect(summary(r)).toMatch(/^rejected: .*cost limit/);
  });

  it('keeps counting the cost and reading Secrets after an await (compareSecret), while other events are evaluated', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => i) });
    const costly = "'1234567'.compareSecret('token', 's') && body.items.all(x, body.items.all(y, x + y >= 0.0))";
    const twice = "'1234567'.compareSecret('token', 's') && 'v'.compareSecret('k', 'other', 'elsewhere')";
    const [a, b, c] = await Promise.all([
      run([ic('cel', { filter: costly })], big, {}),
      run([ic('cel', { filter: twice })], big, {}),
      run([ic('cel', { filter: 'body.items.all(x, x >= 0)' })], big, {}),
    ]);
    expect(summary(a)).toMatch(/^rejected: .*cost limit/);
    expect(summary(b)).toBe('continue');
    expect(summary(c)).toBe('continue');
  });

  it('overlays see the original context and nest dotted keys; later interceptors see the extensions', async () => {
    const r = await run([
      ic('cel', { overlays: [{ key: 'short_sha', expression: 'body.sha.truncate(7)' }, { key: 'a.b', expression: "body.ref.split('/')" }, { key: 'n', expression: 'body.count * 2.0' }, { key: 'i', expression: 'size(body.items)' }] }),
      ic('cel', { filter: "extensions.short_sha == '28911bb' && extensions.a.b[2] == 'main'" }),
    ], body, headers);
    expect(r.kind).toBe('continue');
    expect(r.kind === 'continue' && r.event.extensions).toEqual({ short_sha: '28911bb', a: { b: ['refs', 'heads', 'main'] }, n: 4, i: 3 });
  });
});

describe('interceptor addresses', () => {
  const ci = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'triggers.tekton.dev/v1alpha1', kind: 'ClusterInterceptor' as const, metadata: { name: 'x' }, spec: { clientConfig: spec }, ...(status ? { status } : {}) });
  it('prefers status.address.url, then clientConfig.url, then the Service (https and 8443 with a caBundle)', () => {
    expect(interceptorUrl(ci({ url: 'http://a/' }, { address: { url: 'https://status/' } }))).toBe('https://status/');
    expect(interceptorUrl(ci({ url: 'http://a/' }))).toBe('http://a/');
    expect(interceptorUrl(ci({ service: { name: 'svc', namespace: 'ns', path: '/cel' } }))).toBe('http://svc.ns.svc:80/cel');
    expect(interceptorUrl(ci({ service: { name: 'svc', namespace: 'ns', port: 9443 }, caBundle: 'Zm9v' }))).toBe('https://svc.ns.svc:9443');
    expect(interceptorUrl(ci({ service: { name: 'svc', namespace: 'ns' }, caBundle: 'Zm9v' }))).toBe('https://svc.ns.svc:8443');
    expect(interceptorUrl(ci({}))).toBeUndefined();
  });
});
