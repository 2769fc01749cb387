/** Objects for CLI tests, timed relative to the fixed clock NOW (2026-03-01T12:00:00Z). */
import type { KubeObject, Pipeline, PipelineRun, Task, TaskRun } from '../../src/api/types.js';
import { NOW } from './helpers/io.js';

/** NOW minus `s` seconds, as an RFC 3339 string. */
export function ago(s: number): string {
  return new Date(NOW.getTime() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ok = (reason = 'Succeeded', message = 'All Tasks have completed executing') => [{ type: 'Succeeded', status: 'True' as const, reason, message }];
const failed = (reason: string, message: string) => [{ type: 'Succeeded', status: 'False' as const, reason, message }];
const running = (reason = 'Running') => [{ type: 'Succeeded', status: 'Unknown' as const, reason, message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0' }];

/** The Pipeline `build`. */
export const pipeline: Pipeline = {
  apiVersion: 'tekton.dev/v1', kind: 'Pipeline',
  metadata: { name: 'build', namespace: 'default', creationTimestamp: ago(86_400 * 3) },
  spec: {
    description: 'Builds the application',
    params: [
      { name: 'url', type: 'string', description: 'the git repository to build' },
      { name: 'flags', type: 'array', default: ['-v', '--race'] },
    ],
    workspaces: [{ name: 'source' }, { name: 'cache', optional: true, description: 'build cache' }],
    tasks: [
      { name: 'fetch', taskRef: { name: 'git-clone' }, params: [{ name: 'url', value: '$(params.url)' }] },
      { name: 'compile', runAfter: ['fetch'], timeout: '10m0s', taskSpec: { steps: [{ name: 'build', image: 'golang' }] } },
      { name: 'deploy', runAfter: ['compile'], taskRef: { name: 'kubectl' } },
    ],
    finally: [{ name: 'notify', taskRef: { name: 'slack' } }],
  },
};

/** The Task `git-clone`. */
export const task: Task = {
  apiVersion: 'tekton.dev/v1', kind: 'Task',
  metadata: { name: 'git-clone', namespace: 'default', creationTimestamp: ago(86_400 * 10), labels: { 'app.kubernetes.io/version': '0.10' } },
  spec: {
    description: 'Clone a git repository into the output workspace',
    params: [{ name: 'url', description: 'repository URL' }, { name: 'revision', default: 'main' }],
    results: [{ name: 'commit', description: 'the commit SHA' }],
    workspaces: [{ name: 'output' }],
    steps: [{ name: 'clone', image: 'alpine/git' }],
  },
};

function taskRun(name: string, pipelineTask: string, pr: string, status: TaskRun['status']): TaskRun {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
    metadata: { name, namespace: 'default', labels: { 'tekton.dev/pipelineRun': pr, 'tekton.dev/pipelineTask': pipelineTask, 'tekton.dev/pipeline': 'build' } },
    spec: { taskRef: { name: 'git-clone' }, params: [{ name: 'url', value: 'https://example.com/app.git' }], serviceAccountName: 'builder', timeout: '1h0m0s' },
    status,
  };
}

const step = (name: string, reason: string, exitCode: number) => ({ name, container: `step-${name}`, terminated: { exitCode, reason, startedAt: ago(500), finishedAt: ago(480) } });

/** TaskRuns of build-run-1 (succeeded) and build-run-2 (failed). */
export const taskRuns: TaskRun[] = [
  taskRun('build-run-1-fetch', 'fetch', 'build-run-1', { conditions: ok('Succeeded', 'All Steps have completed executing'), startTime: ago(600), completionTime: ago(585), podName: 'build-run-1-fetch-pod', steps: [step('clone', 'Completed', 0)], results: [{ name: 'commit', value: '8d3f2a1' }] }),
  taskRun('build-run-1-compile', 'compile', 'build-run-1', { conditions: ok('Succeeded', 'All Steps have completed executing'), startTime: ago(584), completionTime: ago(510), podName: 'build-run-1-compile-pod', steps: [step('build', 'Completed', 0), step('test', 'Completed', 0)] }),
  taskRun('build-run-2-compile', 'compile', 'build-run-2', {
    conditions: failed('Failed', '"step-build" exited with code 1'), startTime: ago(300), completionTime: ago(240), podName: 'build-run-2-compile-pod',
    steps: [step('build', 'Error', 1), { name: 'test', container: 'step-test', terminated: { exitCode: 1, reason: 'Skipped' } }],
    sidecars: [{ name: 'docker', container: 'sidecar-docker', running: { startedAt: ago(300) } }],
  }),
];

function pipelineRun(name: string, status?: PipelineRun['status'], extra: Partial<PipelineRun['spec']> = {}): PipelineRun {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
    metadata: { name, namespace: 'default', labels: { 'tekton.dev/pipeline': 'build' } },
    spec: { pipelineRef: { name: 'build' }, params: [{ name: 'url', value: 'https://example.com/app.git' }], ...extra },
    ...(status ? { status } : {}),
  };
}

/** PipelineRuns in every state. */
export const pipelineRuns: PipelineRun[] = [
  pipelineRun('build-run-1', {
    conditions: ok(), startTime: ago(600), completionTime: ago(510),
    results: [{ name: 'commit', value: '8d3f2a1' }],
    childReferences: [
      { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'build-run-1-fetch', pipelineTaskName: 'fetch' },
      { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'build-run-1-compile', pipelineTaskName: 'compile' },
    ],
    skippedTasks: [{ name: 'deploy', reason: 'When Expressions evaluated to false' }],
  }, {
    params: [{ name: 'url', value: 'https://example.com/app.git' }, { name: 'flags', value: ['-v', '--race'] }, { name: 'env', value: { region: 'eu', tier: 'prod' } }],
    workspaces: [{ name: 'source', emptyDir: {} }, { name: 'cache', persistentVolumeClaim: { claimName: 'go-cache' }, subPath: 'go' }, { name: 'cfg', configMap: { name: 'settings' } }],
    taskRunTemplate: { serviceAccountName: 'builder' },
    timeouts: { pipeline: '1h0m0s', tasks: '50m0s' },
  }),
  pipelineRun('build-run-2', { conditions: failed('Failed', 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 2'), startTime: ago(300), completionTime: ago(239) }),
  pipelineRun('build-run-3', { conditions: running(), startTime: ago(30) }),
  pipelineRun('build-run-4', { conditions: failed('Cancelled', 'PipelineRun "build-run-4" was cancelled'), startTime: ago(7200), completionTime: ago(7170) }),
  pipelineRun('build-run-5', { conditions: failed('PipelineRunTimeout', 'PipelineRun "build-run-5" failed to finish within "1h0m0s"'), startTime: ago(86_400 * 2), completionTime: ago(86_400 * 2 - 3600) }),
  pipelineRun('build-run-6'),
];

/** An EventListener with two triggers. */
export const eventListener: KubeObject = {
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener',
  metadata: { name: 'github', namespace: 'default', creationTimestamp: ago(3600 * 5) },
  spec: {
    serviceAccountName: 'tekton-triggers',
    triggers: [
      { name: 'push', interceptors: [{ ref: { name: 'github' } }, { ref: { name: 'cel' } }], bindings: [{ ref: 'push-binding' }], template: { ref: 'build-template' } },
      { triggerRef: 'pull-request' },
    ],
  },
  status: { address: { url: 'http://el-github.default.svc.cluster.local:8080' }, conditions: [{ type: 'Available', status: 'True' }] },
};
