/**
 * catalog/task/gitops-bump/0.1 run for real (embedded mode, host runtime): a GitOps repository served over git
 * smart HTTP gets its kustomization (or Helm values) bumped and pushed, keeping comments and other entries; a
 * second run with the same tag changes nothing; with a forge-token workspace the bump goes to a branch and a
 * pull request is opened on a fake forge API on loopback. Missing files and keys fail the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster, explain, hostRuntimeMissing, loadYaml } from './harness.js';
import { git, head, makeBareRepo, show, type BareRepo } from './fixtures/git.js';
import { startGitHttp, type GitHttpServer } from './fixtures/git-http.js';
import { startFakeForge, type FakeForge } from './fixtures/forge.js';

const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping gitops-bump catalog tests: ${missing}`);

const KUSTOMIZATION = `# production overlay
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  # the web frontend
  - name: registry.example/team/web
    newTag: "old-tag"
  - name: registry.example/team/worker
    newTag: "1.0"
`;
const VALUES = 'replicaCount: 2\nsidecar:\n  tag: keep\nimage:\n  repository: registry.example/team/web\n  pullPolicy: IfNotPresent\n  tag: "0.1.0" # bumped by CI\n';
const SOURCE = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe.skipIf(!!missing)('catalog gitops-bump 0.1', () => {
  let cluster: Cluster;
  let dir: string;
  let repo: BareRepo;
  let server: GitHttpServer;
  let forge: FakeForge;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-gitops-bump-'));
    repo = makeBareRepo(dir, 'gitops', { 'apps/web/kustomization.yaml': KUSTOMIZATION, 'apps/web/deployment.yaml': 'kind: Deployment\n', 'charts/web/values.yaml': VALUES });
    server = await startGitHttp(dir);
    forge = await startFakeForge('s3cret-token');
    url = `${server.url}/gitops.git`;
    cluster = await Cluster.start({ hostPorts: [Number(new URL(server.url).port), Number(new URL(forge.url).port)] });
    await cluster.apply(loadYaml('catalog/task/gitops-bump/0.1/gitops-bump.yaml'));
    await cluster.apply([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge' }, stringData: { token: 's3cret-token' } }]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await server?.close();
    await forge?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function bump(name: string, params: Record<string, string>, workspaces: object[] = []) {
    const all = { GITOPS_REPO_URL: url, SOURCE_COMMIT: SOURCE, SOURCE_URL: 'https://git.example/team/web.git', ...params };
    return cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: { taskRef: { name: 'gitops-bump' }, params: Object.entries(all).map(([n, value]) => ({ name: n, value })), workspaces },
    });
  }

  it('sets newTag in the kustomization, keeps comments and other images, commits naming the source, pushes', async () => {
    const f = await bump('bump-kustomize', { FILE: 'apps/web/kustomization.yaml', IMAGE_NAME: 'registry.example/team/web', TAG: 'abc1234' });
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results).toMatchObject({ changed: 'true', branch: 'main', commit: head(repo), 'pr-url': '' });
    const text = show(repo, 'main', 'apps/web/kustomization.yaml');
    expect(text).toContain('# the web frontend');
    const k = parse(text) as { images: Array<{ name: string; newTag: string }> };
    expect(k.images).toEqual([{ name: 'registry.example/team/web', newTag: 'abc1234' }, { name: 'registry.example/team/worker', newTag: '1.0' }]);
    const message = git(repo.path, 'log', '-1', '--format=%B', 'main');
    expect(message).toContain('Bump registry.example/team/web to abc1234');
    expect(message).toContain(SOURCE);
    expect(git(repo.path, 'log', '-1', '--format=%an', 'main')).toBe('tektite-bot');
  });

  it('changes nothing when the tag is already set', async () => {
    const before = head(repo);
    const f = await bump('bump-again', { FILE: 'apps/web/kustomization.yaml', IMAGE_NAME: 'registry.example/team/web', TAG: 'abc1234' });
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results).toMatchObject({ changed: 'false', commit: before });
    expect(head(repo)).toBe(before);
  });

  it('adds an images entry for an image not listed yet, with a digest', async () => {
    const digest = `sha256:${'e'.repeat(64)}`;
    const f = await bump('bump-new-image', { FILE: 'apps/web/kustomization.yaml', IMAGE_NAME: 'registry.example/team/cron', TAG: 'v9', DIGEST: digest });
    expect(f.succeeded, explain(f)).toBe(true);
    const k = parse(show(repo, 'main', 'apps/web/kustomization.yaml')) as { images: Array<Record<string, string>> };
    expect(k.images).toHaveLength(3);
    expect(k.images[2]).toEqual({ name: 'registry.example/team/cron', newTag: 'v9', digest });
  });

  it('sets a Helm values key by path, keeping the comment and a same-named key elsewhere', async () => {
    const f = await bump('bump-helm', { FILE: 'charts/web/values.yaml', IMAGE_NAME: 'registry.example/team/web', TAG: 'def5678' });
    expect(f.succeeded, explain(f)).toBe(true);
    const text = show(repo, 'main', 'charts/web/values.yaml');
    expect(text).toContain('tag: "def5678" # bumped by CI');
    expect(parse(text)).toMatchObject({ sidecar: { tag: 'keep' }, image: { tag: 'def5678' } });
  });

  it('with a forge token, pushes a bump branch and opens a pull request through the forge API', async () => {
    const base = head(repo);
    const f = await bump('bump-pr', {
      FILE: 'apps/web/kustomization.yaml', IMAGE_NAME: 'registry.example/team/web', TAG: 'fedcba9876543210',
      FORGE_API_URL: forge.url, REPO_FULL_NAME: 'team/gitops',
    }, [{ name: 'forge-token', secret: { secretName: 'forge' } }]);
    expect(f.succeeded, explain(f)).toBe(true);
    const branch = 'tektite/bump-web-fedcba987654';
    expect(f.results).toMatchObject({ changed: 'true', branch, 'pr-url': 'https://forge.example/team/gitops/pull/1' });
    expect(head(repo)).toBe(base);
    expect(head(repo, branch)).toBe(f.results.commit);
    expect(show(repo, branch, 'apps/web/kustomization.yaml')).toContain('newTag: "fedcba9876543210"');
    const post = forge.requests.find((r) => r.method === 'POST');
    expect(post).toMatchObject({ path: '/repos/team/gitops/pulls', authorization: 'Bearer s3cret-token' });
    expect(post?.body).toMatchObject({ head: branch, base: 'main', title: 'Bump registry.example/team/web to fedcba9876543210' });
    expect((post?.body as { body: string }).body).toContain(SOURCE);
  });

  it('fails on a missing file, a missing Helm key, and a bad token', async () => {
    const noFile = await bump('bump-no-file', { FILE: 'apps/nope/kustomization.yaml', IMAGE_NAME: 'x', TAG: 't' });
    expect(noFile.succeeded).toBe(false);
    expect(noFile.logs).toContain('no such file');
    const noKey = await bump('bump-no-key', { FILE: 'charts/web/values.yaml', IMAGE_NAME: 'x', TAG: 't', HELM_TAG_PATH: 'image.version' });
    expect(noKey.succeeded).toBe(false);
    expect(noKey.logs).toContain("key 'version' not found");
    await cluster.apply([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad-forge' }, stringData: { token: 'wrong' } }]);
    const badToken = await bump('bump-bad-token', { FILE: 'apps/web/kustomization.yaml', IMAGE_NAME: 'registry.example/team/web', TAG: 'zzz', FORGE_API_URL: forge.url }, [{ name: 'forge-token', secret: { secretName: 'bad-forge' } }]);
    expect(badToken.succeeded).toBe(false);
    expect(badToken.logs).toContain('HTTP 401');
  });
});
