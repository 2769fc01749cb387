/**
 * Issue 5 "Done when", first half: PipelineRuns that run to their end — DAG order, results, when/skip rules,
 * finally, retries, matrix, a shared volumeClaimTemplate PVC and a failing task — one table row each, run for
 * real in embedded mode (see helpers.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, PipelineRun, TaskRun } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import type { KubeClient } from '../../src/kube/client.js';
import { applyYaml, childTaskRun, childTaskRuns, logsOf, NS, PIPELINERUN, PVC, startWorld, succeeded, TASKRUN, waitFor, waitForRun } from './helpers.js';

let world: Embedded;
beforeAll(async () => { world = await startWorld(); }, 60_000);
afterAll(async () => { await world?.stop(); });

/** A PipelineRun with an inline pipelineSpec (the spec's YAML is given indented by 4). */
function pipelineRun(name: string, pipelineSpec: string, extra = ''): string {
  return `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: ${name}\nspec:\n${extra}  pipelineSpec:\n${pipelineSpec}`;
}

/** An inline task with one busybox step running `script`. */
const echoTask = (script: string) => `{steps: [{name: s, image: busybox, script: ${JSON.stringify(script)}}]}`;

/** A task that records, in nanoseconds, when its step began and ended (GNU date: the ubuntu image on host). */
const stampTask = `
          results: [{name: started}, {name: ended}]
          steps:
            - name: stamp
              image: ubuntu
              script: |
                printf %s "$(date +%s%N)" > $(results.started.path)
                sleep 0.5
                printf %s "$(date +%s%N)" > $(results.ended.path)`;

interface Row {
  name: string;
  yaml: string;
  check: (pr: PipelineRun, client: KubeClient) => Promise<void> | void;
}

const resultOf = (tr: TaskRun, name: string) => tr.status?.results?.find((r) => r.name === name)?.value;
const ns = (tr: TaskRun, name: string) => BigInt(String(resultOf(tr, name)));
const podLog = (client: KubeClient, tr: TaskRun, step = 's') => logsOf(client, NS, tr.status?.podName ?? '', `step-${step}`);
const skipped = (pr: PipelineRun) => (pr.status?.skippedTasks ?? []).map((s) => [s.name, s.reason]);

