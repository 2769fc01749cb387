/**
 * The hub resolver, answered from this repository's catalog/ (and from a fixture catalog for version ordering):
 * latest by semantic version (0.10 after 0.9), exact versions and constraints, and failures naming the
 * reference: unknown name, unknown version, bad version text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { params, startTestApi, taskYaml, type TestApi } from './api.js';

describe('hub resolver', () => {
  let t: TestApi;
  let fixture: string;

  beforeAll(async () => {
    t = await startTestApi();
    fixture = join(t.dir, 'catalog');
    for (const v of ['0.2', '0.9', '0.10', '0.10.1-rc', 'README']) {
      mkdirSync(join(fixture, 'task', 'greet', v), { recursive: true });
      writeFileSync(join(fixture, 'task', 'greet', v, 'greet.yaml'), taskYaml('greet', v));
    }
  });
  afterAll(async () => t?.close());

  const req = (p: Record<string, string>) => ({ resolver: 'hub', namespace: 'default', kind: 'task' as const, params: params(p) });
  const echo = (res: { ok: boolean; object?: { spec: unknown }; message?: string }) => (res.ok ? (res.object?.spec as { steps: Array<{ script: string }> }).steps[0]?.script : res.message);

  it("serves this repository's catalog: git-clone, latest when no version is given", async () => {
    const r = t.resolution();
    const res = await r.resolve(t.client, req({ name: 'git-clone', catalog: 'tekton-catalog-tasks', type: 'artifact' }));
    expect(res.ok && res.name).toBe('git-clone');
    expect(res.ok && res.source.uri).toBe('catalog://task/git-clone/0.1');
    const exact = await r.resolve(t.client, req({ name: 'gitops-bump', version: '0.1.0' }));
    expect(exact.ok).toBe(true);
  });

  it('picks the latest by semantic version, not string order; honours versions and constraints', async () => {
    const r = t.resolution({ catalogDir: fixture });
    expect(echo(await r.resolve(t.client, req({ name: 'greet' })))).toBe('echo 0.10');
    expect(echo(await r.resolve(t.client, req({ name: 'greet', version: '0.9' })))).toBe('echo 0.9');
    expect(echo(await r.resolve(t.client, req({ name: 'greet', version: '< 0.10' })))).toBe('echo 0.9');
  });

  it('fails naming the reference: unknown name, unknown version, bad version, pipelines it lacks', async () => {
    const r = t.resolution({ catalogDir: fixture });
    expect(await r.resolve(t.client, req({ name: 'nope' }))).toEqual({ ok: false, message: 'resolver "hub" (name=nope): no task "nope" in the catalog' });
    expect(echo(await r.resolve(t.client, req({ name: 'greet', version: '0.3' })))).toBe('resolver "hub" (name=greet, version=0.3): task "greet" has no version matching "0.3" in the catalog (available: 0.10, 0.10.1-rc, 0.2, 0.9, README)');
    expect(echo(await r.resolve(t.client, req({ name: 'greet', version: 'latest!' })))).toContain('is neither a version nor a constraint');
    expect(echo(await r.resolve(t.client, req({ name: '../etc' })))).toContain('is not a valid catalog name');
    const p = await r.resolve(t.client, { resolver: 'hub', namespace: 'default', kind: 'pipeline', params: params({ name: 'greet' }) });
    expect(!p.ok && p.message).toContain('no pipeline "greet" in the catalog');
  });
});
