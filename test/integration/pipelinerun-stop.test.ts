/**
 * Issue 5 "Done when", second half: PipelineRuns stopped before their end — pipeline / tasks / finally
 * timeouts, graceful cancel (CancelledRunFinally), graceful stop (StoppedRunFinally) and hard cancel
 * (Cancelled) — one table row each, run for real in embedded mode (see helpers.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import type { KubeClient } from '../../src/kube/client.js';
import { applyYaml, childTaskRun, childTaskRuns, isFinished, NS, PIPELINERUN, podOf, startWorld, succeeded, waitFor, waitForRun } from './helpers.js';

let world: Embedded;
beforeAll(async () => { world = await startWorld(); }, 60_000);
afterAll(async () => { await world?.stop(); });

const TIMED_OUT = 'TaskRun cancelled as the PipelineRun it belongs to has timed out.';
const CANCELLED = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';

/** A PipelineRun with an inline pipelineSpec; `extra` is more of its spec (indented by 2). */
function pipelineRun(name: string, pipelineSpec: string, extra = ''): string {
  return `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: ${name}\nspec:\n${extra}  pipelineSpec:\n${pipelineSpec}`;
}

const task = (script: string) => `{steps: [{name: s, image: busybox, script: ${JSON.stringify(script)}}]}`;
/** DAG: `slow` (sleeps 30 s) then `next`; finally: `f` (sleeps `finallySleep`). */
const slowThenNext = (finallySleep = '0') => `    tasks:
      - {name: slow, taskSpec: ${task('sleep 30')}}
      - {name: next, runAfter: [slow], taskSpec: ${task('echo next')}}
    finally:
      - {name: f, taskSpec: ${task(`sleep ${finallySleep}; echo finally-ran`)}}
`;

interface Row {
  name: string;
  yaml: string;
  /** Done once the run exists: e.g. wait for a task to run, then cancel. */
  act?: (client: KubeClient, name: string) => Promise<void>;
  check: (pr: PipelineRun, client: KubeClient) => Promise<void> | void;
}

/**
 * A child stopped by the run's timeout. Its own timeout is the budget left, so it falls due at the same
 * moment as the run's (never before it): whichever controller acts first decides between "cancelled by the
 * PipelineRun timeout" and "TaskRunTimeout", as in Tekton. The run's own reason is deterministic.
 */
function expectStoppedByTimeout(tr: TaskRun): void {
  const c = succeeded(tr);
  expect(c?.status).toBe('False');
  if (c?.reason === 'TaskRunCancelled') expect(tr.spec.statusMessage).toBe(TIMED_OUT);
  else expect(c?.reason).toBe('TaskRunTimeout');
}

/**
 * The pipeline task's TaskRun once it has finished: a run that times out fails at once (as Tekton), while its running
 * children were told to cancel and finish on their own a moment later.
 */
async function finishedChild(client: KubeClient, pr: string, task: string): Promise<TaskRun> {
  return waitFor(`${pr}/${task} to finish`, async () => {
    const tr = await childTaskRun(client, NS, pr, task);
    return isFinished(tr) ? tr : undefined;
  });
}

const skipped = (pr: PipelineRun) => (pr.status?.skippedTasks ?? []).map((s) => [s.name, s.reason]);
const cond = (tr: TaskRun) => [succeeded(tr)?.status, succeeded(tr)?.reason];

/** Waits until the pipeline task's TaskRun has a running step. */
async function whenRunning(client: KubeClient, pr: string, taskName: string): Promise<void> {
  await waitFor(`${pr}/${taskName} to run`, async () => {
    const tr = (await childTaskRuns(client, NS, pr)).get(taskName)?.[0];
    return tr?.status?.steps?.some((s) => s.running);
  });
}

/** Sets spec.status of the PipelineRun once `slow` runs; then waits for the in-between reason, when given. */
function stopWith(status: string, between?: string) {
  return async (client: KubeClient, name: string) => {
    await whenRunning(client, name, 'slow');
    await client.patch(PIPELINERUN, NS, name, { spec: { status } });
    if (between) await waitForRun(client, 'PipelineRun', NS, name, { until: (pr) => succeeded(pr)?.reason === between });
  };
}

