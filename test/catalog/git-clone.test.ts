/**
 * catalog/task/git-clone/0.1 run for real in embedded mode (host runtime) against local bare repositories served
 * over git smart HTTP on loopback (the host sandbox does not see the test's /tmp, as a pod would not):
 * default branch, a tag, a commit SHA, a subdirectory, sparse checkout, full depth, and a bad revision.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, explain, hostRuntimeMissing, loadYaml } from './harness.js';
import { commitFiles, makeBareRepo, tag, type BareRepo } from './fixtures/git.js';
import { startGitHttp, type GitHttpServer } from './fixtures/git-http.js';

const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping git-clone catalog tests: ${missing}`);

describe.skipIf(!!missing)('catalog git-clone 0.1', () => {
  let cluster: Cluster;
  let dir: string;
  let repo: BareRepo & { commit: string };
  let second: string;
  let server: GitHttpServer;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-git-clone-'));
    repo = makeBareRepo(dir, 'app', { 'README.md': 'one\n', 'src/a.txt': 'a\n', 'docs/b.txt': 'b\n' });
    tag(repo, 'v1.0.0', repo.commit);
    second = commitFiles(repo, { 'README.md': 'two\n' }, 'second commit');
    server = await startGitHttp(dir);
    url = `${server.url}/app.git`;
    cluster = await Cluster.start({ hostPorts: [Number(new URL(server.url).port)] });
    await cluster.apply(loadYaml('catalog/task/git-clone/0.1/git-clone.yaml'));
  });
  afterAll(async () => {
    await cluster?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function clone(name: string, params: Record<string, string>, out: string) {
    const claimName = await cluster.hostDirClaim(out);
    return cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: {
        taskRef: { name: 'git-clone' },
        params: Object.entries(params).map(([n, value]) => ({ name: n, value })),
        workspaces: [{ name: 'output', persistentVolumeClaim: { claimName } }],
      },
    });
  }

  it('clones the default branch and reports commit, url and committer-date', async () => {
    const out = join(dir, 'out-default');
    const f = await clone('clone-default', { url }, out);
    expect(f.succeeded, explain(f)).toBe(true);
    const byName = f.results;
    expect(byName.commit).toBe(second);
    expect(byName.url).toBe(url);
    expect(byName['committer-date']).toMatch(/^\d+$/);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('two\n');
  });

  it('checks out a tag and a commit SHA', async () => {
    const byTag = await clone('clone-tag', { url, revision: 'v1.0.0' }, join(dir, 'out-tag'));
    expect(byTag.succeeded, explain(byTag)).toBe(true);
    expect(readFileSync(join(dir, 'out-tag', 'README.md'), 'utf8')).toBe('one\n');
    const bySha = await clone('clone-sha', { url, revision: repo.commit, depth: '0' }, join(dir, 'out-sha'));
    expect(bySha.succeeded, explain(bySha)).toBe(true);
    expect(bySha.results.commit).toBe(repo.commit);
  });

  it('clones into a subdirectory with a sparse checkout', async () => {
    const out = join(dir, 'out-sparse');
    const f = await clone('clone-sparse', { url, subdirectory: 'repo', sparseCheckoutDirectories: '/src/' }, out);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(existsSync(join(out, 'repo', 'src', 'a.txt'))).toBe(true);
    expect(existsSync(join(out, 'repo', 'docs', 'b.txt'))).toBe(false);
  });

  it('fails on a revision that does not exist', async () => {
    const f = await clone('clone-bad', { url, revision: 'no-such-branch' }, join(dir, 'out-bad'));
    expect(f.succeeded).toBe(false);
    expect(f.logs).toMatch(/no-such-branch/);
  });
});