const rows: Row[] = [
  {
    name: 'diamond DAG: a before b and c (in parallel), both before d',
    yaml: pipelineRun('pr-diamond', `    tasks:
      - name: a
        taskSpec: ${stampTask}
      - name: b
        runAfter: [a]
        taskSpec: ${stampTask}
      - name: c
        runAfter: [a]
        taskSpec: ${stampTask}
      - name: d
        runAfter: [b, c]
        taskSpec: ${stampTask}
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 4 (Failed: 0, Cancelled 0), Skipped: 0' });
      const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((t) => childTaskRun(client, NS, 'pr-diamond', t)));
      for (const [before, after] of [[a, b], [a, c], [b, d], [c, d]] as const) {
        expect(ns(before!, 'ended')).toBeLessThan(ns(after!, 'started'));
        expect(before!.status!.completionTime! <= after!.status!.startTime!).toBe(true);
      }
      expect(ns(b!, 'started') < ns(c!, 'ended') && ns(c!, 'started') < ns(b!, 'ended')).toBe(true); // b and c overlap
      expect(pr.status?.childReferences?.map((r) => r.pipelineTaskName)).toEqual(['a', 'b', 'c', 'd']);
    },
  },
  {
    name: 'result passing: string, array and object results into params and pipeline results',
    yaml: pipelineRun('pr-results', `    results:
      - {name: s, value: $(tasks.produce.results.str)}
      - {name: a, type: array, value: '$(tasks.produce.results.arr[*])'}
      - {name: o, type: object, value: '$(tasks.produce.results.obj[*])'}
    tasks:
      - name: produce
        taskSpec:
          results:
            - {name: str}
            - {name: arr, type: array}
            - {name: obj, type: object, properties: {url: {type: string}, digest: {type: string}}}
          steps:
            - name: s
              image: busybox
              script: |
                printf 'hello world' > $(results.str.path)
                printf '["x","y z"]' > $(results.arr.path)
                printf '{"url":"https://u.example","digest":"sha256:1"}' > $(results.obj.path)
      - name: consume
        params:
          - {name: s, value: $(tasks.produce.results.str)}
          - {name: a, value: ["$(tasks.produce.results.arr[*])"]}
          - {name: o, value: '$(tasks.produce.results.obj[*])'}
          - {name: url, value: $(tasks.produce.results.obj.url)}
        taskSpec:
          params:
            - {name: s}
            - {name: a, type: array}
            - {name: o, type: object, properties: {url: {type: string}, digest: {type: string}}}
            - {name: url}
          steps:
            - {name: s, image: busybox, script: 'echo "s=$(params.s) o.digest=$(params.o.digest) url=$(params.url)"'}
            - {name: items, image: busybox, command: [printf, 'item=%s\\n'], args: ["$(params.a[*])"]}
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
      expect(pr.status?.results).toEqual([
        { name: 's', value: 'hello world' },
        { name: 'a', value: ['x', 'y z'] },
        { name: 'o', value: { url: 'https://u.example', digest: 'sha256:1' } },
      ]);
      const consume = await childTaskRun(client, NS, 'pr-results', 'consume');
      expect(await podLog(client, consume)).toBe('s=hello world o.digest=sha256:1 url=https://u.example\n');
      expect(await podLog(client, consume, 'items')).toBe('item=x\nitem=y z\n');
    },
  },
  {
    name: 'when skip guards only its task; missing results cascade as parent skips',
    yaml: pipelineRun('pr-when', `    tasks:
      - name: gate
        when: [{input: "no", operator: in, values: ["yes"]}]
        taskSpec: {results: [{name: r}], steps: [{name: s, image: busybox, script: "printf v > $(results.r.path)"}]}
      - name: after-gate
        runAfter: [gate]
        taskSpec: ${echoTask('echo after-gate-ran')}
      - name: uses-gate
        params: [{name: p, value: $(tasks.gate.results.r)}]
        taskSpec: {params: [{name: p}], steps: [{name: s, image: busybox, script: "echo $(params.p)"}]}
      - name: after-uses
        runAfter: [uses-gate]
        taskSpec: ${echoTask('echo never')}
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Completed', message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 3' });
      expect(skipped(pr)).toEqual([
        ['gate', 'When Expressions evaluated to false'],
        ['uses-gate', 'Results were missing'],
        ['after-uses', 'Parent Tasks were skipped'],
      ]);
      expect(pr.status?.skippedTasks?.[0]?.whenExpressions).toEqual([{ input: 'no', operator: 'in', values: ['yes'] }]);
      expect([...(await childTaskRuns(client, NS, 'pr-when')).keys()]).toEqual(['after-gate']);
      expect(await podLog(client, await childTaskRun(client, NS, 'pr-when', 'after-gate'))).toBe('after-gate-ran\n');
    },
  },
  {
    name: 'finally sees $(tasks.status) and $(tasks.X.status), runs after the DAG, when on task status',
    yaml: pipelineRun('pr-finally', `    tasks:
      - {name: ok, taskSpec: ${echoTask('echo ok')}}
      - {name: bad, taskSpec: ${echoTask('exit 1')}}
    finally:
      - name: report
        params: [{name: agg, value: $(tasks.status)}, {name: bad, value: $(tasks.bad.status)}, {name: ok, value: $(tasks.ok.status)}]
        taskSpec:
          params: [{name: agg}, {name: bad}, {name: ok}]
          steps: [{name: s, image: busybox, script: "echo agg=$(params.agg) bad=$(params.bad) ok=$(params.ok)"}]
      - name: on-failure
        when: [{input: $(tasks.bad.status), operator: in, values: [Failed]}]
        taskSpec: ${echoTask('echo cleanup')}
      - name: on-success
        when: [{input: $(tasks.status), operator: in, values: [Succeeded]}]
        taskSpec: ${echoTask('echo never')}
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Failed', message: 'Tasks Completed: 4 (Failed: 1, Cancelled 0), Skipped: 1' });
      expect(skipped(pr)).toEqual([['on-success', 'When Expressions evaluated to false']]);
      const report = await childTaskRun(client, NS, 'pr-finally', 'report');
      expect(await podLog(client, report)).toBe('agg=Failed bad=Failed ok=Succeeded\n');
      const bad = await childTaskRun(client, NS, 'pr-finally', 'bad');
      expect(bad.status!.completionTime! <= report.status!.startTime!).toBe(true);
      expect(pr.status?.finallyStartTime).toBeDefined();
      expect(succeeded(await childTaskRun(client, NS, 'pr-finally', 'on-failure'))?.status).toBe('True');
    },
  },
  {
    name: 'retries: one TaskRun, retry-count visible to the step, succeeds on the last attempt',
    yaml: pipelineRun('pr-retries', `    tasks:
      - name: flaky
        retries: 2
        taskSpec:
          steps:
            - name: s
              image: busybox
              script: |
                echo "retries=$(context.pipelineTask.retries) count=$(context.task.retry-count)"
                [ "$(context.task.retry-count)" = 2 ]
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
      const tr = await childTaskRun(client, NS, 'pr-retries', 'flaky');
      expect(tr.status?.retriesStatus?.map((r) => r.podName)).toEqual(['pr-retries-flaky-pod', 'pr-retries-flaky-pod-retry1']);
      expect(tr.status?.podName).toBe('pr-retries-flaky-pod-retry2');
      const logs = await Promise.all(['pod', 'pod-retry1', 'pod-retry2'].map((p) => logsOf(client, NS, `pr-retries-flaky-${p}`, 'step-s')));
      expect(logs).toEqual(['retries=2 count=0\n', 'retries=2 count=1\n', 'retries=2 count=2\n']);
    },
  },
  {
    name: 'matrix fan-out: one TaskRun per combination, results aggregated into an array',
    yaml: pipelineRun('pr-matrix', `    results:
      - {name: artifacts, type: array, value: '$(tasks.build.results.artifact[*])'}
    tasks:
      - name: build
        matrix:
          params: [{name: os, value: [linux, mac, windows]}]
        taskSpec:
          params: [{name: os}]
          results: [{name: artifact}]
          steps: [{name: s, image: busybox, script: "printf bin-$(params.os) > $(results.artifact.path)"}]
      - name: collect
        params: [{name: all, value: ["$(tasks.build.results.artifact[*])"]}]
        taskSpec:
          params: [{name: all, type: array}]
          steps: [{name: s, image: busybox, command: [printf, '%s\\n'], args: ["$(params.all[*])"]}]
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
      const builds = (await childTaskRuns(client, NS, 'pr-matrix')).get('build') ?? [];
      expect(builds.map((t) => t.metadata.name).sort()).toEqual(['pr-matrix-build-0', 'pr-matrix-build-1', 'pr-matrix-build-2']);
      expect(pr.status?.results).toEqual([{ name: 'artifacts', value: ['bin-linux', 'bin-mac', 'bin-windows'] }]);
      expect(await podLog(client, await childTaskRun(client, NS, 'pr-matrix', 'collect'))).toBe('bin-linux\nbin-mac\nbin-windows\n');
    },
  },
  {
    name: 'volumeClaimTemplate: one PVC owned by the run, shared by two tasks, deleted with the run',
    yaml: pipelineRun('pr-pvc', `    workspaces: [{name: shared}]
    tasks:
      - name: write
        workspaces: [{name: data, workspace: shared}]
        taskSpec: {workspaces: [{name: data}], steps: [{name: s, image: busybox, script: "echo payload-42 > $(workspaces.data.path)/file"}]}
      - name: read
        runAfter: [write]
        workspaces: [{name: data, workspace: shared}]
        taskSpec: {workspaces: [{name: data}], steps: [{name: s, image: busybox, script: "cat $(workspaces.data.path)/file"}]}
`, `  workspaces:
    - name: shared
      volumeClaimTemplate:
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 16Mi}}}
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
      const owned = (await client.list<KubeObject>(PVC, NS)).items
        .filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'PipelineRun' && o.uid === pr.metadata.uid));
      expect(owned).toHaveLength(1);
      const claim = owned[0]!.metadata.name!;
      const [write, read] = await Promise.all(['write', 'read'].map((t) => childTaskRun(client, NS, 'pr-pvc', t)));
      for (const tr of [write!, read!]) expect(tr.spec.workspaces?.[0]?.persistentVolumeClaim?.claimName).toBe(claim);
      expect(await podLog(client, read!)).toBe('payload-42\n');
      await client.delete(PIPELINERUN, NS, 'pr-pvc');
      await waitFor('the PVC to be garbage-collected', async () => !(await client.tryGet(PVC, NS, claim)));
      await waitFor('the TaskRuns to be garbage-collected', async () => !(await client.tryGet(TASKRUN, NS, 'pr-pvc-read')));
    },
  },
  {
    name: 'a failing task fails the run (Failed), later tasks are not started',
    yaml: pipelineRun('pr-failing', `    tasks:
      - {name: first, taskSpec: ${echoTask('echo first')}}
      - {name: broken, runAfter: [first], taskSpec: ${echoTask('echo breaking; exit 7')}}
      - {name: never, runAfter: [broken], taskSpec: ${echoTask('echo never')}}
`),
    async check(pr, client) {
      expect(succeeded(pr)).toMatchObject({ status: 'False', reason: 'Failed', message: 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1' });
      expect(skipped(pr)).toEqual([['never', 'PipelineRun was stopping']]);
      const broken = await childTaskRun(client, NS, 'pr-failing', 'broken');
      expect(succeeded(broken)).toMatchObject({ status: 'False', reason: 'Failed', message: '"step-s" exited with code 7' });
      expect([...(await childTaskRuns(client, NS, 'pr-failing')).keys()].sort()).toEqual(['broken', 'first']);
    },
  },
];

describe.concurrent('PipelineRuns that run to their end (issue 5)', () => {
  it.each(rows)('$name', async (row) => {
    const [created] = await applyYaml<PipelineRun>(world.client, row.yaml);
    const pr = await waitForRun(world.client, 'PipelineRun', NS, created!.metadata.name!, { timeoutMs: 45_000 });
    await row.check(pr, world.client);
  }, 60_000);
});
