/**
 * Every file in examples/ runs in CI: each YAML file is run with `node bin/tkt.js run -f <file> --runtime host`
 * and must exit 0 — except files that need real parts set up first, which a named test runs (and this test checks
 * that test exists and names the file), `no-ci/` (needs the internet: each file says why on its first line; they
 * are only validated here), and `repos/` folders (contents of demo git repositories, not Tekton files).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/api/load.js';
import { validateObject } from '../../src/api/validate/index.js';
import { hasCommand, hostRuntimeMissing, repoRoot } from '../catalog/harness.js';
import { tkt } from './tkt.js';

const root = join(repoRoot, 'examples');

/** Examples that need real parts (repositories, a registry): run by these tests. */
const RUN_BY: Record<string, string> = {
  'gitops-ci/pipeline.yaml': 'test/examples/gitops-ci.test.ts',
  'gitops-ci/eventlistener.yaml': 'test/examples/eventlistener.test.ts',
};

/** Host commands an example's Tasks use. */
const NEEDS: Record<string, string[]> = { 'catalog-reference.yaml': ['yq', 'kubectl'] };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'repos' ? [] : yamlFiles(p);
    return /\.ya?ml$/.test(name) ? [relative(root, p)] : [];
  }).sort();
}

const all = yamlFiles(root);
const noCi = all.filter((f) => f.startsWith('no-ci/'));
const runHere = all.filter((f) => !f.startsWith('no-ci/') && !RUN_BY[f]);
const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping the examples walk: ${missing}`);

describe('examples/', () => {
  it('has hello-world, a catalog reference, the GitOps CI pipeline and its EventListener', () => {
    expect(all).toEqual(expect.arrayContaining(['hello-world.yaml', 'catalog-reference.yaml', ...Object.keys(RUN_BY)]));
  });

  it.each(Object.entries(RUN_BY))('%s is run by %s', (file, test) => {
    expect(existsSync(join(repoRoot, test))).toBe(true);
    expect(readFileSync(join(repoRoot, test), 'utf8')).toContain(`examples/${file}`);
  });

  it.each(noCi.length ? noCi : ['(none)'])('no-ci/%s says why and is valid', (file) => {
    if (file === '(none)') return;
    const text = readFileSync(join(root, file), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# no-ci: \S/);
    const parsed = parseManifests(text, file);
    expect(parsed.errors).toEqual([]);
    for (const o of parsed.objects) expect(validateObject(o).errors).toEqual([]);
  });

  for (const file of runHere) {
    const lacking = missing ?? (NEEDS[file] ?? []).find((c) => !hasCommand(c));
    if (lacking) console.warn(`skipping examples/${file}: ${missing ?? `${lacking} is not installed`}`);
    it.skipIf(!!lacking)(`tkt run -f examples/${file} --runtime host exits 0`, async () => {
      const r = await tkt(['run', '-f', `examples/${file}`, '--runtime', 'host']);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/Succeeded/);
    }, 300_000);
  }
});
