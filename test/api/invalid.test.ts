/**
 * A table of invalid objects: each must be rejected with an error at the exact field path, whose message
 * contains the given fragment (so messages keep naming what is wrong and what to do).
 */
import { describe, expect, it } from 'vitest';
import { validateObject } from '../../src/api/validate/index.js';

const step = (extra: Record<string, unknown> = {}) => ({ name: 's', image: 'busybox', script: 'true', ...extra });
const task = (spec: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [step()], ...spec } });
const inline = (results: string[] = []) => ({ steps: [step()], results: results.map((name) => ({ name })) });
const pt = (name: string, extra: Record<string, unknown> = {}) => ({ name, taskRef: { name: 'x' }, ...extra });
const pipeline = (spec: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec });
const taskRun = (spec: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr' }, spec: { taskRef: { name: 'x' }, ...spec } });
const pipelineRun = (spec: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr' }, spec: { pipelineRef: { name: 'p' }, ...spec } });
const trig = (kind: string, spec: Record<string, unknown>) => ({ apiVersion: 'triggers.tekton.dev/v1beta1', kind, metadata: { name: 'x' }, spec });
const res = (t: string, r: string) => `$(tasks.${t}.results.${r})`;

type Case = [string, unknown, string, string];

const cases: Case[] = [
  // ---- graph
  ['cycle of three tasks', pipeline({ tasks: [pt('a', { runAfter: ['c'] }), pt('b', { runAfter: ['a'] }), pt('c', { runAfter: ['b'] })] }),
    'spec.tasks', 'cycle detected; task "a" depends on "c" (path: "a" -> "c" -> "b" -> "a")'],
  ['cycle through a result reference', pipeline({ tasks: [
    pt('a', { params: [{ name: 'p', value: res('b', 'r') }] }), pt('b', { runAfter: ['a'] })] }), 'spec.tasks', 'cycle detected; task "a" depends on "b"'],
  ['task runs after itself', pipeline({ tasks: [pt('a', { runAfter: ['a'] })] }), 'spec.tasks', 'task "a" depends on "a"'],
  ['runAfter names a missing task', pipeline({ tasks: [pt('a'), pt('b', { runAfter: ['nope'] })] }), 'spec.tasks[1].runAfter[0]', 'runAfter names task "nope", which is not defined in spec.tasks'],
  ['result of a missing task', pipeline({ tasks: [pt('a'), pt('b', { params: [{ name: 'p', value: res('nope', 'r') }] })] }),
    'spec.tasks[1].params[0].value', 'refers to task "nope", which is not defined'],
  ['result the inline task does not declare', pipeline({ tasks: [{ name: 'a', taskSpec: inline(['out']) }, pt('b', { params: [{ name: 'p', value: res('a', 'nope') }] })] }),
    'spec.tasks[1].params[0].value', 'task "a" does not declare a result "nope" (declared: out)'],
  ['result reference in a when expression to a missing task', pipeline({ tasks: [pt('a', { when: [{ input: res('zz', 'r'), operator: 'in', values: ['x'] }] })] }),
    'spec.tasks[0].when[0].input', 'refers to task "zz"'],
  ['finally task with runAfter', pipeline({ tasks: [pt('a')], finally: [pt('f', { runAfter: ['a'] })] }), 'spec.finally[0].runAfter', 'cannot use runAfter'],
  ['finally without tasks', pipeline({ finally: [pt('f')] }), 'spec.finally', 'spec.tasks is empty but finally has 1 task(s)'],
  ['DAG task reads execution status', pipeline({ tasks: [pt('a'), pt('b', { params: [{ name: 'p', value: '$(tasks.a.status)' }] })] }),
    'spec.tasks[1].params[0].value', 'pipeline tasks can not refer to execution status'],
  ['DAG task reads aggregate status', pipeline({ tasks: [pt('a', { when: [{ input: '$(tasks.status)', operator: 'in', values: ['Failed'] }] })] }),
    'spec.tasks[0].when[0].input', 'can only be used in finally tasks'],
  ['finally reads status of a missing task', pipeline({ tasks: [pt('a')], finally: [pt('f', { params: [{ name: 'p', value: '$(tasks.zz.status)' }] })] }),
    'spec.finally[0].params[0].value', 'names task "zz", which is not defined'],
  ['DAG task uses a finally result', pipeline({ tasks: [pt('a', { params: [{ name: 'p', value: res('f', 'r') }] })], finally: [pt('f')] }),
    'spec.tasks[0].params[0].value', 'tasks cannot use results of finally tasks'],
  // ---- custom tasks and CustomRuns
  ['custom task ref without apiVersion', pipeline({ tasks: [{ name: 'a', taskRef: { kind: 'Wait' } }] }), 'spec.tasks[0].taskRef.apiVersion', 'custom task ref must specify apiVersion'],
  ['taskRef kind ClusterTask (removed from Tekton), with the fix', pipeline({ tasks: [{ name: 'a', taskRef: { name: 'git-clone', kind: 'ClusterTask' } }] }), 'spec.tasks[0].taskRef.apiVersion', 'custom task ref must specify apiVersion (kind ClusterTask was removed from Tekton: write kind: Task'],
  ['custom task ref with a bad apiVersion', pipeline({ tasks: [{ name: 'a', taskRef: { apiVersion: 'wait', kind: 'Wait' } }] }), 'spec.tasks[0].taskRef.apiVersion', 'must be in the format "group/version"'],
  ['custom task spec without kind', pipeline({ tasks: [{ name: 'a', taskSpec: { apiVersion: 'example.dev/v1' } }] }), 'spec.tasks[0].taskSpec.kind', 'custom task spec must specify kind'],
  ['CustomRun with neither customRef nor customSpec', { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: { name: 'c' }, spec: {} }, 'spec', 'got neither: spec.customRef, spec.customSpec'],
  ['CustomRun customRef without kind', { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: { name: 'c' }, spec: { customRef: { apiVersion: 'example.dev/v1' } } }, 'spec.customRef.kind', "the custom task's kind"],
  ['CustomRun statusMessage without status', { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: { name: 'c' }, spec: { customRef: { apiVersion: 'a.dev/v1', kind: 'K' }, statusMessage: 'x' } }, 'spec.statusMessage', 'statusMessage should not be set if status is not set'],
  ['CustomRun in tekton.dev/v1', { apiVersion: 'tekton.dev/v1', kind: 'CustomRun', metadata: { name: 'c' }, spec: { customRef: { apiVersion: 'a.dev/v1', kind: 'K' } } }, 'apiVersion', 'v1beta1'],
  // ---- names
  ['duplicate step names', task({ steps: [step(), step()] }), 'spec.steps[1].name', 'duplicate step name "s"'],
  ['step name not a DNS label', task({ steps: [step({ name: 'Build_It' })] }), 'spec.steps[0].name', 'invalid step name "Build_It"'],
  ['params differing only in case', task({ params: [{ name: 'Foo' }, { name: 'foo' }] }), 'spec.params[1].name', 'names are case-insensitive'],
  ['pipeline task name reused in finally', pipeline({ tasks: [pt('a')], finally: [pt('a')] }), 'spec.finally[0].name', 'duplicate pipeline task name "a"'],
  ['duplicate task workspaces', task({ workspaces: [{ name: 'w' }, { name: 'w', mountPath: '/x' }] }), 'spec.workspaces[1].name', 'duplicate workspace name "w"'],
  ['duplicate results', task({ results: [{ name: 'r' }, { name: 'r' }] }), 'spec.results[1].name', 'duplicate result name "r"'],
  ['missing metadata.name', { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: {}, spec: { steps: [step()] } }, 'metadata.name', 'set metadata.name (or metadata.generateName'],
  ['upper-case object name', { ...task({}), metadata: { name: 'MyTask' } }, 'metadata.name', 'invalid name "MyTask"'],
  ['EventListener name over 60 characters', { ...trig('EventListener', { triggers: [{ triggerRef: 't' }] }), metadata: { name: 'e'.repeat(61) } }, 'metadata.name', 'no more than 60'],
  // ---- shape
  ['misspelt step field', task({ steps: [{ name: 's', imag: 'busybox', script: 'true' }] }), 'spec.steps[0].imag', 'unknown field "imag"; did you mean "image"?'],
  ['v1beta1 PipelineRun timeout unparseable (named as written)', { ...pipelineRun({ timeout: '1 hour' }), apiVersion: 'tekton.dev/v1beta1' }, 'spec.timeout', 'is not a duration'],
  ['v1beta1 PipelineRun timeout with timeouts', { ...pipelineRun({ timeout: '1h', timeouts: { tasks: '1m' } }), apiVersion: 'tekton.dev/v1beta1' }, 'spec.timeout', 'must not set the field(s): spec.timeout, spec.timeouts'],
  ['v1beta1 PipelineResources', { ...task({ resources: { inputs: [{ name: 'src', type: 'git' }] } }), apiVersion: 'tekton.dev/v1beta1' }, 'spec.resources', 'must not set the field(s)'],
  ['misspelt metadata field', { ...task({}), metadata: { name: 't', lables: {} } }, 'metadata.lables', 'did you mean "labels"?'],
  ['v1beta1 step resources', task({ steps: [step({ resources: { limits: { cpu: '1' } } })] }), 'spec.steps[0].resources', '"computeResources"'],
  ['retries as a string', pipeline({ tasks: [pt('a', { retries: 'two' })] }), 'spec.tasks[0].retries', 'must be a number, not the string "two"'],
  ['steps not a list', { ...task({}), spec: { steps: { name: 's' } } }, 'spec.steps', 'must be a list, not an object'],
  ['steps missing', { ...task({}), spec: {} }, 'spec.steps', 'required field "steps" is missing: add it (a list)'],
  ['param value of the wrong shape', taskRun({ params: [{ name: 'p', value: [1, 2] }] }), 'spec.params[0].value', 'must be a string, a list of strings, or an object whose values are strings; got a list'],
  ['unsupported apiVersion', { ...task({}), apiVersion: 'tekton.dev/v2' }, 'apiVersion', 'must be one of "tekton.dev/v1", "tekton.dev/v1beta1"'],
  ['unknown tekton kind', { apiVersion: 'tekton.dev/v1', kind: 'ClusterTask', metadata: { name: 'x' }, spec: {} }, 'kind', '"ClusterTask" is not a tekton.dev kind'],
  // ---- steps
  ['script with command', task({ steps: [step({ command: ['sh'] })] }), 'spec.steps[0].script', 'script cannot be used with command'],
  ['StepAction ref with image', task({ steps: [{ name: 's', ref: { name: 'sa' }, image: 'x' }] }), 'spec.steps[0].image', 'image cannot be used with ref'],
  ['step without image', task({ steps: [{ name: 's', script: 'true' }] }), 'spec.steps[0].image', 'add an image'],
  ['mount under /tekton', task({ steps: [step({ volumeMounts: [{ name: 'v', mountPath: '/tekton/results' }] })] }), 'spec.steps[0].volumeMounts[0].mountPath', 'cannot be mounted under /tekton/'],
  ['step timeout unparseable', task({ steps: [step({ timeout: '5 minutes' })] }), 'spec.steps[0].timeout', 'is not a duration'],
  // ---- variables
  ['undeclared param in a Task step', task({ steps: [step({ script: 'echo $(params.missing)' })] }), 'spec.steps[0].script', 'refers to param "missing", which is not declared'],
  ['undeclared param in a Pipeline task', pipeline({ tasks: [pt('a', { params: [{ name: 'x', value: '$(params.nope)' }] })] }), 'spec.tasks[0].params[0].value', 'the pipeline does not declare'],
  ['undeclared param in a Pipeline inline task', pipeline({ params: [{ name: 'known' }], tasks: [{ name: 'a', params: [{ name: 'passed', value: 'v' }],
    taskSpec: { steps: [step({ script: 'echo $(params.known) $(params.passed) $(params.nope)' })] } }] }),
    'spec.tasks[0].taskSpec.steps[0].script', 'refers to param "nope", which is not declared'],
  ['array param inside a script', task({ params: [{ name: 'a', type: 'array' }], steps: [step({ script: 'echo $(params.a[*])' })] }), 'spec.steps[0].script', 'array param "a" can only be used whole'],
  ['object param key not declared', task({ params: [{ name: 'o', type: 'object', properties: { url: {} } }], steps: [step({ args: ['$(params.o.nope)'] })] }),
    'spec.steps[0].args[0]', 'uses key "nope", which object param "o" does not declare'],
  ['unknown context variable', task({ steps: [step({ script: 'echo $(context.taskRun.color)' })] }), 'spec.steps[0].script', 'not a known context variable'],
  ['undeclared result path in a script', task({ steps: [step({ script: 'echo hi > $(results.out.path)' })] }), 'spec.steps[0].script', 'refers to result "out", which the task does not declare'],
  ['step result used in a script', task({ steps: [step({ name: 'a' }), step({ name: 'b', script: 'echo $(steps.a.results.r)' })] }), 'spec.steps[1].script', 'can only be used in env, command, args'],
  ['StepAction param in script', { apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'sa' }, spec: { image: 'x', params: [{ name: 'p' }], script: 'echo $(params.p)' } },
    'spec.script', 'param substitution in scripts is not allowed'],
  // ---- params
  ['param type does not match default', task({ params: [{ name: 'a', type: 'array', default: 'x' }] }), 'spec.params[0].default', 'has type "array" but its default is a string'],
  ['object param without properties', task({ params: [{ name: 'o', type: 'object' }] }), 'spec.params[0].properties', 'must declare its keys in "properties"'],
  ['default not in enum', task({ params: [{ name: 'e', enum: ['a', 'b'], default: 'c' }] }), 'spec.params[0].default', 'is not one of the enum values'],
  ['invalid param name', task({ params: [{ name: '1st' }] }), 'spec.params[0].name', 'invalid param name "1st"'],
  // ---- timeouts
  ['TaskRun timeout unparseable', taskRun({ timeout: '1 hour' }), 'spec.timeout', '"1 hour" is not a duration'],
  ['pipeline task timeout negative', pipeline({ tasks: [pt('a', { timeout: '-5m' })] }), 'spec.tasks[0].timeout', 'is negative'],
  ['tasks + finally beyond pipeline', pipelineRun({ timeouts: { pipeline: '1h', tasks: '45m', finally: '30m' } }), 'spec.timeouts', 'must not exceed timeouts.pipeline (1h)'],
  ['tasks timeout beyond the default pipeline timeout', pipelineRun({ timeouts: { tasks: '2h' } }), 'spec.timeouts.tasks', 'must not exceed timeouts.pipeline (1h0m0s, the default)'],
  // ---- when
  ['when operator not in/notin', pipeline({ tasks: [pt('a', { when: [{ input: 'x', operator: 'equals', values: ['x'] }] })] }),
    'spec.tasks[0].when[0].operator', 'must be one of "in", "notin"'],
  ['when without values', pipeline({ tasks: [pt('a', { when: [{ input: 'x', operator: 'in', values: [] }] })] }), 'spec.tasks[0].when[0].values', 'at least one value'],
  ['when mixing cel and input', pipeline({ tasks: [pt('a', { when: [{ cel: "'a' == 'a'", input: 'x' }] })] }), 'spec.tasks[0].when[0]', 'either cel, or input/operator/values'],
  // ---- matrix, retries
  ['matrix param not an array', pipeline({ tasks: [pt('a', { matrix: { params: [{ name: 'os', value: 'linux' }] } })] }), 'spec.tasks[0].matrix.params[0].value', 'must be an array'],
  ['matrix over 256 combinations', pipeline({ tasks: [pt('a', { matrix: { params: ['x', 'y', 'z'].map((n) => ({ name: n, value: ['1', '2', '3', '4', '5', '6', '7'] })) } })] }),
    'spec.tasks[0].matrix', 'makes 343 combinations, more than the maximum of 256'],
  ['param in params and matrix', pipeline({ tasks: [pt('a', { params: [{ name: 'os', value: 'x' }], matrix: { params: [{ name: 'os', value: ['a'] }] } })] }),
    'spec.tasks[0].matrix.params[0].name', 'both params and matrix.params'],
  ['duplicate matrix params', pipeline({ tasks: [pt('a', { matrix: { params: [{ name: 'os', value: ['a'] }, { name: 'os', value: ['b'] }] } })] }),
    'spec.tasks[0].matrix.params[1].name', 'duplicate matrix param "os"'],
  ['onError continue with retries', pipeline({ tasks: [pt('a', { onError: 'continue', retries: 2 })] }), 'spec.tasks[0].onError', 'cannot be combined with retries'],
  // ---- sources and bindings
  ['pipeline task with no task source', pipeline({ tasks: [{ name: 'a' }] }), 'spec.tasks[0]', 'needs exactly one of taskRef or taskSpec'],
  ['TaskRun with taskRef and taskSpec', taskRun({ taskSpec: inline() }), 'spec.taskSpec', 'use exactly one'],
  ['workspace binding with two sources', taskRun({ workspaces: [{ name: 'w', emptyDir: {}, configMap: { name: 'c' } }] }), 'spec.workspaces[0].configMap', 'sets emptyDir and configMap; use exactly one source'],
  ['workspace binding with no source', pipelineRun({ workspaces: [{ name: 'w' }] }), 'spec.workspaces[0]', 'needs exactly one source'],
  ['pipeline task binds an undeclared workspace', pipeline({ tasks: [pt('a', { workspaces: [{ name: 'src', workspace: 'nope' }] })] }), 'spec.tasks[0].workspaces[0].workspace', 'the pipeline does not declare'],
  ['taskRunSpecs for a task the inline pipeline lacks', { ...pipelineRun({ taskRunSpecs: [{ pipelineTaskName: 'zz', timeout: '1m' }] }), spec: {
    pipelineSpec: { tasks: [{ name: 'a', taskSpec: inline() }] }, taskRunSpecs: [{ pipelineTaskName: 'zz' }] } },
    'spec.taskRunSpecs[0].pipelineTaskName', '"zz" is not a task of spec.pipelineSpec (tasks: a)'],
  ['computeResources with stepSpecs resources', taskRun({ computeResources: { limits: { cpu: '1' } }, stepSpecs: [{ name: 's', computeResources: { requests: { cpu: '1' } } }] }),
    'spec.computeResources', 'expected exactly one, got both'],
  ['taskRunSpecs computeResources with stepSpecs resources', pipelineRun({ taskRunSpecs: [{ pipelineTaskName: 'a', computeResources: { limits: { cpu: '1' } }, stepSpecs: [{ name: 's', computeResources: { limits: { cpu: '1' } } }] }] }),
    'spec.taskRunSpecs[0].computeResources', 'expected exactly one, got both'],
  ['PipelineRun set Pending after it started', { ...pipelineRun({ status: 'PipelineRunPending' }), status: { startTime: '2026-01-01T00:00:00Z' } },
    'spec.status', 'PipelineRun cannot be Pending after it is started'],
  ['TaskRun set Pending after it started', { ...taskRun({ status: 'TaskRunPending' }), status: { startTime: '2026-01-01T00:00:00Z' } },
    'spec.status', 'TaskRun cannot be Pending after it is started'],
  ['step workspace not declared', task({ steps: [step({ workspaces: [{ name: 'nope' }] })] }), 'spec.steps[0].workspaces[0].name', 'undefined workspace "nope"'],
  ['sidecar named like the results sidecar', task({ sidecars: [{ name: 'tekton-log-results', image: 'x' }] }), 'spec.sidecars[0].name', 'cannot use reserved sidecar name'],
  ['step writes an undeclared step result', task({ steps: [step({ results: [{ name: 'r' }], script: 'echo > $(step.results.zz.path)' })] }), 'spec.steps[0].script', 'non-existent variable `step.results.zz.path`'],
  ['task result as a PipelineRun param value', pipelineRun({ params: [{ name: 'x', value: '$(tasks.a.results.r)' }] }), 'spec.params[0].value', 'cannot use result expressions in [tasks.a.results.r]'],
  // ---- pipeline results
  ['pipeline result from a param', pipeline({ tasks: [pt('a')], results: [{ name: 'r', value: '$(params.x)' }] }), 'spec.results[0].value', 'is not a task result reference'],
  ['pipeline result without a value (catalog sample git-cli 0.1)', pipeline({ tasks: [pt('a')], results: [{ name: 'commit' }] }), 'spec.results[0].value', 'required field "value" is missing: add it (a string, a list of strings, or an object whose values are strings)'],
  ['param without a value', taskRun({ params: [{ name: 'p' }] }), 'spec.params[0].value', 'required field "value" is missing: add it'],
  ['pipeline result without references', pipeline({ tasks: [pt('a')], results: [{ name: 'r', value: 'constant' }] }), 'spec.results[0].value', 'expected pipeline results to be task result expressions'],
  ['pipeline result of a missing task', pipeline({ tasks: [pt('a')], results: [{ name: 'r', value: res('zz', 'x') }] }), 'spec.results[0].value', 'refers to a nonexistent task "zz"'],
  // ---- triggers
  ['EventListener trigger without template', trig('EventListener', { triggers: [{ name: 't', bindings: [{ ref: 'b' }] }] }), 'spec.triggers[0].template', 'needs a template'],
  ['EventListener triggerRef with template', trig('EventListener', { triggers: [{ triggerRef: 't', template: { ref: 'x' } }] }), 'spec.triggers[0].template', 'cannot be used with triggerRef'],
  ['TriggerTemplate without resource templates', trig('TriggerTemplate', { resourcetemplates: [] }), 'spec.resourcetemplates', 'at least one resource template'],
  ['TriggerBinding unbalanced expression', trig('TriggerBinding', { params: [{ name: 'a', value: '$(body.x' }] }), 'spec.params[0].value', 'unbalanced "$("'],
  ['interceptor with neither ref nor webhook', trig('Trigger', { template: { ref: 't' }, interceptors: [{ params: [] }] }), 'spec.interceptors[0]', 'needs ref'],
];

describe('invalid objects are rejected at the right path', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  it.each(cases)('%s', (_name, obj, path, fragment) => {
    const r = validateObject(obj);
    expect(r.ok).toBe(false);
    const atPath = r.errors.filter((e) => e.path === path);
    expect(atPath.map((e) => e.message), `errors were: ${JSON.stringify(r.errors, null, 1)}`).toEqual(
      expect.arrayContaining([expect.stringContaining(fragment)]),
    );
  });
});

