/**
 * A tekton.dev/v1beta1 PipelineRun with serviceAccountName, timeout, podTemplate and taskRunSpecs[].taskPodTemplate
 * / taskServiceAccountName, entering the three ways a user has: `tkt run`, real kubectl against the embedded API
 * server, and an EventListener whose TriggerTemplate renders it. Each time the child TaskRuns must carry the
 * converted service account, the 2h pipeline timeout (not the 1h default) and the pod template, and the steps
 * must see the pod template's env. Pods run for real (host runtime).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { startApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { parseDuration } from '../../src/engine/durations.js';
import { tkt } from '../cli/helpers/io.js';
import { startCliServer } from '../cli/helpers/server.js';
import { repoRoot } from '../helpers/conformance.js';
import { applyYaml, childTaskRun, ensureHelper, listByLabels, NS, PIPELINERUN, waitFor, waitForRun } from './helpers.js';

const exec = promisify(execFile);
const FIXTURE = join(repoRoot, 'test', 'integration', 'fixtures', 'v1beta1-pipelinerun.yaml');
const missing = ((): string | undefined => {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
  } catch {
    return 'bubblewrap (bwrap) cannot run here';
  }
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  } catch {
    return 'kubectl is not installed';
  }
  return undefined;
})();
if (missing) console.warn(`skipping v1beta1 integration tests: ${missing}`);

const env = (tr: TaskRun): string | undefined => tr.spec.podTemplate?.env?.find((e) => e.name === 'TEMPLATE')?.value;

/** The converted fields every entry path must produce on the child TaskRuns. */
function expectConverted(build: TaskRun, other: TaskRun): void {
  expect(build.spec.serviceAccountName).toBe('sa-build');
  expect(env(build)).toBe('task-level');
  expect(other.spec.serviceAccountName).toBe('builder');
  expect(env(other)).toBe('run-level');
  for (const tr of [build, other]) {
    const ms = parseDuration(tr.spec.timeout ?? '');
    expect(ms, `timeout ${tr.spec.timeout}`).toBeGreaterThan(60 * 60_000); // from the 2h budget, not the 1h default
    expect(ms).toBeLessThanOrEqual(2 * 60 * 60_000);
  }
}

