/** The resource commands end to end, in-process, against a real embedded API server seeded with fixtures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, PipelineRun } from '../../src/api/types.js';
import { eventListener, pipeline, pipelineRuns, task, taskRuns } from './fixtures.js';
import { expectGolden } from './helpers/golden.js';
import { NOW, tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';

let srv: CliTestServer;
const k = (): string[] => ['--kubeconfig', srv.kubeconfig];
const run = (args: string[], opts: Parameters<typeof tkt>[1] = {}) => tkt([...args, ...k()], opts);

beforeAll(async () => {
  srv = await startCliServer(NOW);
  await srv.seed(pipeline, task, ...pipelineRuns, ...taskRuns, eventListener);
});
afterAll(async () => srv?.close());

describe('list and describe against the API server', () => {
  it.each([
    ['cmd-pr-list.txt', ['pr', 'list']],
    ['cmd-pr-list-by-pipeline.txt', ['pipelinerun', 'ls', 'build', '--limit', '2']],
    ['cmd-pr-describe.txt', ['pr', 'describe', 'build-run-1']],
    ['cmd-tr-list.txt', ['tr', 'list']],
    ['cmd-tr-describe.txt', ['taskrun', 'describe', 'build-run-2-compile']],
    ['cmd-p-list.txt', ['p', 'list']],
    ['cmd-p-describe.txt', ['pipeline', 'describe', 'build']],
    ['cmd-t-list.txt', ['t', 'list']],
    ['cmd-t-describe.txt', ['task', 'describe', 'git-clone']],
    ['cmd-el-list.txt', ['el', 'list']],
    ['cmd-el-describe.txt', ['eventlistener', 'describe', 'github']],
  ])('%s', async (golden, args) => {
    const r = await run(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden(golden, r.stdout);
  });

  it('-o name, json and yaml', async () => {
    expect((await run(['pr', 'list', '-o', 'name', '--label', 'tekton.dev/pipeline=build', '--limit', '1'])).stdout).toBe('pipelinerun.tekton.dev/build-run-6\n');
    const json = JSON.parse((await run(['tr', 'list', '-o', 'json'])).stdout) as { kind: string; items: KubeObject[] };
    expect(json.kind).toBe('TaskRunList');
    expect(json.items.map((i) => i.metadata.name).sort()).toEqual(['build-run-1-compile', 'build-run-1-fetch', 'build-run-2-compile']);
    expect((await run(['p', 'describe', 'build', '-o', 'yaml'])).stdout).toMatch(/^apiVersion: tekton.dev\/v1\nkind: Pipeline\n/);
    expect((await run(['pr', 'describe', 'build-run-1', '-o', 'json'])).stdout).toContain('"name": "build-run-1"');
  });

  it('-n selects the namespace (and an empty one lists nothing)', async () => {
    const r = await run(['pr', 'list', '-n', 'kube-public']);
    expect(r.stdout).toBe('No PipelineRuns found\n');
  });
});

describe('error paths', () => {
  it.each([
    [['pr', 'describe', 'nope'], 'PipelineRun "nope" not found in namespace "default"'],
    [['pr', 'logs', 'nope'], 'PipelineRun "nope" not found'],
    [['pr', 'cancel', 'nope'], 'PipelineRun "nope" not found'],
    [['pr', 'delete', 'nope', '-f'], 'PipelineRun "nope" not found'],
    [['tr', 'describe', 'nope'], 'TaskRun "nope" not found'],
    [['tr', 'logs', 'nope', '-f'], 'TaskRun "nope" not found'],
    [['tr', 'cancel', 'nope'], 'TaskRun "nope" not found'],
    [['p', 'describe', 'nope'], 'Pipeline "nope" not found'],
    [['p', 'start', 'nope'], 'Pipeline "nope" not found'],
    [['p', 'delete', 'nope', '-f'], 'Pipeline "nope" not found'],
    [['t', 'describe', 'nope'], 'Task "nope" not found'],
    [['t', 'start', 'nope'], 'Task "nope" not found'],
    [['el', 'describe', 'nope'], 'EventListener "nope" not found'],
  ])('unknown name: %j exits 2', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['pr', 'list'], ['pr', 'describe', 'x'], ['pr', 'logs', 'x'], ['pr', 'cancel', 'x'], ['pr', 'delete', 'x'],
    ['tr', 'list'], ['tr', 'describe', 'x'], ['tr', 'logs', 'x'], ['tr', 'cancel', 'x'], ['tr', 'delete', 'x'],
    ['p', 'list'], ['p', 'describe', 'x'], ['p', 'start', 'x'], ['p', 'delete', 'x'],
    ['t', 'list'], ['t', 'describe', 'x'], ['t', 'start', 'x'], ['t', 'delete', 'x'],
    ['el', 'list'], ['el', 'describe', 'x'], ['run', '-f', 'x.yaml'], ['up'], ['controller'], ['completion', 'bash'],
  ])('bad flag: %s %s exits 2', async (...args) => {
    const r = await tkt([...args, '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
  });

  it.each([
    [['pr', 'list', '-o', 'table']], [['pr', 'list', '--limit', '0']], [['completion', 'tcsh']], [['nope']], [['pr', 'cancel']],
  ])('bad usage %j exits 2', async (args) => {
    expect((await run(args)).code).toBe(2);
  });

  it('refuses to cancel a finished run', async () => {
    const r = await run(['pr', 'cancel', 'build-run-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: failed to cancel PipelineRun build-run-1: PipelineRun has already finished execution\n');
  });

  it('a missing kubeconfig file is a usage error', async () => {
    const r = await tkt(['pr', 'list', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: cannot load kubeconfig \/nonexistent\/kubeconfig/);
  });

  it('--help and --version exit 0', async () => {
    expect((await tkt(['pr', 'logs', '--help'])).code).toBe(0);
    expect((await tkt(['--version'])).stdout).toBe('0.1.0\n');
  });
});

describe('cancel and delete', () => {
  it('cancels a running PipelineRun', async () => {
    const r = await run(['pr', 'cancel', 'build-run-3']);
    expect(r).toMatchObject({ code: 0, stdout: 'PipelineRun cancelled: build-run-3\n' });
    const pr = await srv.client.get<PipelineRun>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'build-run-3');
    expect(pr.spec.status).toBe('Cancelled');
  });

  it('asks before deleting; "n" deletes nothing and exits 2', async () => {
    const no = await run(['pr', 'delete', 'build-run-5'], { stdin: 'n\n' });
    expect(no.code).toBe(2);
    expect(no.stdout).toBe('Are you sure you want to delete PipelineRun(s) "build-run-5" (y/n): ');
    expect(await srv.client.tryGet({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'build-run-5')).toBeDefined();
    const yes = await run(['pr', 'rm', 'build-run-5'], { stdin: 'y\n' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('PipelineRuns deleted: "build-run-5"');
    expect(await srv.client.tryGet({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, 'default', 'build-run-5')).toBeUndefined();
  });

  it('--keep N deletes all but the newest N finished runs of a pipeline', async () => {
    const r = await run(['pr', 'delete', '-p', 'build', '--keep', '2', '-f']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('PipelineRuns deleted: "build-run-4"\n');
  });
});

describe('delete --all and running runs (tkn\'s -i/--ignore-running, default true)', () => {
  it('-i leaves running TaskRuns; --ignore-running=false deletes them too', async () => {
    const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
    const names = async (): Promise<string[]> => (await srv.client.list(TR, 'default')).items.map((t) => t.metadata.name ?? '').sort();
    await srv.client.create({ ...TR, metadata: { name: 'still-running', namespace: 'default' }, spec: { taskRef: { name: 'git-clone' } } } as KubeObject); // no controller here: it never finishes
    const all = (await srv.client.list<KubeObject & { status?: { conditions?: Array<{ status: string }> } }>(TR, 'default')).items;
    const running = all.filter((t) => (t.status?.conditions?.[0]?.status ?? 'Unknown') === 'Unknown').map((t) => t.metadata.name ?? '').sort();
    expect(running.length).toBeGreaterThan(0);
    expect(running.length).toBeLessThan(all.length);
    expect((await run(['tr', 'delete', '--all', '-f', '-i'])).code).toBe(0);
    expect(await names()).toEqual(running);
    expect((await run(['tr', 'delete', '--all', '-f', '--ignore-running=false'])).code).toBe(0);
    expect(await names()).toEqual([]);
  });
});