describe('unknown field policy and robustness', () => {
  const bad = task({ steps: [step({ colour: 'red' })] });
  it('Strict makes unknown fields errors', () => {
    expect(validateObject(bad).errors).toEqual([{ path: 'spec.steps[0].colour', message: expect.stringContaining('unknown field "colour"') }]);
  });
  it('Warn makes them warnings and still runs semantic checks', () => {
    const r = validateObject(task({ steps: [step({ colour: 'red', command: ['sh'] })] }), { unknownFields: 'Warn' });
    expect(r.warnings.map((w) => w.path)).toEqual(['spec.steps[0].colour']);
    expect(r.errors.map((e) => e.path)).toEqual(['spec.steps[0].script']);
  });
  it('Ignore drops them', () => {
    expect(validateObject(bad, { unknownFields: 'Ignore' })).toEqual({ ok: true, errors: [], warnings: [] });
  });
  it('does not check status, which controllers own', () => {
    const tr = { ...taskRun({}), status: { podName: 'p', taskSpec: { steps: [{ anything: true }] }, whatever: [1] } };
    expect(validateObject(tr)).toEqual({ ok: true, errors: [], warnings: [] });
  });
  it('accepts core kinds without checking them', () => {
    expect(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, anything: 1 }).ok).toBe(true);
  });
  it.each([null, 3, 'text', [], {}, { apiVersion: 'tekton.dev/v1', kind: 'Task' }, { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec: { tasks: [null] } }])(
    'never throws on garbage (%j)', (input) => {
      const r = validateObject(input);
      expect(r.ok).toBe(false);
      expect(r.errors.length).toBeGreaterThan(0);
    },
  );
});
