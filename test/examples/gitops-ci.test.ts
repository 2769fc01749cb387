/**
 * Issue 7's end-to-end test: the GitOps CI example pipeline run by `tkt run` in embedded mode (host runtime)
 * with real parts — the app and GitOps repositories as bare repositories over git smart HTTP, Debian's
 * docker-registry on loopback, buildah building from a busybox base made here. Afterwards the image is in the
 * registry under the app commit's SHA, and the GitOps repository has a new commit naming that commit whose
 * kustomization points at that tag. A failing app test stops the pipeline before anything is built or bumped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, head } from '../catalog/fixtures/git.js';
import { tagsOf } from '../catalog/fixtures/registry.js';
import { GitopsFixture, gitopsMissing } from './gitops-fixture.js';
import { tkt } from './tkt.js';

const missing = gitopsMissing();
if (missing) console.warn(`skipping the GitOps CI example: ${missing}`);

describe.skipIf(!!missing)('examples/gitops-ci/pipeline.yaml end to end', () => {
  let fx: GitopsFixture;
  let work: string;

  beforeAll(async () => {
    fx = await GitopsFixture.start();
    work = mkdtempSync(join(tmpdir(), 'tkt-gitops-work-'));
  });
  afterAll(async () => {
    await fx?.close();
    rmSync(work, { recursive: true, force: true });
  });

  function run(params: Record<string, string>, ws: string) {
    const flags = Object.entries({ ...fx.params(), ...params }).flatMap(([k, v]) => ['-p', `${k}=${v}`]);
    return tkt(['run', '-f', 'examples/gitops-ci/pipeline.yaml', '--runtime', 'host', '-o', 'json', '-w', `source=dir=${join(work, ws)}`, ...fx.runFlags, ...flags]);
  }

  it('tests, builds and pushes the image tagged with the commit SHA, and bumps the GitOps repository', async () => {
    const r = await run({}, 'ok');
    expect(r.code, r.stderr).toBe(0);
    await fx.expectDeployed(fx.app.commit);
    const pr = JSON.parse(r.stdout) as { status: { results: Array<{ name: string; value: string }> } };
    const results = Object.fromEntries(pr.status.results.map((x) => [x.name, x.value]));
    expect(results['gitops-commit']).toBe(head(fx.gitops));
    expect(results.image).toMatch(new RegExp(`^${fx.imageRepo}:${fx.app.commit}@sha256:[0-9a-f]{64}$`));
    expect(r.stderr).toContain('demo-app: 1 test passed');
    expect(r.stderr).toContain('ok  deployment.apps/demo-app');
  }, 600_000);

  it('stops at a failing test: no image, no GitOps commit', async () => {
    const broken = commitFiles(fx.app, { 'index.js': 'module.exports = { greet: () => "nope" };\n' }, 'break the app', 'broken');
    const before = head(fx.gitops);
    const r = await run({ 'app-revision': 'broken' }, 'broken');
    expect(r.code).toBe(1);
    expect(await tagsOf(fx.registry.host, 'demo-app')).not.toContain(broken);
    expect(head(fx.gitops)).toBe(before);
  }, 600_000);
});
