/**
 * release.yaml, the one-file install (`kubectl apply -f release.yaml`, as Tekton's release): it is what
 * `npm run gen:release` makes from config/ now, it holds every object `kubectl apply -k config/` installs, and real
 * kubectl applies it to the embedded API server.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startTestApi, type TestApi } from './helpers.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const release = fs.readFileSync(path.join(root, 'release.yaml'), 'utf8');
const ids = (text: string): string[] => parseAllDocuments(text).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
  .filter((o): o is { kind: string; metadata: { name: string } } => !!o?.kind).map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('release.yaml', () => {
  let t: TestApi;
  beforeAll(async () => { t = await startTestApi(); });
  afterAll(async () => { await t?.close(); });

  it('is current with config/ (npm run gen:release)', () => {
    const fresh = execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-release.mjs'), '--print'], { encoding: 'utf8' });
    expect(release, 'release.yaml is stale: run npm run gen:release').toBe(fresh);
  });

  it('holds exactly what kubectl kustomize config/ renders', () => {
    const rendered = execFileSync('kubectl', ['kustomize', path.join(root, 'config')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(ids(release)).toEqual(ids(rendered));
    expect(ids(release).length).toBeGreaterThan(20);
  });

  it('installs with kubectl apply -f', async () => {
    const out = await new Promise<{ code: number; text: string }>((resolve) => {
      execFile('kubectl', ['--kubeconfig', t.kubeconfig, '--cache-dir', path.join(t.dir, 'kc'), 'apply', '-f', path.join(root, 'release.yaml')], { timeout: 60_000 }, (err, so, se) => {
        resolve({ code: err ? 1 : 0, text: `${so}${se}` });
      });
    });
    expect(out.code, out.text).toBe(0);
    expect(out.text).toContain('deployment.apps/tektite-pipelines-controller created');
    expect(out.text).toContain('clusterrole.rbac.authorization.k8s.io/tektite-aggregate-edit created');
  }, 90_000);
});
