import { describe, expect, it } from 'vitest';
import { convertObject, objectWithoutNulls, withoutNulls, TASK_DEPRECATIONS, RESOURCES, CLOUD_EVENTS, RESOURCES_RESULT, RESOURCES_STATUS } from './index.js';
import { pipelineRun, pipelineSpec, taskRun, taskSpec } from './fixtures.js';

type O = Record<string, any>;

const V1 = 'tekton.dev/v1';
const B1 = 'tekton.dev/v1beta1';
const task = (): O => ({ apiVersion: B1, kind: 'Task', metadata: { name: 'build', labels: { x: 'y' } }, spec: taskSpec() });
const pipeline = (): O => ({ apiVersion: B1, kind: 'Pipeline', metadata: { name: 'p' }, spec: pipelineSpec() });

function roundTrip(obj: O): { v1: O; back: O } {
  const frozen = structuredClone(obj);
  const v1 = convertObject(obj, V1);
  expect(obj).toEqual(frozen); // the input is never modified
  const back = convertObject(structuredClone(v1), B1);
  return { v1, back };
}

describe('Task v1beta1 <-> v1', () => {
  it('moves container resources to computeResources and stashes the deprecated step fields as Tekton does', () => {
    const { v1, back } = roundTrip(task());
    expect(v1.apiVersion).toBe(V1);
    expect(v1.spec.steps[0].computeResources).toEqual({ limits: { cpu: '1' }, requests: { memory: '64Mi' } });
    expect(v1.spec.steps[0]).not.toHaveProperty('resources');
    for (const k of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'stdin', 'tty']) {
      expect(v1.spec.steps[0]).not.toHaveProperty(k);
      expect(v1.spec.stepTemplate).not.toHaveProperty(k);
    }
    expect(v1.spec.stepTemplate).not.toHaveProperty('name');
    expect(v1.spec.stepTemplate.computeResources).toBeDefined();
    expect(v1.spec.sidecars[0].computeResources).toBeDefined();
    expect(v1.spec.sidecars[0].ports).toEqual([{ containerPort: 1 }]); // sidecars keep their container fields
    const stash = JSON.parse(v1.metadata.annotations[TASK_DEPRECATIONS]);
    expect(Object.keys(stash)).toEqual(['build']);
    expect(stash.build.deprecatedSteps).toHaveLength(3);
    expect(stash.build.deprecatedSteps[0]).toMatchObject({ name: '', resources: {}, ports: [{ containerPort: 8080 }], tty: true });
    expect(stash.build.deprecatedSteps[1]).toEqual({ name: '', resources: {} });
    expect(stash.build.deprecatedStepTemplate).toMatchObject({ name: 'tmpl', stdinOnce: true });
    expect(v1.metadata.labels).toEqual({ x: 'y' });
    expect(back).toEqual(task());
  });

  it('defaults ParamSpec type to string, as Tekton does in both directions', () => {
    const t = task();
    t.spec.params = [{ name: 'untyped' }];
    const { v1, back } = roundTrip(t);
    expect(v1.spec.params).toEqual([{ name: 'untyped', type: 'string' }]);
    expect(back.spec.params).toEqual([{ name: 'untyped', type: 'string' }]);
  });

  it('keeps PipelineResources in tekton.dev/v1beta1Resources and brings them back', () => {
    const t = task();
    t.spec.resources = { inputs: [{ name: 'src', type: 'git' }] };
    const { v1, back } = roundTrip(t);
    expect(v1.spec).not.toHaveProperty('resources');
    expect(JSON.parse(v1.metadata.annotations[RESOURCES])).toEqual({ inputs: [{ name: 'src', type: 'git' }] });
    expect(back).toEqual(t);
  });

  it('adds no annotations when nothing is deprecated, and a v1 object round-trips through v1beta1', () => {
    const v1: O = { apiVersion: V1, kind: 'Task', metadata: { name: 'x' }, spec: { params: [{ name: 'p', type: 'string' }], steps: [{ name: 's', image: 'alpine', computeResources: { limits: { cpu: '1' } } }] } };
    const b = convertObject(structuredClone(v1), B1);
    expect(b.spec.steps[0]).toEqual({ name: 's', image: 'alpine', resources: { limits: { cpu: '1' } } });
    expect(b.metadata).toEqual({ name: 'x' });
    expect(convertObject(b, V1)).toEqual(v1);
  });

  it('leaves a stash whose step count no longer matches (Tekton refuses to restore it)', () => {
    const { v1 } = roundTrip(task());
    v1.spec.steps.pop();
    const back = convertObject(v1, B1);
    expect(back.metadata.annotations[TASK_DEPRECATIONS]).toBeDefined();
    expect(back.spec.steps[0].ports).toBeUndefined();
  });
});

