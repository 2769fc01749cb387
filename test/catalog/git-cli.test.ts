/**
 * catalog/task/git-cli/0.1 run for real (embedded mode, host runtime): a script commits in a clone and pushes to a
 * bare repository served over git smart HTTP; the `commit` result is the pushed commit. A failing script fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, explain, hostRuntimeMissing, loadYaml } from './harness.js';
import { git, head, makeBareRepo, show, type BareRepo } from './fixtures/git.js';
import { startGitHttp, type GitHttpServer } from './fixtures/git-http.js';

const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping git-cli catalog tests: ${missing}`);

describe.skipIf(!!missing)('catalog git-cli 0.1', () => {
  let cluster: Cluster;
  let dir: string;
  let repo: BareRepo;
  let server: GitHttpServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-git-cli-'));
    repo = makeBareRepo(dir, 'repo', { 'README.md': 'hello\n' });
    server = await startGitHttp(dir);
    cluster = await Cluster.start({ hostPorts: [Number(new URL(server.url).port)] });
    await cluster.apply(loadYaml('catalog/task/git-cli/0.1/git-cli.yaml'));
  });
  afterAll(async () => {
    await cluster?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runScript(name: string, script: string) {
    const work = join(dir, name);
    // clone through file:// (a synchronous git over this process's own HTTP server would deadlock), push over HTTP
    git(dir, 'clone', '-q', repo.url, work);
    git(work, 'remote', 'set-url', 'origin', `${server.url}/repo.git`);
    const claimName = await cluster.hostDirClaim(work);
    return cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: {
        taskRef: { name: 'git-cli' },
        params: [
          { name: 'GIT_USER_NAME', value: 'Tektite Bot' },
          { name: 'GIT_USER_EMAIL', value: 'bot@example.test' },
          { name: 'GIT_SCRIPT', value: script },
        ],
        workspaces: [{ name: 'source', persistentVolumeClaim: { claimName } }],
      },
    });
  }

  it('commits and pushes; the commit result is the pushed HEAD', async () => {
    const f = await runScript('cli-push', 'echo generated > out.txt\ngit add out.txt\ngit commit -q -m "add generated file"\ngit push -q origin HEAD:main\n');
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.commit).toBe(head(repo));
    expect(show(repo, 'main', 'out.txt')).toBe('generated');
    expect(git(repo.path, 'log', '-1', '--format=%an <%ae>')).toBe('Tektite Bot <bot@example.test>');
  });

  it('fails when the script fails', async () => {
    const f = await runScript('cli-fail', 'git push origin refs/heads/does-not-exist\n');
    expect(f.succeeded).toBe(false);
    expect(f.logs).toMatch(/does-not-exist/);
  });
});
