/**
 * catalog/task/npm/0.1 run for real (embedded mode, host runtime, the host's node and npm): `npm install` and
 * `npm test` of a tiny project in a subdirectory; a failing test fails the run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, explain, hasCommand, hostRuntimeMissing, loadYaml } from './harness.js';

const missing = hostRuntimeMissing() ?? (hasCommand('npm') ? undefined : 'npm is not installed');
if (missing) console.warn(`skipping npm catalog tests: ${missing}`);

describe.skipIf(!!missing)('catalog npm 0.1', () => {
  let cluster: Cluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-npm-'));
    cluster = await Cluster.start();
    await cluster.apply(loadYaml('catalog/task/npm/0.1/npm.yaml'));
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function npm(name: string, args: string[], testExit: number) {
    const src = join(dir, name);
    mkdirSync(join(src, 'app'), { recursive: true });
    writeFileSync(join(src, 'app', 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, scripts: { test: 'node test.js' } }));
    writeFileSync(join(src, 'app', 'test.js'), `console.log('running ${name} tests'); process.exit(${testExit});\n`);
    const claimName = await cluster.hostDirClaim(src);
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: {
        taskRef: { name: 'npm' },
        params: [{ name: 'PATH_CONTEXT', value: 'app' }, { name: 'ARGS', value: args }],
        workspaces: [{ name: 'source', persistentVolumeClaim: { claimName } }],
      },
    });
    return { f, src };
  }

  it('runs npm install, then npm test', async () => {
    const install = await npm('npm-install', ['install'], 0);
    expect(install.f.succeeded, explain(install.f)).toBe(true);
    expect(existsSync(join(install.src, 'app', 'package-lock.json'))).toBe(true);
    const test = await npm('npm-test', ['test'], 0);
    expect(test.f.succeeded, explain(test.f)).toBe(true);
    expect(test.f.logs).toContain('running npm-test tests');
  });

  it('fails the run when the tests fail', async () => {
    const { f } = await npm('npm-test-fail', ['test'], 3);
    expect(f.succeeded).toBe(false);
    expect(f.logs).toContain('running npm-test-fail tests');
  });
});