describe('Pipeline v1beta1 <-> v1', () => {
  it('converts embedded task specs keyed by pipeline task name and round-trips every field', () => {
    const { v1, back } = roundTrip(pipeline());
    const first = v1.spec.tasks[0].taskSpec;
    expect(first.steps[0].computeResources).toBeDefined();
    expect(first.metadata).toEqual({ labels: { l: '1' }, annotations: { a: '2' } });
    expect(first.apiVersion).toBe('example.dev/v0');
    expect(v1.spec.finally[0].taskSpec.steps[0].computeResources).toEqual({ limits: { cpu: '1' } });
    expect(Object.keys(JSON.parse(v1.metadata.annotations[TASK_DEPRECATIONS]))).toEqual(['first']);
    expect(v1.spec.tasks[1].when).toHaveLength(2);
    expect(v1.spec.tasks[1].matrix.include[0].name).toBe('inc');
    expect(back).toEqual(pipeline());
  });

  it('turns a bundle reference into the bundles resolver (as Tekton did until bundle was removed)', () => {
    const p = pipeline();
    p.spec.tasks = [{ name: 'b', taskRef: { name: 'golang-build', bundle: 'registry.example/catalog:v1', kind: 'Task' } }];
    const v1 = convertObject(p, V1);
    expect(v1.spec.tasks[0].taskRef).toEqual({
      resolver: 'bundles',
      params: [{ name: 'bundle', value: 'registry.example/catalog:v1' }, { name: 'name', value: 'golang-build' }, { name: 'kind', value: 'Task' }],
    });
  });

  it('drops pipeline task resources (refused at admission) and stashes the Pipeline-level ones', () => {
    const p = pipeline();
    p.spec.resources = [{ name: 'src', type: 'git' }];
    p.spec.tasks[1].resources = { inputs: [{ name: 'src', resource: 'src' }] };
    const v1 = convertObject(p, V1);
    expect(v1.spec.tasks[1]).not.toHaveProperty('resources');
    expect(JSON.parse(v1.metadata.annotations[RESOURCES])).toEqual([{ name: 'src', type: 'git' }]);
    expect(convertObject(v1, B1).spec.resources).toEqual([{ name: 'src', type: 'git' }]);
  });
});

