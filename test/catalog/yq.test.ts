/**
 * catalog/task/yq/0.1 run for real (embedded mode, host runtime, the yq on this machine): an expression applied
 * to several files, a SCRIPT that writes the `yq` result, and a bad expression that fails the run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster, explain, hasCommand, hostRuntimeMissing, loadYaml } from './harness.js';

const missing = hostRuntimeMissing() ?? (hasCommand('yq') ? undefined : 'yq is not installed (Debian package yq, or mikefarah/yq)');
if (missing) console.warn(`skipping yq catalog tests: ${missing}`);

const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n';

describe.skipIf(!!missing)('catalog yq 0.1', () => {
  let cluster: Cluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-yq-'));
    cluster = await Cluster.start();
    await cluster.apply(loadYaml('catalog/task/yq/0.1/yq.yaml'));
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function yq(name: string, params: Array<{ name: string; value: string | string[] }>) {
    const src = join(dir, name);
    mkdirSync(join(src, 'env'), { recursive: true });
    writeFileSync(join(src, 'env', 'a.yaml'), DEPLOY);
    writeFileSync(join(src, 'env', 'b.yaml'), DEPLOY.replace('web', 'api'));
    const claimName = await cluster.hostDirClaim(src);
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: { taskRef: { name: 'yq' }, params, workspaces: [{ name: 'source', persistentVolumeClaim: { claimName } }] },
    });
    const read = (file: string) => parse(readFileSync(join(src, 'env', file), 'utf8')) as { metadata: { name: string }; spec: { replicas: number } };
    return { f, read };
  }

  it('applies an expression to each file in place', async () => {
    const { f, read } = await yq('yq-expression', [
      { name: 'expression', value: '.spec.replicas = 3' },
      { name: 'files', value: ['env/a.yaml', 'env/b.yaml'] },
    ]);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(read('a.yaml').spec.replicas).toBe(3);
    expect(read('b.yaml')).toMatchObject({ metadata: { name: 'api' }, spec: { replicas: 3 } });
  });

  it('runs a SCRIPT that edits and writes the yq result', async () => {
    const script = 'yq -Y -i \'.spec.replicas = 5\' env/a.yaml 2>/dev/null || yq eval -i \'.spec.replicas = 5\' env/a.yaml\nprintf \'%s\' "$(grep replicas env/a.yaml | tr -d \' \')" > $(results.yq.path)\n';
    const { f, read } = await yq('yq-script', [{ name: 'SCRIPT', value: script }]);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(read('a.yaml').spec.replicas).toBe(5);
    expect(read('b.yaml').spec.replicas).toBe(1);
    expect(f.results.yq).toBe('replicas:5');
  });

  it('fails on an invalid expression', async () => {
    const { f } = await yq('yq-bad', [{ name: 'expression', value: '.spec.replicas = = 3' }, { name: 'files', value: ['env/a.yaml'] }]);
    expect(f.succeeded).toBe(false);
  });
});
