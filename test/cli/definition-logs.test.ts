/** `tkt pipeline logs` / `tkt task logs`: the logs of a run of a definition, chosen as tkn chooses it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { main } from '../../src/cli/main.js';
import { testIO, tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';
import { World } from './helpers/world.js';

let srv: CliTestServer;
const label = async (kind: string, name: string, labels: Record<string, string>): Promise<void> => {
  const obj = { apiVersion: 'tekton.dev/v1', kind, metadata: { name, namespace: 'default' } } as KubeObject;
  await srv.client.patch(obj, 'default', name, { metadata: { labels } });
};

beforeAll(async () => {
  srv = await startCliServer();
  await srv.client.create({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'build', namespace: 'default' }, spec: { tasks: [{ name: 'compile', taskRef: { name: 'make' } }] } } as KubeObject);
  await srv.client.create({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'make', namespace: 'default' }, spec: { steps: [{ name: 'cc', image: 'busybox' }] } } as KubeObject);
  for (const run of ['build-one', 'build-two']) {
    const w = new World(srv, run, ['compile']);
    await w.start();
    await label('PipelineRun', run, { 'tekton.dev/pipeline': 'build' });
    const tr = await w.task('compile', ['cc']);
    await label('TaskRun', tr, { 'tekton.dev/task': 'make' });
    w.log(`${run}-compile-pod`, 'cc', `compiled by ${run}\n`);
    await w.endStep(`${run}-compile-pod`, 'cc');
    await w.endTask(tr);
    await w.end();
    await new Promise((r) => setTimeout(r, 1100)); // creationTimestamps have second resolution
  }
});
afterAll(async () => srv?.close());

const k = (): string[] => ['--kubeconfig', srv.kubeconfig];

describe('tkt pipeline logs', () => {
  it('--last shows the most recent run of the pipeline', async () => {
    const r = await tkt(['p', 'logs', 'build', '--last', ...k()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[compile : cc] compiled by build-two\n\n');
  });

  it('a named run', async () => {
    const r = await tkt(['p', 'logs', 'build', 'build-one', ...k()]);
    expect(r.stdout).toBe('[compile : cc] compiled by build-one\n\n');
  });

  it('several runs and no terminal: says which runs there are (exit 2)', async () => {
    const r = await tkt(['p', 'logs', 'build', ...k()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Pipeline "build" has several PipelineRuns (build-two, build-one): name one, or use --last');
  });

  it('on a terminal asks which run (numbered, newest first)', async () => {
    const io = testIO({ stdin: '2\n' });
    io.stdin.isTTY = true;
    expect(await main(['p', 'logs', 'build', ...k()], io)).toBe(0);
    expect(io.errOut.text).toContain('  1) build-two\n  2) build-one\n');
    expect(io.out.text).toBe('[compile : cc] compiled by build-one\n\n');
  });

  it('--limit 1 leaves one run to choose: no question', async () => {
    const r = await tkt(['p', 'logs', 'build', '--limit', '1', ...k()]);
    expect(r.stdout).toContain('compiled by build-two');
  });

  it('without a name uses the only Pipeline; an unknown Pipeline is exit 2', async () => {
    expect((await tkt(['p', 'logs', '-L', '--prefix=false', ...k()])).stdout).toBe('compiled by build-two\n\n');
    const r = await tkt(['p', 'logs', 'nope', ...k()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Pipeline "nope" not found');
  });
});

describe('tkt task logs', () => {
  it('--last shows the most recent TaskRun of the Task', async () => {
    const r = await tkt(['t', 'logs', 'make', '-L', ...k()]);
    expect(r.stdout).toBe('[cc] compiled by build-two\n\n');
  });
});

describe('-F/--fzf and --limit on pr/tr logs and describe', () => {
  it('-F on a terminal asks among the --limit most recent runs', async () => {
    const io = testIO({ stdin: '2\n' });
    io.stdin.isTTY = true;
    expect(await main(['pr', 'logs', '-F', ...k()], io)).toBe(0);
    expect(io.errOut.text).toContain('Select PipelineRun:\n  1) build-two\n  2) build-one\n> ');
    expect(io.out.text).toBe('[compile : cc] compiled by build-one\n\n');
    const desc = testIO({ stdin: '1\n' });
    desc.stdin.isTTY = true;
    expect(await main(['tr', 'describe', '--fzf', '-o', 'jsonpath={.metadata.name}', ...k()], desc)).toBe(0);
    expect(desc.out.text).toBe('build-two-compile');
  });

  it('--limit 1 leaves one to choose: no question; without a terminal -F lists the runs (exit 2)', async () => {
    expect((await tkt(['tr', 'logs', '-F', '--limit', '1', ...k()])).stdout).toBe('[cc] compiled by build-two\n\n');
    const r = await tkt(['pr', 'describe', '-F', ...k()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: -F asks which PipelineRun to use, and stdin is not a terminal: name one of build-two, build-one\n');
    expect((await tkt(['pr', 'logs', '-F', '--limit', '0', ...k()])).code).toBe(2);
  });
});
