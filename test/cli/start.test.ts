/** `tkt pipeline start` / `tkt task start` against the API server (no controller: the runs are only created). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { resolveParams } from '../../src/cli/start/params.js';
import { parseWorkspaceFlag } from '../../src/cli/start/workspaces.js';
import { pipeline, task } from './fixtures.js';
import { expectGolden } from './helpers/golden.js';
import { NOW, tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';

let srv: CliTestServer;
const run = (args: string[]) => tkt([...args, '--kubeconfig', srv.kubeconfig]);
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };

beforeAll(async () => {
  srv = await startCliServer(NOW);
  await srv.seed(pipeline, task);
});
afterAll(async () => srv?.close());

describe('pipeline start', () => {
  it('--dry-run prints the PipelineRun as YAML (array param, defaults, workspaces, sa, timeout, prefix)', async () => {
    const r = await run(['p', 'start', 'build', '-p', 'url=https://x/y.git', '-p', 'flags=-a,-b', '-w', 'name=source,emptyDir=',
      '-w', 'name=cache,claimName=go-cache,subPath=go', '-s', 'builder', '--timeout', '1h30m', '--prefix-name', 'nightly', '-l', 'team=ci', '--dry-run']);
    expect(r.stderr).toBe('');
    expectGolden('start-pipeline-dry-run.yaml', r.stdout);
  });

  it('--use-param-defaults writes the defaults; -o json', async () => {
    const r = await run(['p', 'start', 'build', '-p', 'url=u', '-w', 'name=source,emptyDir=', '--use-param-defaults', '--dry-run', '-o', 'json']);
    const pr = JSON.parse(r.stdout) as PipelineRun;
    expect(pr.spec.params).toEqual([{ name: 'url', value: 'u' }, { name: 'flags', value: ['-v', '--race'] }]);
  });

  it('creates the run and says how to follow it', async () => {
    const r = await run(['pipeline', 'start', 'build', '-p', 'url=u', '-w', 'name=source,emptyDir=']);
    expect(r.code).toBe(0);
    const name = /^PipelineRun started: (build-run-\w+)\n/.exec(r.stdout)?.[1];
    expect(name).toBeDefined();
    expect(r.stdout).toContain(`\nIn order to track the PipelineRun progress run:\ntkt pipelinerun logs ${name} -f -n default\n`);
    const pr = await srv.client.get<PipelineRun>(PR, 'default', name ?? '');
    expect(pr.spec.pipelineRef?.name).toBe('build');
  });

  it('a missing required param: exit 2 and what the Pipeline expects', async () => {
    const r = await run(['p', 'start', 'build', '-w', 'name=source,emptyDir=']);
    expect(r.code).toBe(2);
    expectGolden('start-missing-param.txt', r.stderr);
  });

  it('unknown params, missing and unknown workspaces, bad timeout: exit 2', async () => {
    expect((await run(['p', 'start', 'build', '-p', 'url=u', '-p', 'nope=1', '-w', 'name=source,emptyDir='])).stderr).toContain('param "nope" is not declared by Pipeline "build"');
    expect((await run(['p', 'start', 'build', '-p', 'url=u'])).stderr).toContain('Pipeline "build" needs workspace(s) "source"');
    expect((await run(['p', 'start', 'build', '-p', 'url=u', '-w', 'name=src,emptyDir='])).stderr).toContain('workspace(s) "src" not declared');
    const bad = await run(['p', 'start', 'build', '-p', 'url=u', '-w', 'name=source,emptyDir=', '--timeout', 'forever']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --timeout "forever"');
  });
});

describe('task start', () => {
  it('creates a TaskRun (-o name)', async () => {
    const r = await run(['t', 'start', 'git-clone', '-p', 'url=u', '-w', 'name=output,config=settings,item=a=b.txt', '-o', 'name']);
    expect(r.code).toBe(0);
    const name = /^taskrun\.tekton\.dev\/(git-clone-run-\w+)\n$/.exec(r.stdout)?.[1];
    const tr = await srv.client.get<TaskRun>(TR, 'default', name ?? '');
    expect(tr.spec).toMatchObject({ taskRef: { name: 'git-clone' }, params: [{ name: 'url', value: 'u' }], workspaces: [{ name: 'output', configMap: { name: 'settings', items: [{ key: 'a', path: 'b.txt' }] } }] });
  });
});

describe('param and workspace flags', () => {
  it('types values by the declared param type', () => {
    const specs = [{ name: 's' }, { name: 'a', type: 'array' as const }, { name: 'o', type: 'object' as const }];
    expect(resolveParams({ flags: ['s=x=y', 'a=1,2', 'o=k:v, k2: v2'], specs, owner: 'Task "t"' })).toEqual([
      { name: 's', value: 'x=y' }, { name: 'a', value: ['1', '2'] }, { name: 'o', value: { k: 'v', k2: 'v2' } },
    ]);
    expect(() => resolveParams({ flags: ['o=nocolon'], specs, owner: 'Task "t"' })).toThrow('is not key:value');
  });
  it.each([
    ['name=ws,emptyDir=', { binding: { name: 'ws', emptyDir: {} } }],
    ['name=ws,emptyDir=Memory', { binding: { name: 'ws', emptyDir: { medium: 'Memory' } } }],
    ['name=ws,secret=s,subPath=p', { binding: { name: 'ws', secret: { secretName: 's' }, subPath: 'p' } }],
    ['ws=emptyDir', { binding: { name: 'ws', emptyDir: {} } }],
    ['ws=dir=./out', { binding: { name: 'ws' }, dir: './out' }],
    ['ws=claimName=pvc', { binding: { name: 'ws', persistentVolumeClaim: { claimName: 'pvc' } } }],
  ])('-w %s', (flag, expected) => {
    expect(parseWorkspaceFlag(flag)).toEqual(expected);
  });
  it.each(['ws', 'name=ws', 'name=ws,emptyDir=,secret=s', 'name=ws,bogus=1'])('-w %s is refused', (flag) => {
    expect(() => parseWorkspaceFlag(flag)).toThrow(/invalid workspace/);
  });
});