describe('TaskRun v1beta1 <-> v1', () => {
  it('renames overrides and results, stashes cloud events and resource results, and round-trips', () => {
    const { v1, back } = roundTrip(taskRun());
    expect(v1.spec.stepSpecs).toEqual([{ name: 'one', computeResources: { requests: { cpu: '1' } } }]);
    expect(v1.spec.sidecarSpecs).toEqual([{ name: 'side', computeResources: { limits: { cpu: '1' } } }]);
    expect(v1.spec).not.toHaveProperty('stepOverrides');
    expect(v1.spec.serviceAccountName).toBe('sa');
    expect(v1.spec.podTemplate).toEqual(taskRun().spec.podTemplate);
    expect(v1.spec.managedBy).toBe('example.dev/controller');
    expect(v1.status.results).toEqual(taskRun().status.taskResults);
    expect(v1.status).not.toHaveProperty('taskResults');
    expect(v1.status.retriesStatus[0].results).toEqual([{ name: 'r', type: 'string', value: 'y' }]);
    expect(v1.status.steps[0].terminationReason).toBe('Completed');
    expect(v1.status).not.toHaveProperty('cloudEvents');
    expect(v1.metadata.annotations[CLOUD_EVENTS]).toBeDefined();
    expect(v1.metadata.annotations[RESOURCES_RESULT]).toBeDefined();
    expect(v1.metadata.annotations.keep).toBe('me');
    expect(v1.status.taskSpec.steps[0].computeResources).toBeDefined();
    expect(Object.keys(JSON.parse(v1.metadata.annotations[TASK_DEPRECATIONS]))).toEqual(['tr']);
    // status copies of specs lose the deprecated container fields (v1 has nowhere to keep them)
    const expected = taskRun();
    for (const k of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'stdinOnce', 'tty']) {
      delete expected.status.taskSpec.steps[0][k];
      delete expected.status.taskSpec.stepTemplate[k];
    }
    delete expected.status.taskSpec.stepTemplate.name;
    expect(back).toEqual(expected);
  });

  it('keeps the PipelineResources of spec and status.taskSpec in their annotations', () => {
    const tr = taskRun();
    tr.spec.resources = { inputs: [{ name: 'src', resourceRef: { name: 'git' } }] };
    tr.status.taskSpec.resources = { inputs: [{ name: 'src', type: 'git' }] };
    const v1 = convertObject(tr, V1);
    expect(v1.metadata.annotations[RESOURCES]).toBeDefined();
    expect(v1.metadata.annotations[RESOURCES_STATUS]).toBeDefined();
    const back = convertObject(v1, B1);
    expect(back.spec.resources).toEqual(tr.spec.resources);
    expect(back.status.taskSpec.resources).toEqual(tr.status.taskSpec.resources);
    expect(back.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('converts a bundle taskRef', () => {
    const tr: O = { apiVersion: B1, kind: 'TaskRun', metadata: { name: 'x' }, spec: { taskRef: { name: 't', bundle: 'reg/x:1' } } };
    expect(convertObject(tr, V1).spec.taskRef.resolver).toBe('bundles');
  });
});

describe('PipelineRun v1beta1 <-> v1', () => {
  it('moves serviceAccountName, podTemplate and taskRunSpecs fields as Tekton does, and round-trips', () => {
    const { v1, back } = roundTrip(pipelineRun());
    const pr = pipelineRun();
    expect(v1.spec.taskRunTemplate).toEqual({ podTemplate: pr.spec.podTemplate, serviceAccountName: 'builder' });
    expect(v1.spec).not.toHaveProperty('serviceAccountName');
    expect(v1.spec).not.toHaveProperty('podTemplate');
    expect(v1.spec.timeouts).toEqual({ pipeline: '1h', tasks: '30m', finally: '10m' });
    expect(v1.spec.taskRunSpecs[0]).toEqual({
      pipelineTaskName: 'build', serviceAccountName: 'sa-build', podTemplate: { nodeSelector: { a: 'b' } },
      stepSpecs: [{ name: 'one', computeResources: { requests: { cpu: '1' } } }], sidecarSpecs: [{ name: 'side', computeResources: {} }],
      metadata: { labels: { l: 'v' }, annotations: { a: 'v' } }, computeResources: { requests: { cpu: '2' } }, timeout: '5m',
    });
    expect(v1.status.results).toEqual([{ name: 'out', value: 'x' }]);
    expect(v1.status.pipelineSpec.tasks[0].taskSpec.steps[0].computeResources).toBeDefined();
    expect(Object.keys(JSON.parse(v1.metadata.annotations[TASK_DEPRECATIONS]))).toEqual(['first']);
    const expected = pipelineRun();
    const st = expected.status.pipelineSpec.tasks[0].taskSpec;
    for (const k of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'stdinOnce', 'tty']) {
      delete st.steps[0][k];
      delete st.stepTemplate[k];
    }
    delete st.stepTemplate.name;
    expect(back).toEqual(expected);
  });

  it('turns timeout into timeouts.pipeline (Tekton does not turn it back)', () => {
    const pr: O = { apiVersion: B1, kind: 'PipelineRun', metadata: { name: 'x' }, spec: { pipelineRef: { name: 'p' }, timeout: '2h', serviceAccountName: 'sa' } };
    const v1 = convertObject(pr, V1);
    expect(v1.spec).toEqual({ pipelineRef: { name: 'p' }, timeouts: { pipeline: '2h' }, taskRunTemplate: { serviceAccountName: 'sa' } });
    expect(convertObject(v1, B1).spec).toEqual({ pipelineRef: { name: 'p' }, timeouts: { pipeline: '2h' }, serviceAccountName: 'sa' });
  });

  it('drops the old embedded child statuses (status.taskRuns, status.runs) as Tekton does', () => {
    const pr = pipelineRun();
    pr.status.taskRuns = { 'pr-build': { pipelineTaskName: 'build' } };
    pr.status.runs = {};
    const v1 = convertObject(pr, V1);
    expect(v1.status).not.toHaveProperty('taskRuns');
    expect(v1.status).not.toHaveProperty('runs');
  });

  it('converts a bundle pipelineRef', () => {
    const pr: O = { apiVersion: B1, kind: 'PipelineRun', metadata: { name: 'x' }, spec: { pipelineRef: { name: 'p', bundle: 'reg/p:1' } } };
    expect(convertObject(pr, V1).spec.pipelineRef.params[2]).toEqual({ name: 'kind', value: 'Pipeline' });
  });
});

describe('v1 -> v1beta1 -> v1 (a v1 object read and written back at v1beta1, e.g. kubectl edit)', () => {
  it.each([['Task', task], ['Pipeline', pipeline], ['TaskRun', taskRun], ['PipelineRun', pipelineRun]] as const)('%s comes back unchanged', (_kind, make) => {
    const v1 = convertObject(make() as O, V1);
    const again = convertObject(convertObject(structuredClone(v1), B1), V1);
    expect(again).toEqual(v1);
  });
});

describe('other kinds and versions', () => {
  it('renames the apiVersion of kinds whose versions share one shape', () => {
    const sa: O = { apiVersion: 'tekton.dev/v1alpha1', kind: 'StepAction', metadata: { name: 's' }, spec: { image: 'alpine' } };
    expect(convertObject(sa, B1)).toEqual({ ...sa, apiVersion: B1 });
    const cr: O = { apiVersion: B1, kind: 'CustomRun', metadata: { name: 'c' }, spec: { customRef: { apiVersion: 'x/v1', kind: 'Wait' } } };
    expect(convertObject(cr, B1)).toBe(cr);
  });

  it('answers the same object when no conversion is needed', () => {
    const t = task();
    expect(convertObject(t, B1)).toBe(t);
  });
});

/** Every JSON field name of Tekton's v1beta1 types (task, container, pipeline, pipelinerun, taskrun, param, result,
 * workspace, when, matrix, resolver, taskref, pipelineref, provenance and artifact _types.go at tektoncd/pipeline
 * v1.15+), less `items` (of List kinds). */
const TEKTON_V1BETA1_FIELDS = `annotations apiVersion args beforeSteps breakpoints buildOutput bundle cel childReferences cloudEvents command
  completionTime computeResources condition configMap configSource container csi debug default description digest displayName emptyDir
  entryPoint enum env envFrom featureFlags finally finallyStartTime image imageID imagePullPolicy include input inputs kind labels
  lifecycle livenessProbe managedBy matrix message metadata mountPath name onError onFailure operator optional outputs params path
  persistentVolumeClaim pipeline pipelineRef pipelineResults pipelineSpec pipelineTaskName podName podTemplate ports projected properties
  provenance readOnly readinessProbe reason ref refSource resolver resources resourcesResult restartPolicy results retries retriesStatus
  retryCount runAfter runs script secret securityContext sentAt serviceAccountName sidecarOverrides sidecars skippedTasks spanContext spec
  startTime startupProbe status statusMessage stderrConfig stdin stdinOnce stdoutConfig stepOverrides stepTemplate steps subPath target
  taskPodTemplate taskRef taskResults taskRunSpecs taskRuns taskServiceAccountName taskSpec tasks terminationMessagePath
  terminationMessagePolicy timeout timeouts tty type uri value values volumeClaimTemplate volumeDevices volumeMounts volumes when
  whenExpressions workingDir workspace workspaces`.split(/\s+/);

function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.add(k); keysOf(x, out); }
  return out;
}