const rows: Row[] = [
  {
    name: 'pipeline timeout: PipelineRunTimeout, children cancelled, no finally',
    yaml: pipelineRun('pr-pipeline-timeout', slowThenNext(), '  timeouts: {pipeline: 2s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "pr-pipeline-timeout" failed to finish within "2s"' });
      // the run fails at once (as Tekton): its children were told to cancel and finish on their own
      const slow = await waitForRun(client, 'TaskRun', NS, 'pr-pipeline-timeout-slow');
      expectStoppedByTimeout(slow);
      expect([...(await childTaskRuns(client, NS, 'pr-pipeline-timeout')).keys()]).toEqual(['slow']);
      await waitFor('the slow pod to be deleted', async () => !(await podOf(client, NS, slow.status?.podName ?? '')));
    },
  },
  {
    name: 'tasks timeout: DAG children cancelled, finally still runs, PipelineRunTimeout',
    yaml: pipelineRun('pr-tasks-timeout', slowThenNext(), '  timeouts: {pipeline: 1m, tasks: 2s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "pr-tasks-timeout" failed due to tasks failed to finish within "2s"' });
      expectStoppedByTimeout(await childTaskRun(client, NS, 'pr-tasks-timeout', 'slow'));
      expect(skipped(pr)).toEqual([['next', 'PipelineRun was stopping']]);
      expect(cond(await childTaskRun(client, NS, 'pr-tasks-timeout', 'f'))).toEqual(['True', 'Succeeded']);
    },
  },
  {
    name: 'finally timeout alone: the running finally task is cancelled and counts as failed: Failed (Tekton has no timeout reason here)',
    yaml: pipelineRun('pr-finally-timeout', `    tasks:
      - {name: quick, taskSpec: ${task('echo quick')}}
    finally:
      - {name: f, taskSpec: ${task('sleep 30')}}
`, '  timeouts: {pipeline: 1m, finally: 2s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Failed', message: 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0' });
      expect(cond(await childTaskRun(client, NS, 'pr-finally-timeout', 'quick'))).toEqual(['True', 'Succeeded']);
      expectStoppedByTimeout(await childTaskRun(client, NS, 'pr-finally-timeout', 'f'));
    },
  },
  {
    name: 'tasks timeout alone (pipeline defaulted), no finally: PipelineRunTimeout with the tasks wording, next skipped',
    yaml: pipelineRun('pr-tasks-only', `    tasks:
      - {name: slow, taskSpec: ${task('sleep 30')}}
      - {name: next, runAfter: [slow], taskSpec: ${task('echo next')}}
`, '  timeouts: {tasks: 2s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "pr-tasks-only" failed due to tasks failed to finish within "2s"' });
      expectStoppedByTimeout(await childTaskRun(client, NS, 'pr-tasks-only', 'slow'));
      // slow, cancelled by the timeout, counts as failed, so next is skipped as "stopping" (Tekton checks that first)
      expect(skipped(pr)).toEqual([['next', 'PipelineRun was stopping']]);
    },
  },
  {
    name: 'pipeline timeout fires while finally runs: PipelineRunTimeout with the pipeline wording',
    yaml: pipelineRun('pr-pipeline-in-finally', `    tasks:
      - {name: quick, taskSpec: ${task('echo quick')}}
    finally:
      - {name: f, taskSpec: ${task('sleep 30')}}
`, '  timeouts: {pipeline: 3s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "pr-pipeline-in-finally" failed to finish within "3s"' });
      expect(cond(await childTaskRun(client, NS, 'pr-pipeline-in-finally', 'quick'))).toEqual(['True', 'Succeeded']);
      expectStoppedByTimeout(await finishedChild(client, 'pr-pipeline-in-finally', 'f'));
    },
  },
  {
    name: 'tasks and finally timeouts both fire: PipelineRunTimeout with the tasks wording',
    yaml: pipelineRun('pr-tasks-and-finally', slowThenNext('30'), '  timeouts: {pipeline: 1m, tasks: 2s, finally: 2s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "pr-tasks-and-finally" failed due to tasks failed to finish within "2s"' });
      expectStoppedByTimeout(await finishedChild(client, 'pr-tasks-and-finally', 'slow'));
      expectStoppedByTimeout(await finishedChild(client, 'pr-tasks-and-finally', 'f'));
    },
  },
  {
    name: 'no pipeline timeout (pipeline: 0) with a tasks timeout: the tasks timeout still fires',
    yaml: pipelineRun('pr-zero-pipeline', slowThenNext(), '  timeouts: {pipeline: 0s, tasks: 2s}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "pr-zero-pipeline" failed due to tasks failed to finish within "2s"' });
      expect(cond(await childTaskRun(client, NS, 'pr-zero-pipeline', 'f'))).toEqual(['True', 'Succeeded']);
    },
  },
  {
    name: 'a pipeline task timeout of its own: the TaskRun times out, the run fails with Failed',
    yaml: pipelineRun('pr-task-own-timeout', `    tasks:
      - {name: slow, timeout: 2s, taskSpec: ${task('sleep 30')}}
`, '  timeouts: {pipeline: 1m}\n'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0' });
      expect(cond(await childTaskRun(client, NS, 'pr-task-own-timeout', 'slow'))).toEqual(['False', 'TaskRunTimeout']);
    },
  },
  {
    name: 'hard cancel (Cancelled): children cancelled, no finally',
    yaml: pipelineRun('pr-cancel', slowThenNext()),
    act: stopWith('Cancelled'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Cancelled', message: 'PipelineRun "pr-cancel" was cancelled' });
      const slow = await childTaskRun(client, NS, 'pr-cancel', 'slow');
      expect(cond(slow)).toEqual(['False', 'TaskRunCancelled']);
      expect(slow.spec.statusMessage).toBe(CANCELLED);
      expect([...(await childTaskRuns(client, NS, 'pr-cancel')).keys()]).toEqual(['slow']);
      await waitFor('the cancelled pod to be deleted', async () => !(await podOf(client, NS, slow.status?.podName ?? '')));
    },
  },
  {
    name: 'graceful cancel (CancelledRunFinally): children cancelled, finally runs, Cancelled',
    yaml: pipelineRun('pr-cancel-finally', slowThenNext('1')),
    act: stopWith('CancelledRunFinally', 'CancelledRunningFinally'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Cancelled', message: 'PipelineRun "pr-cancel-finally" was cancelled' });
      const slow = await childTaskRun(client, NS, 'pr-cancel-finally', 'slow');
      expect(cond(slow)).toEqual(['False', 'TaskRunCancelled']);
      expect(slow.spec.statusMessage).toBe(CANCELLED);
      expect(skipped(pr)).toEqual([['next', 'PipelineRun was stopping']]);
      expect(cond(await childTaskRun(client, NS, 'pr-cancel-finally', 'f'))).toEqual(['True', 'Succeeded']);
    },
  },
  {
    name: 'graceful stop (StoppedRunFinally): running task finishes, nothing new starts, finally runs',
    yaml: pipelineRun('pr-stop-finally', `    tasks:
      - {name: slow, taskSpec: ${task('sleep 1.5; echo done')}}
      - {name: next, runAfter: [slow], taskSpec: ${task('echo next')}}
    finally:
      - {name: f, taskSpec: ${task('echo finally-ran')}}
`),
    act: stopWith('StoppedRunFinally', 'StoppedRunningFinally'),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Cancelled', message: 'PipelineRun "pr-stop-finally" was cancelled' });
      expect(cond(await childTaskRun(client, NS, 'pr-stop-finally', 'slow'))).toEqual(['True', 'Succeeded']);
      expect(skipped(pr)).toEqual([['next', 'PipelineRun was gracefully stopped']]);
      expect(cond(await childTaskRun(client, NS, 'pr-stop-finally', 'f'))).toEqual(['True', 'Succeeded']);
    },
  },
];

describe.concurrent('PipelineRuns stopped early (issue 5)', () => {
  it.each(rows)('$name', async (row) => {
    const [created] = await applyYaml<PipelineRun>(world.client, row.yaml);
    const name = created!.metadata.name!;
    await row.act?.(world.client, name);
    const pr = await waitForRun(world.client, 'PipelineRun', NS, name, { timeoutMs: 40_000 });
    await row.check(pr, world.client);
  }, 60_000);
});