describe('tkt run: v1beta1 input errors (exit 2, nothing started)', () => {
  it('names the v1beta1 field paths as written, with Tekton\'s messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tkt-b1e-'));
    try {
      const f = join(dir, 'old.yaml');
      writeFileSync(f, [
        'apiVersion: tekton.dev/v1beta1', 'kind: Task', 'metadata: {name: old}', 'spec:', '  resources: {inputs: [{name: src, type: git}]}',
        '  steps: [{name: s, image: alpine, script: "true"}]', '---',
        'apiVersion: tekton.dev/v1beta1', 'kind: PipelineRun', 'metadata: {name: r}', 'spec:', '  pipelineRef: {name: p}', '  timeout: 1 hour',
        '  taskRunSpecs: [{pipelineTaskName: t, taskPodTemplate: {nodeSelectr: {}}}]', '',
      ].join('\n'));
      const r = await tkt(['run', '-f', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/old\.yaml: document 1 \(line \d+\): Task "old": spec\.resources: must not set the field\(s\)/);
      expect(r.stderr).toMatch(/old\.yaml: document 2 \(line \d+\): PipelineRun "r": spec\.timeout: .*not a duration/);
      expect(r.stderr).toMatch(/PipelineRun "r": spec\.taskRunSpecs\[0\]\.taskPodTemplate\.nodeSelectr: unknown field/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tkt task start -f with a v1beta1 Task file', () => {
  it('embeds the v1 conversion of its spec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tkt-b1s-'));
    const srv = await startCliServer();
    try {
      const f = join(dir, 'task.yaml');
      writeFileSync(f, 'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: hello}\nspec:\n  steps: [{name: s, image: busybox, script: "echo hi", resources: {limits: {cpu: "1"}}}]\n');
      const r = await tkt(['task', 'start', '-f', f, '--dry-run', '-o', 'json', '--kubeconfig', srv.kubeconfig]);
      expect(r.stderr).toBe('');
      const tr = JSON.parse(r.stdout) as TaskRun;
      expect(tr.apiVersion).toBe('tekton.dev/v1');
      expect(tr.spec.taskSpec?.steps[0]).toEqual({ name: 's', image: 'busybox', script: 'echo hi', computeResources: { limits: { cpu: '1' } } });
    } finally {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!!missing)('v1beta1 PipelineRun', () => {
  it('runs through tkt run with the converted service account, timeout and pod template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tkt-b1-'));
    try {
      ensureHelper();
      const r = await tkt(['run', '-f', FIXTURE, '--runtime', 'host', '--data-dir', join(dir, 'data')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('[build : show] template=task-level');
      expect(r.stdout).toContain('[other : show] template=run-level');
      // the data dir keeps every object: read them back from the store tkt run wrote
      const api = await startApiServer({ dataDir: join(dir, 'data'), logs: new FileLogStore(join(dir, 'logs')), port: 0 });
      try {
        const trs = api.store.list('tekton.dev/taskruns', NS) as TaskRun[];
        const byTask = (t: string): TaskRun => trs.find((x) => x.metadata.labels?.['tekton.dev/pipelineTask'] === t) as TaskRun;
        expectConverted(byTask('build'), byTask('other'));
        const pr = api.store.get('tekton.dev/pipelineruns', NS, 'b1-run') as PipelineRun;
        expect(pr.spec.taskRunTemplate?.serviceAccountName).toBe('builder');
        expect(pr.spec.timeouts?.pipeline).toBe('2h');
      } finally {
        await api.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('against the embedded API server', () => {
    let world: Embedded;
    let dir: string;
    const kubectl = (args: string[]) => exec('kubectl', ['--kubeconfig', world.kubeconfigPath, '--cache-dir', join(dir, 'kcache'), ...args], { timeout: 90_000 });

    beforeAll(async () => {
      ensureHelper();
      dir = mkdtempSync(join(tmpdir(), 'tkt-b1k-'));
      world = await startEmbedded({ runtime: 'host', memory: true, eventListeners: true });
    }, 60_000);
    afterAll(async () => {
      await world?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('kubectl create of v1beta1 objects: stored as v1, served as both, children converted', async () => {
      const created = await kubectl(['create', '-f', FIXTURE]);
      expect(created.stdout).toContain('pipelinerun.tekton.dev/b1-run created');
      expect((await kubectl(['api-versions'])).stdout).toMatch(/^tekton\.dev\/v1\n(.*\n)*tekton\.dev\/v1beta1$/m);
      // kubectl wait at v1beta1 watches the v1beta1 form
      await kubectl(['wait', '--for=condition=Succeeded', 'pipelineruns.v1beta1.tekton.dev/b1-run', '--timeout=60s']);
      expect((await kubectl(['get', 'pipelineruns.v1beta1.tekton.dev'])).stdout).toMatch(/NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME\nb1-run\s+True\s+Succeeded/);
      const b1 = JSON.parse((await kubectl(['get', 'pipelineruns.v1beta1.tekton.dev', 'b1-run', '-o', 'json'])).stdout) as { apiVersion: string; spec: Record<string, unknown> };
      expect(b1.apiVersion).toBe('tekton.dev/v1beta1');
      expect(b1.spec.serviceAccountName).toBe('builder');
      expect(b1.spec.podTemplate).toEqual({ env: [{ name: 'TEMPLATE', value: 'run-level' }] });
      expect((b1.spec.taskRunSpecs as Array<Record<string, unknown>>)[0]).toMatchObject({ taskServiceAccountName: 'sa-build' });
      expect(b1.spec).not.toHaveProperty('taskRunTemplate');
      const v1 = JSON.parse((await kubectl(['get', 'pipelineruns.v1.tekton.dev', 'b1-run', '-o', 'json'])).stdout) as PipelineRun;
      expect(v1.spec.taskRunTemplate?.serviceAccountName).toBe('builder');
      expect(v1.spec.timeouts?.pipeline).toBe('2h');
      expectConverted(await childTaskRun(world.client, NS, 'b1-run', 'build'), await childTaskRun(world.client, NS, 'b1-run', 'other'));
      const trB1 = JSON.parse((await kubectl(['get', 'taskruns.v1beta1.tekton.dev', 'b1-run-build', '-o', 'json'])).stdout) as { status: Record<string, unknown> };
      expect(trB1.status.taskResults).toEqual([{ name: 'who', type: 'string', value: 'build' }]);
      expect(trB1.status).not.toHaveProperty('results');
    }, 120_000);

    it('kubectl refuses v1beta1 PipelineResources with Tekton\'s message and the path as written', async () => {
      const bad = 'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: old}\nspec:\n  resources: {inputs: [{name: src, type: git}]}\n  steps: [{name: s, image: alpine, script: "true"}]\n';
      const err = await exec('sh', ['-c', `printf '%s' "$0" | kubectl --kubeconfig ${world.kubeconfigPath} --cache-dir ${join(dir, 'kcache')} create -f -`, bad]).then(() => '', (e: { stderr?: string }) => e.stderr ?? '');
      expect(err).toContain('The Task "old" is invalid: spec.resources: must not set the field(s)');
    }, 60_000);

    it('an EventListener template rendering a v1beta1 PipelineRun keeps its service account, timeout and pod template', async () => {
      await applyYaml(world.client, readFileSync(FIXTURE, 'utf8').split('\n---\n').slice(0, 3).join('\n---\n').replace(/name: (builder|sa-build|b1-pipe)\}/g, 'name: el-$1}'));
      const template = readFileSync(FIXTURE, 'utf8').split('\n---\n')[3]!.replace('metadata: {name: b1-run}', 'metadata: {generateName: b1-el-}')
        .replace('pipelineRef: {name: b1-pipe}', 'pipelineRef: {name: el-b1-pipe}').replace('serviceAccountName: builder', 'serviceAccountName: $(tt.params.sa)')
        .replace('taskServiceAccountName: sa-build', 'taskServiceAccountName: el-sa-build');
      const { parse } = await import('yaml');
      await world.client.create({
        apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'b1', namespace: NS },
        spec: { triggers: [{ name: 't', bindings: [{ name: 'sa', value: '$(body.sa)' }], template: { spec: { params: [{ name: 'sa' }], resourcetemplates: [parse(template)] } } }] },
      });
      const url = await waitFor('EventListener address', async () => (await world.client.get<{ status?: { address?: { url?: string } } } & PipelineRun>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, NS, 'b1')).status?.address?.url);
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sa: 'el-builder' }) });
      expect(res.status, await res.clone().text()).toBe(202);
      const pr = await waitFor('the PipelineRun of the event', async () => (await listByLabels<PipelineRun>(world.client, PIPELINERUN, NS, { 'triggers.tekton.dev/eventlistener': 'b1' }))[0]);
      expect(pr.spec.taskRunTemplate?.serviceAccountName).toBe('el-builder');
      expect(pr.spec.timeouts?.pipeline).toBe('2h');
      const done = await waitForRun(world.client, 'PipelineRun', NS, pr.metadata.name ?? '', { timeoutMs: 60_000 });
      expect(done.status?.conditions?.[0]?.reason).toBe('Succeeded');
      const build = await childTaskRun(world.client, NS, pr.metadata.name ?? '', 'build');
      const other = await childTaskRun(world.client, NS, pr.metadata.name ?? '', 'other');
      expect(build.spec.serviceAccountName).toBe('el-sa-build');
      expect(other.spec.serviceAccountName).toBe('el-builder');
      expect(env(build)).toBe('task-level');
      expect(env(other)).toBe('run-level');
      for (const tr of [build, other]) expect(parseDuration(tr.spec.timeout ?? '')).toBeGreaterThan(60 * 60_000);
    }, 120_000);
  });
});