describe('coverage of the round-trip fixtures', () => {
  it('every field of Tekton\'s v1beta1 types appears in a round-tripped fixture or a dedicated test above', () => {
    const seen = keysOf([task(), pipeline(), taskRun(), pipelineRun()]);
    const dedicated = ['bundle', 'taskRuns', 'runs', 'timeout']; // bundle refs, old embedded statuses, PipelineRun timeout: tests above
    for (const k of dedicated) seen.add(k);
    expect(TEKTON_V1BETA1_FIELDS.filter((f) => !seen.has(f))).toEqual([]);
  });
});

describe('withoutNulls', () => {
  it('drops null fields as Tekton\'s Go types decode them, but keeps raw extensions', () => {
    const t = { apiVersion: B1, kind: 'Pipeline', metadata: { name: 'p', labels: null }, spec: {
      params: [{ name: 'x', default: null }], tasks: [{ name: 'c', taskSpec: { apiVersion: 'x/v1', kind: 'W', spec: { keep: null } } }] } };
    expect(withoutNulls(t)).toEqual({ apiVersion: B1, kind: 'Pipeline', metadata: { name: 'p' }, spec: {
      params: [{ name: 'x' }], tasks: [{ name: 'c', taskSpec: { apiVersion: 'x/v1', kind: 'W', spec: { keep: null } } }] } });
  });

  it('objectWithoutNulls cleans metadata and spec, leaves status, and answers the same object when there is no null', () => {
    const o = { apiVersion: V1, kind: 'TaskRun', metadata: { name: 'x' }, spec: { timeout: null }, status: { podName: null } };
    expect(objectWithoutNulls(o)).toEqual({ apiVersion: V1, kind: 'TaskRun', metadata: { name: 'x' }, spec: {}, status: { podName: null } });
    const clean = taskRun();
    expect(objectWithoutNulls(clean)).toBe(clean);
  });
});
