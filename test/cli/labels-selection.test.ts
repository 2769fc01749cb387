/**
 * Issue 12 item 3: the tkn-style commands that select runs by Tekton's labels work on runs made by the real
 * controllers (embedded mode, bubblewrap pods): `pr list PIPELINE`, LAST RUN of `p list`, `tr list TASK`,
 * `pr delete -p`, `p delete --prs`. Before, nothing set `tekton.dev/pipeline` on PipelineRuns or `tekton.dev/task`
 * on standalone TaskRuns and these silently did nothing.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../src/embedded/main.js';
import { applyYaml, NS, PIPELINERUN, startWorld, waitForRun } from '../integration/helpers.js';
import { tkt } from './helpers/io.js';

const hasBwrap = ((): boolean => {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let world: Embedded;
const run = (...args: string[]) => tkt([...args, '--kubeconfig', world.kubeconfigPath], { now: new Date() });

beforeAll(async () => {
  if (!hasBwrap) return;
  world = await startWorld();
  await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: hello}
spec:
  steps: [{name: say, image: busybox, script: "echo hi"}]
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: build}
spec:
  tasks: [{name: one, taskRef: {name: hello}}]
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: other}
spec:
  tasks: [{name: one, taskRef: {name: hello}}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-1}
spec: {pipelineRef: {name: build}}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: other-1}
spec: {pipelineRef: {name: other}}
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: hello-1}
spec: {taskRef: {name: hello}}
`);
  for (const pr of ['build-1', 'other-1']) await waitForRun(world.client, 'PipelineRun', NS, pr);
  await waitForRun(world.client, 'TaskRun', NS, 'hello-1');
}, 90_000);
afterAll(async () => world?.stop());

describe.skipIf(!hasBwrap)('label selection on runs made by the controllers', () => {
  it('pr list PIPELINE lists only that pipeline\'s runs; tr list TASK the task\'s runs', async () => {
    const r = await run('pr', 'list', 'build');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^build-1\s/m);
    expect(r.stdout).not.toMatch(/other-1/);
    const t = await run('tr', 'list', 'hello');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^hello-1\s/m);
  });

  it('p list shows each pipeline\'s LAST RUN', async () => {
    const r = await run('p', 'list');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^build\s.*\sbuild-1\s/m);
    expect(r.stdout).toMatch(/^other\s.*\sother-1\s/m);
  });

  it('pr delete -p deletes that pipeline\'s runs; p delete --prs deletes the pipeline with its runs', async () => {
    const d = await run('pr', 'delete', '-p', 'other', '-f');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain('other-1');
    expect(await world.client.tryGet(PIPELINERUN, NS, 'other-1')).toBeUndefined();
    expect(await world.client.tryGet(PIPELINERUN, NS, 'build-1')).toBeDefined();
    const p = await run('p', 'delete', 'build', '--prs', '-f');
    expect(p.code, p.stderr).toBe(0);
    expect(await world.client.tryGet(PIPELINERUN, NS, 'build-1')).toBeUndefined();
  });
});
