/**
 * Running again (tkn parity): `start --last` / `--use-pipelinerun` / `--use-taskrun`, `start -f FILE`, the
 * PipelineRun timeouts, `--task-serviceaccount`, `--pod-template`, `-E`, `pr/tr rerun` and `pr/tr export`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { pipeline, task } from './fixtures.js';
import { tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';

let srv: CliTestServer;
let dir: string;
const run = (args: string[]) => tkt([...args, '--kubeconfig', srv.kubeconfig]);
const PR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };

const earlier: PipelineRun = {
  apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
  metadata: { name: 'build-run-old', namespace: 'default', labels: { 'tekton.dev/pipeline': 'build', team: 'ci' }, annotations: { note: 'x' } },
  spec: {
    pipelineRef: { name: 'build' },
    params: [{ name: 'url', value: 'https://git/old.git' }, { name: 'flags', value: ['-x'] }],
    workspaces: [{ name: 'source', persistentVolumeClaim: { claimName: 'src' } }],
    taskRunTemplate: { serviceAccountName: 'builder', podTemplate: { nodeSelector: { disk: 'ssd' } } },
    timeouts: { pipeline: '2h0m0s', tasks: '1h0m0s' },
    taskRunSpecs: [{ pipelineTaskName: 'deploy', serviceAccountName: 'deployer' }],
    status: 'Cancelled',
  },
};

beforeAll(async () => {
  srv = await startCliServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-rerun-'));
  await srv.seed(pipeline, task, earlier);
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const dry = async (args: string[]): Promise<PipelineRun> => {
  const r = await run([...args, '--dry-run', '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as PipelineRun;
};

describe('start reusing an earlier run', () => {
  it('--last takes params, workspaces, service accounts, timeouts and pod template', async () => {
    const pr = await dry(['p', 'start', 'build', '--last']);
    expect(pr.spec.params).toEqual([{ name: 'url', value: 'https://git/old.git' }, { name: 'flags', value: ['-x'] }]);
    expect(pr.spec.workspaces).toEqual(earlier.spec.workspaces);
    expect(pr.spec.taskRunTemplate).toEqual(earlier.spec.taskRunTemplate);
    expect(pr.spec.timeouts).toEqual({ pipeline: '2h0m0s', tasks: '1h0m0s' });
    expect(pr.spec.taskRunSpecs).toEqual([{ pipelineTaskName: 'deploy', serviceAccountName: 'deployer' }]);
    expect(pr.spec.status).toBeUndefined();
  });

  it('flags win over the earlier run, per name', async () => {
    const pr = await dry(['p', 'start', 'build', '--use-pipelinerun', 'build-run-old', '-p', 'url=new', '-w', 'name=source,emptyDir=', '-s', 'other',
      '--finally-timeout', '5m', '--task-serviceaccount', 'fetch=fetcher']);
    expect(pr.spec.params).toEqual([{ name: 'url', value: 'new' }, { name: 'flags', value: ['-x'] }]);
    expect(pr.spec.workspaces).toEqual([{ name: 'source', emptyDir: {} }]);
    expect(pr.spec.taskRunTemplate?.serviceAccountName).toBe('other');
    expect(pr.spec.timeouts).toEqual({ pipeline: '2h0m0s', tasks: '1h0m0s', finally: '5m' });
    expect(pr.spec.taskRunSpecs).toEqual([{ pipelineTaskName: 'deploy', serviceAccountName: 'deployer' }, { pipelineTaskName: 'fetch', serviceAccountName: 'fetcher' }]);
  });

  it('--last with no earlier run, or an unknown --use-pipelinerun: exit 2', async () => {
    expect((await run(['t', 'start', 'git-clone', '--last', '-p', 'url=u'])).stderr).toContain('--last: no TaskRuns of Task "git-clone"');
    expect((await run(['p', 'start', 'build', '--use-pipelinerun', 'nope'])).stderr).toContain('PipelineRun "nope" not found');
  });
});

describe('start flags', () => {
  it('timeouts, --pod-template, -E', async () => {
    const tpl = path.join(dir, 'pod.yaml');
    fs.writeFileSync(tpl, 'securityContext:\n  runAsNonRoot: true\n');
    const pr = await dry(['p', 'start', 'build', '-p', 'url=u', '-w', 'name=source,emptyDir=', '--use-param-defaults', '--pipeline-timeout', '1h', '--tasks-timeout', '50m', '--pod-template', tpl]);
    expect(pr.spec.timeouts).toEqual({ pipeline: '1h', tasks: '50m' });
    expect(pr.spec.taskRunTemplate).toEqual({ podTemplate: { securityContext: { runAsNonRoot: true } } });
    expect(pr.spec.params).toContainEqual({ name: 'flags', value: ['-v', '--race'] });
    const bad = await run(['p', 'start', 'build', '-p', 'url=u', '-w', 'name=source,emptyDir=', '--tasks-timeout', 'soon', '--dry-run']);
    expect(bad.code).toBe(2);
  });

  it('-f FILE embeds the definition (no name needed)', async () => {
    const file = path.join(dir, 'task.yaml');
    fs.writeFileSync(file, 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: hello}\nspec:\n  params: [{name: who, default: world}]\n  steps: [{name: s, image: busybox, script: "echo hi"}]\n');
    const r = await run(['t', 'start', '-f', file, '-p', 'who=me', '--dry-run', '-o', 'json']);
    expect(r.stderr).toBe('');
    const tr = JSON.parse(r.stdout) as TaskRun;
    expect(tr.spec.taskRef).toBeUndefined();
    expect(tr.spec.taskSpec?.steps[0]?.script).toBe('echo hi');
    expect(tr.metadata.generateName).toBe('hello-run-');
    expect((await run(['t', 'start', '-f', path.join(dir, 'none.yaml')])).stderr).toContain('cannot read file');
  });
});

describe('rerun and export', () => {
  it('pr rerun creates a copy labelled rerunOf, without spec.status, with the user labels', async () => {
    const r = await run(['pr', 'rerun', 'build-run-old']);
    expect(r.code).toBe(0);
    const name = /^PipelineRun started: (build-run-old-r-\w+)\n$/.exec(r.stdout)?.[1] ?? '';
    const pr = await srv.client.get<PipelineRun>(PR, 'default', name);
    expect(pr.metadata.labels).toEqual({ team: 'ci', 'dashboard.tekton.dev/rerunOf': 'build-run-old' });
    expect(pr.metadata.annotations).toEqual({ note: 'x' });
    const { status: _s, ...spec } = earlier.spec;
    expect(pr.spec).toEqual(spec);
  });

  it('pr export prints YAML that kubectl can create again', async () => {
    const r = await run(['pr', 'export', 'build-run-old']);
    const obj = parse(r.stdout) as PipelineRun;
    expect(obj.metadata).toEqual({ name: 'build-run-old', namespace: 'default', labels: { team: 'ci' }, annotations: { note: 'x' } });
    expect(obj.status).toBeUndefined();
    expect(obj.spec).toEqual(earlier.spec);
  });
});
