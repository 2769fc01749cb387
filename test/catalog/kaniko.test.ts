/**
 * catalog/task/kaniko/0.1. kaniko itself cannot run here: its executor unpacks the base image over its own root
 * file system, so it needs its container image (gcr.io/kaniko-project/executor), and this machine cannot pull
 * images. What is tested: the interface matches the Tekton catalog's, and — with the executor swapped for a stub
 * that records its arguments and writes a digest — the Task wires params into the executor's flags and reports
 * IMAGE_DIGEST and IMAGE_URL. A real build is not exercised (see docs/catalog.md).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/api/types.js';
import { validateObject } from '../../src/api/validate/index.js';
import { Cluster, explain, hostRuntimeMissing, loadYaml } from './harness.js';

const task = loadYaml('catalog/task/kaniko/0.1/kaniko.yaml')[0] as Task;

describe('catalog kaniko 0.1 interface', () => {
  it('is a valid Task with the Tekton catalog kaniko interface', () => {
    expect(validateObject(task).errors).toEqual([]);
    expect(task.spec.params?.map((p) => p.name)).toEqual(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'EXTRA_ARGS', 'BUILDER_IMAGE']);
    expect(task.spec.params?.find((p) => p.name === 'EXTRA_ARGS')?.type).toBe('array');
    expect(task.spec.results?.map((r) => r.name)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL']);
    expect(task.spec.workspaces?.map((w) => [w.name, !!w.optional, w.mountPath])).toEqual([['source', false, undefined], ['dockerconfig', true, '/kaniko/.docker']]);
  });
});

const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping the kaniko wiring test: ${missing}`);

describe.skipIf(!!missing)('catalog kaniko 0.1 wiring (stub executor, not kaniko)', () => {
  let cluster: Cluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-kaniko-'));
    cluster = await Cluster.start();
    const stubbed = structuredClone(task);
    stubbed.spec.steps[0]!.command = ['/bin/sh', '/workspace/source/stub-executor.sh'];
    await cluster.apply([stubbed]);
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes EXTRA_ARGS and the Dockerfile, context, destination and digest-file flags; reports the results', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'app'), { recursive: true });
    writeFileSync(join(src, 'app', 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(src, 'stub-executor.sh'), [
      'for a in "$@"; do echo "$a"; done > /workspace/source/args.txt',
      'for a in "$@"; do case "$a" in --digest-file=*) printf "sha256:%064d" 7 > "${a#--digest-file=}";; esac; done',
      '',
    ].join('\n'));
    const claimName = await cluster.hostDirClaim(src);
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'kaniko-stub' },
      spec: {
        taskRef: { name: 'kaniko' },
        params: [
          { name: 'IMAGE', value: '127.0.0.1:5000/team/app:abc' },
          { name: 'DOCKERFILE', value: 'app/Dockerfile' },
          { name: 'CONTEXT', value: 'app' },
          { name: 'EXTRA_ARGS', value: ['--insecure', '--build-arg=GREETING=hello world'] },
        ],
        workspaces: [{ name: 'source', persistentVolumeClaim: { claimName } }],
      },
    });
    expect(f.succeeded, explain(f)).toBe(true);
    expect(readFileSync(join(src, 'args.txt'), 'utf8').trim().split('\n')).toEqual([
      '--insecure', '--build-arg=GREETING=hello world', '--dockerfile=app/Dockerfile', '--context=/workspace/source/app',
      '--destination=127.0.0.1:5000/team/app:abc', '--digest-file=/tekton/results/IMAGE_DIGEST',
    ]);
    expect(f.results).toEqual({ IMAGE_DIGEST: `sha256:${'7'.padStart(64, '0')}`, IMAGE_URL: '127.0.0.1:5000/team/app:abc' });
  });
});
