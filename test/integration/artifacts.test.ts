/**
 * Artifacts (alpha, enable-artifacts), run for real in embedded mode (host runtime): `$(artifacts.path)` and
 * `$(step.artifacts.path)` written by steps reach `status.artifacts` and the steps' inputs/outputs through the
 * step helper's termination message; `$(tasks.<t>.outputs.<n>)` gives a later task the values and makes it
 * depend on its producer. Tekton's examples that use only these run unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, TaskRun } from '../../src/api/types.js';
import { defaultFeatureFlags } from '../../src/controller/config.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { applyYaml, childTaskRun, ensureHelper, logsOf, NS, succeeded, waitForRun } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'tekton-alpha');

let world: Embedded;
beforeAll(async () => {
  ensureHelper();
  world = await startEmbedded({
    runtime: 'host', memory: true, eventListeners: false, controllers: true,
    controllerConfig: { features: defaultFeatureFlags({ enableApiFields: 'alpha', enableArtifacts: true }) },
  });
}, 60_000);
afterAll(async () => { await world?.stop(); });

const IMAGE = [{ uri: 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c', digest: { sha256: 'df85b9e3983fe2ce20ef76ad675ecf435cc99fc9350adc54fa230bae8c32ce48', sha1: '95588b8f34c31eb7d62c92aaa4e6506639b06ef2' } }];

describe("Tekton's artifacts examples, unchanged", () => {
  it('task-artifacts.yaml: $(artifacts.path) becomes status.artifacts', async () => {
    const [created] = await applyYaml<TaskRun>(world.client, readFileSync(join(FIXTURES, 'task-artifacts.yaml'), 'utf8'));
    const tr = await waitForRun(world.client, 'TaskRun', NS, created?.metadata.name ?? '');
    expect(succeeded(tr)?.status).toBe('True');
    expect(tr.status?.artifacts).toEqual({
      inputs: [{ name: 'input-artifacts', values: [{ uri: 'pkg:example.github.com/inputs', digest: { sha256: 'b35cacccfdb1e24dc497d15d553891345fd155713ffe647c281c583269eaaae0' } }] }],
      outputs: [{ name: 'image', values: IMAGE }],
    });
  }, 60_000);

  it('consume-artifacts-from-task.yaml: $(tasks.<t>.outputs.<n>) hands the values to a later task', async () => {
    const objs = await applyYaml(world.client, readFileSync(join(FIXTURES, 'consume-artifacts-from-task.yaml'), 'utf8'));
    const pr = await waitForRun(world.client, 'PipelineRun', NS, objs[0]?.metadata.name ?? '', { timeoutMs: 60_000 });
    expect(succeeded(pr)?.status).toBe('True');
  }, 90_000);
});

describe("Tekton's step-artifacts example, unchanged", () => {
  it('produce-consume-artifacts.yaml: $(steps.<s>.inputs/outputs.<n>) in later steps\' scripts', async () => {
    const [created] = await applyYaml<TaskRun>(world.client, readFileSync(join(FIXTURES, 'produce-consume-artifacts.yaml'), 'utf8'));
    const tr = await waitForRun(world.client, 'TaskRun', NS, created?.metadata.name ?? '');
    expect(succeeded(tr)?.status).toBe('True');
    const producer = tr.status?.steps?.find((s) => s.name === 'artifacts-producer');
    expect(producer?.outputs).toEqual([{ name: 'image', buildOutput: true, values: IMAGE }]);
    expect(await logsOf(world.client, NS, tr.status?.podName ?? '', 'step-artifacts-consumer-python')).toBe('pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c\n');
    const echoed = await logsOf(world.client, NS, tr.status?.podName ?? '', 'step-artifacts-consumer');
    expect(echoed).toContain('pkg:example.github.com/inputs');
  }, 60_000);
});

describe('artifacts', () => {
  it("a step's $(step.artifacts.path) becomes its inputs/outputs, merged into status.artifacts; a consumer task waits for its producer", async () => {
    await applyYaml(world.client, `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: art}
spec:
  pipelineSpec:
    tasks:
      - name: consume
        params: [{name: got, value: $(tasks.produce.outputs.image)}]
        taskSpec:
          params: [{name: got}]
          steps: [{name: show, image: busybox, script: "printf 'got %s\\n' '$(params.got)'"}]
      - name: produce
        taskSpec:
          steps:
            - name: build
              image: busybox
              script: |
                sleep 1
                printf '%s' '{"inputs":[{"name":"src","values":[{"uri":"git+https://x/y@abc"}]}],"outputs":[{"name":"image","buildOutput":true,"values":[{"uri":"pkg:oci/app","digest":{"sha256":"aa"}}]}]}' > $(step.artifacts.path)
            - name: more
              image: busybox
              script: |
                printf '%s' '{"outputs":[{"name":"image","values":[{"uri":"pkg:oci/app-debug","digest":{"sha256":"bb"}}]}]}' > $(artifacts.path)
`);
    const pr: PipelineRun = await waitForRun(world.client, 'PipelineRun', NS, 'art', { timeoutMs: 60_000 });
    expect(succeeded(pr)?.status).toBe('True');
    const produce = await childTaskRun(world.client, NS, 'art', 'produce');
    const build = produce.status?.steps?.find((s) => s.name === 'build');
    expect(build?.inputs).toEqual([{ name: 'src', values: [{ uri: 'git+https://x/y@abc' }] }]);
    expect(build?.outputs).toEqual([{ name: 'image', buildOutput: true, values: [{ uri: 'pkg:oci/app', digest: { sha256: 'aa' } }] }]);
    expect(produce.status?.artifacts?.outputs).toEqual([{ name: 'image', buildOutput: true, values: [{ uri: 'pkg:oci/app', digest: { sha256: 'aa' } }, { uri: 'pkg:oci/app-debug', digest: { sha256: 'bb' } }] }]);
    const consume = await childTaskRun(world.client, NS, 'art', 'consume');
    expect(Date.parse(consume.status?.startTime ?? '')).toBeGreaterThanOrEqual(Date.parse(produce.status?.completionTime ?? '') - 1000);
    const values = JSON.stringify(produce.status?.artifacts?.outputs?.[0]?.values);
    expect(consume.spec.params).toEqual([{ name: 'got', value: values }]);
    expect(await logsOf(world.client, NS, consume.status?.podName ?? '', 'step-show')).toContain(`got ${values}`);
  }, 90_000);

  it('a step artifact that was never written is left as written and logged, as Tekton does', async () => {
    const [tr] = await applyYaml<TaskRun>(world.client, `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: art-missing}
spec:
  taskSpec:
    steps:
      - {name: quiet, image: busybox, script: 'true'}
      - {name: show, image: busybox, script: "printf '%s\\n' '$(steps.quiet.outputs.image)'"}
`);
    const done = await waitForRun(world.client, 'TaskRun', NS, tr?.metadata.name ?? '');
    expect(succeeded(done)?.status).toBe('True');
    const log = await logsOf(world.client, NS, done.status?.podName ?? '', 'step-show');
    expect(log).toContain('Error while substituting step artifacts');
    expect(log).toContain('$(steps.quiet.outputs.image)');
  }, 60_000);
});
