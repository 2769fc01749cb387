/**
 * The git resolver against local bare repositories: file:// and git smart HTTP on loopback, anonymous and with a
 * token from a Secret; branch, tag, commit SHA and default HEAD; the cache (no second fetch within the TTL); and
 * each failure mode naming the reference: unknown file, bad revision, unreachable URL, refused token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolution } from '../../src/controller/resolution/index.js';
import { commitFiles, makeBareRepo, tag, type BareRepo } from '../catalog/fixtures/git.js';
import { startGitHttp, type GitHttpServer } from '../catalog/fixtures/git-http.js';
import { params, startTestApi, taskYaml, type TestApi } from './api.js';

const TOKEN = 'tok-123';
const AUTH = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;

describe('git resolver', () => {
  let t: TestApi;
  let repo: BareRepo & { commit: string };
  let second: string;
  let open: GitHttpServer;
  let privateServer: GitHttpServer;

  beforeAll(async () => {
    t = await startTestApi();
    repo = makeBareRepo(t.dir, 'tasks', { 'task/build.yaml': taskYaml('build', 'v1'), 'pipeline.yaml': 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  tasks: [{name: b, taskRef: {name: build}}]\n' });
    tag(repo, 'v1', repo.commit);
    second = commitFiles(repo, { 'task/build.yaml': taskYaml('build', 'v2') }, 'v2');
    commitFiles(repo, { 'task/build.yaml': taskYaml('build', 'feature') }, 'feature', 'feature/x');
    open = await startGitHttp(t.dir);
    privateServer = await startGitHttp(t.dir, { authorization: AUTH });
    await t.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'git-token', namespace: 'default' }, stringData: { token: TOKEN, other: 'wrong' } });
  });
  afterAll(async () => {
    await open?.close();
    await privateServer?.close();
    await t?.close();
  });

  const echoOf = (res: Awaited<ReturnType<Resolution['resolve']>>) => (res.ok ? (res.object.spec as { steps: Array<{ script: string }> }).steps[0]?.script : res.message);
  const req = (p: Record<string, string>, kind: 'task' | 'pipeline' = 'task') => ({ resolver: 'git', namespace: 'default', kind, params: params(p) });

  it('resolves a file at the default branch, a branch, a tag and a commit SHA (file://)', async () => {
    const r = t.resolution();
    expect(echoOf(await r.resolve(t.client, req({ url: repo.url, pathInRepo: 'task/build.yaml' })))).toBe('echo v2');
    expect(echoOf(await r.resolve(t.client, req({ url: repo.url, revision: 'feature/x', pathInRepo: 'task/build.yaml' })))).toBe('echo feature');
    expect(echoOf(await r.resolve(t.client, req({ url: repo.url, revision: 'v1', pathInRepo: 'task/build.yaml' })))).toBe('echo v1');
    const bySha = await r.resolve(t.client, req({ url: repo.url, revision: second, pathInRepo: '/task/build.yaml' }));
    expect(echoOf(bySha)).toBe('echo v2');
    expect(bySha.ok && bySha.source).toEqual({ uri: `git+${repo.url}`, digest: { sha1: second }, entryPoint: 'task/build.yaml' });
    const p = await r.resolve(t.client, req({ url: repo.url, revision: 'main', pathInRepo: 'pipeline.yaml' }, 'pipeline'));
    expect(p.ok && p.object.kind).toBe('Pipeline');
  });

  it('resolves over HTTP, and reuses the answer within the TTL (one fetch)', async () => {
    const r = t.resolution();
    const url = `${open.url}/tasks.git`;
    const before = open.requests.length;
    expect(echoOf(await r.resolve(t.client, req({ url, revision: 'main', pathInRepo: 'task/build.yaml' })))).toBe('echo v2');
    const afterFirst = open.requests.length;
    expect(afterFirst).toBeGreaterThan(before);
    expect(echoOf(await r.resolve(t.client, req({ url, revision: 'main', pathInRepo: 'task/build.yaml' })))).toBe('echo v2');
    expect(open.requests.length).toBe(afterFirst);
  });

  it('uses a token from a Secret for a private repository; a wrong or missing token fails', async () => {
    const r = t.resolution();
    const url = `${privateServer.url}/tasks.git`;
    const ok = await r.resolve(t.client, req({ url, pathInRepo: 'task/build.yaml', token: 'git-token', tokenKey: 'token' }));
    expect(echoOf(ok)).toBe('echo v2');
    const wrong = await r.resolve(t.client, req({ url, pathInRepo: 'task/build.yaml', token: 'git-token', tokenKey: 'other', cache: 'never' }));
    expect(!wrong.ok && wrong.message).toMatch(/^resolver "git" \(url=http:\/\/127\.0\.0\.1:\d+\/tasks\.git, pathInRepo=task\/build\.yaml, cache=never\): cannot fetch .*(401|Authentication failed|could not read Username)/);
    expect(!wrong.ok && wrong.message).not.toContain(TOKEN);
    const anonymous = await t.resolution().resolve(t.client, req({ url, pathInRepo: 'task/build.yaml' }));
    expect(anonymous.ok).toBe(false);
    const noSecret = await r.resolve(t.client, req({ url, pathInRepo: 'task/build.yaml', token: 'missing' }));
    expect(!noSecret.ok && noSecret.message).toContain('secret "missing" not found in namespace "default"');
  });

  it('fails naming the reference: unknown file, bad revision, unreachable URL, bad URL', async () => {
    const r = t.resolution();
    const noFile = await r.resolve(t.client, req({ url: repo.url, pathInRepo: 'task/nope.yaml' }));
    expect(!noFile.ok && noFile.message).toContain(`file "task/nope.yaml" not found at revision "HEAD" (commit ${second}) of ${repo.url}`);
    const badRev = await r.resolve(t.client, req({ url: repo.url, revision: 'no-such-branch', pathInRepo: 'task/build.yaml' }));
    expect(!badRev.ok && badRev.message).toContain(`revision "no-such-branch" not found in ${repo.url}`);
    const badSha = await r.resolve(t.client, req({ url: repo.url, revision: 'f'.repeat(40), pathInRepo: 'task/build.yaml' }));
    expect(!badSha.ok && badSha.message).toContain('not found');
    const gone = await r.resolve(t.client, req({ url: `file://${t.dir}/missing.git`, pathInRepo: 'x.yaml' }));
    expect(!gone.ok && gone.message).toMatch(/cannot fetch file:\/\/.*missing\.git: fatal: .*(does not appear to be a git repository|not found)/);
    const refused = await r.resolve(t.client, req({ url: 'http://127.0.0.1:9/repo.git', pathInRepo: 'x.yaml' }));
    expect(!refused.ok && refused.message).toMatch(/cannot fetch http:\/\/127\.0\.0\.1:9\/repo\.git: fatal: .*(Connection refused|Failed to connect)/);
    const ext = await r.resolve(t.client, req({ url: 'ext::sh -c touch% /tmp/pwned', pathInRepo: 'x.yaml' }));
    expect(!ext.ok && ext.message).toContain('must be file://, http(s)://, ssh:// or git://');
    const escape = await r.resolve(t.client, req({ url: repo.url, pathInRepo: '../etc/passwd' }));
    expect(!escape.ok && escape.message).toContain('must stay inside the repository');
  });
});
