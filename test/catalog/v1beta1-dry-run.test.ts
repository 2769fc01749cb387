/**
 * v1beta1 catalog Tasks and their tests/run.yaml, as users have them: Tasks taken unchanged from the public
 * Tekton catalog (fixtures/v1beta1/upstream, Apache-2.0) and two written here in the catalog's v1beta1 style
 * (fixtures/v1beta1/own). Every file must pass `kubectl create --dry-run=server` against the embedded API
 * server (Tekton's webhook accepts them all); the own Tasks' tests then run for real (host runtime) and their
 * v1beta1 settings (serviceAccountName, timeout, podTemplate) reach the TaskRuns.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { Cluster, explain, hasCommand, hostRuntimeMissing, loadYaml, repoRoot } from './harness.js';

const exec = promisify(execFile);
const missing = hostRuntimeMissing() ?? (hasCommand('kubectl') ? undefined : 'kubectl is not installed');
if (missing) console.warn(`skipping v1beta1 catalog tests: ${missing}`);

const ROOT = join(repoRoot, 'test', 'catalog', 'fixtures', 'v1beta1');

/** `<set>/<task>/<version>` directories with their files in apply order. */
function taskDirs(set: string): Array<{ id: string; files: string[] }> {
  const out: Array<{ id: string; files: string[] }> = [];
  for (const task of readdirSync(join(ROOT, set), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const version of readdirSync(join(ROOT, set, task.name))) {
      const dir = join(ROOT, set, task.name, version);
      const files = [join(dir, `${task.name}.yaml`), join(dir, 'tests', 'resources.yaml'), join(dir, 'tests', 'run.yaml')].filter((f) => existsSync(f));
      out.push({ id: `${task.name}/${version}`, files });
    }
  }
  return out;
}

describe.skipIf(!!missing)('v1beta1 catalog Tasks', () => {
  let cluster: Cluster;
  let dir: string;
  const kubectl = (args: string[]) => exec('kubectl', ['--kubeconfig', cluster.embedded.kubeconfigPath, '--cache-dir', join(dir, 'kcache'), ...args], { timeout: 60_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-b1cat-'));
    cluster = await Cluster.start();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const all = [...taskDirs('upstream'), ...taskDirs('own')];
  it('has the fixtures it expects', () => expect(all.length).toBeGreaterThanOrEqual(9));

  it.each(all)('kubectl create --dry-run=server accepts $id', async ({ files }) => {
    for (const f of files) {
      const r = await kubectl(['create', '--dry-run=server', '-f', f]).catch((e: { stderr?: string }) => ({ stdout: '', stderr: e.stderr ?? String(e) }));
      expect(r.stderr, f).toBe('');
      expect(r.stdout, f).toMatch(/created \(server dry run\)/);
    }
  }, 60_000);

  it('runs report-env 0.1 tests/run.yaml: the pod template env reaches the step', async () => {
    await cluster.apply(loadYaml('test/catalog/fixtures/v1beta1/own/report-env/0.1/report-env.yaml'));
    const [sa, tr] = loadYaml('test/catalog/fixtures/v1beta1/own/report-env/0.1/tests/run.yaml');
    await cluster.apply([sa!]);
    const f = await cluster.runTask(tr as TaskRun);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.value).toBe('from-pod-template');
    expect(f.logs).toContain('TEMPLATE=from-pod-template from-template=yes');
    expect(f.run.spec.serviceAccountName).toBe('reporter');
    expect(f.run.spec.timeout).toBe('10m');
  }, 90_000);

  it('runs bump-version 0.1 tests/run.yaml (a v1beta1 Pipeline and PipelineRun)', async () => {
    await cluster.apply(loadYaml('test/catalog/fixtures/v1beta1/own/bump-version/0.1/bump-version.yaml'));
    const docs = loadYaml('test/catalog/fixtures/v1beta1/own/bump-version/0.1/tests/run.yaml');
    await cluster.apply(docs.slice(0, 2));
    const f = await cluster.runPipeline(docs[2] as PipelineRun);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.new).toBe('1.2.4');
    const pr = f.run as PipelineRun;
    expect(pr.spec.taskRunTemplate?.serviceAccountName).toBe('bumper');
    expect(pr.spec.timeouts?.pipeline).toBe('30m');
  }, 90_000);
});
