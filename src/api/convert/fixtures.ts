/**
 * v1beta1 objects that set every field of Tekton's v1beta1 types (pkg/apis/pipeline/v1beta1/*_types.go), for
 * the round-trip tests. Used by convert.test.ts and paths.test.ts.
 */
type Loose = Record<string, any>;

const container = {
  image: 'alpine', command: ['sh'], args: ['-c', 'true'], workingDir: '/w',
  envFrom: [{ configMapRef: { name: 'cm' } }], env: [{ name: 'A', value: 'a' }],
  resources: { limits: { cpu: '1' }, requests: { memory: '64Mi' } },
  volumeMounts: [{ name: 'v', mountPath: '/v' }], volumeDevices: [{ name: 'd', devicePath: '/dev/x' }],
  imagePullPolicy: 'IfNotPresent', securityContext: { runAsUser: 1000 },
};
const deprecated = {
  ports: [{ containerPort: 8080 }], livenessProbe: { exec: { command: ['true'] } }, readinessProbe: { tcpSocket: { port: 1 } },
  startupProbe: { httpGet: { path: '/', port: 2 } }, lifecycle: { preStop: { exec: { command: ['x'] } } },
  terminationMessagePath: '/dev/tm', terminationMessagePolicy: 'FallbackToLogsOnError', stdin: true, stdinOnce: true, tty: true,
};
const param = { name: 'p', value: 'v' };

/** A v1beta1 TaskSpec with every field. */
export function taskSpec(): Record<string, unknown> {
  return {
    params: [
      { name: 's', type: 'string', description: 'd', default: 'x', enum: ['x', 'y'] },
      { name: 'a', type: 'array', default: ['1'] },
      { name: 'o', type: 'object', properties: { k: { type: 'string' } }, default: { k: 'v' } },
    ],
    displayName: 'Task D', description: 'desc',
    steps: [
      {
        name: 'one', displayName: 'Step one', ...container, ...deprecated, script: 'echo', timeout: '1m',
        workspaces: [{ name: 'ws', mountPath: '/ws' }], onError: 'continue', stdoutConfig: { path: '/o' }, stderrConfig: { path: '/e' },
        results: [{ name: 'r', type: 'string', description: 'sr' }], when: [{ input: 'a', operator: 'in', values: ['a'] }],
      },
      { name: 'two', ref: { name: 'sa' }, params: [param] },
      { name: 'three', ref: { resolver: 'git', params: [param] } },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
    stepTemplate: { name: 'tmpl', ...container, ...deprecated },
    sidecars: [{
      name: 'side', ...container, ports: [{ containerPort: 1 }], livenessProbe: {}, readinessProbe: {}, startupProbe: {}, lifecycle: {},
      terminationMessagePath: '/t', terminationMessagePolicy: 'File', stdin: true, stdinOnce: true, tty: true, script: 's',
      workspaces: [{ name: 'ws' }], restartPolicy: 'Always',
    }],
    workspaces: [{ name: 'ws', description: 'w', mountPath: '/ws', readOnly: true, optional: true }],
    results: [
      { name: 'r', type: 'string', description: 'tr' },
      { name: 'obj', type: 'object', properties: { k: { type: 'string' } } },
      { name: 'val', type: 'string', value: '$(steps.one.results.r)' },
    ],
  };
}

/** A v1beta1 PipelineSpec with every field (no PipelineResources: those are refused at admission). */
export function pipelineSpec(): Record<string, unknown> {
  const pt = {
    name: 'build', displayName: 'Build', description: 'b', taskRef: { name: 't', kind: 'Task' },
    when: [{ input: '$(params.s)', operator: 'in', values: ['x'] }, { cel: "'a' == 'a'" }],
    retries: 1, runAfter: ['first'], params: [param],
    matrix: { params: [{ name: 'm', value: ['1', '2'] }], include: [{ name: 'inc', params: [param] }] },
    workspaces: [{ name: 'ws', workspace: 'shared', subPath: 'sub' }], timeout: '10m', onError: 'continue',
  };
  return {
    displayName: 'Pipe', description: 'pd',
    tasks: [
      { name: 'first', taskSpec: { apiVersion: 'example.dev/v0', kind: 'Wait', spec: { x: 1 }, metadata: { labels: { l: '1' }, annotations: { a: '2' } }, ...taskSpec() } },
      pt,
      { name: 'remote', taskRef: { resolver: 'git', params: [param] } },
      { name: 'custom', taskRef: { apiVersion: 'example.dev/v0', kind: 'Wait', name: 'w' } },
      { name: 'child', pipelineRef: { name: 'sub' } },
      { name: 'inline-child', pipelineSpec: { tasks: [{ name: 'x', taskSpec: { steps: [{ name: 's', image: 'alpine', resources: { limits: { cpu: '1' } } }] } }] } },
    ],
    params: [{ name: 's', type: 'string', default: 'x' }, { name: 'arr', type: 'array' }],
    workspaces: [{ name: 'shared', description: 's', optional: true }],
    results: [{ name: 'out', type: 'string', description: 'o', value: '$(tasks.build.results.r)' }],
    finally: [{ name: 'fin', taskSpec: { steps: [{ name: 's', image: 'alpine', resources: { limits: { cpu: '1' } } }] } }],
  };
}

const podTemplate = { nodeSelector: { disk: 'ssd' }, securityContext: { runAsNonRoot: true }, env: [{ name: 'E', value: 'e' }] };
const condition = { type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'ok', lastTransitionTime: '2024-01-01T00:00:00Z' };
const terminated = { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:01Z', containerID: 'c' } };
const provenance = { configSource: { uri: 'git+https://x', digest: { sha1: 'abc' }, entryPoint: 'task.yaml' }, refSource: { uri: 'git+https://x', digest: { sha1: 'abc' }, entryPoint: 'task.yaml' }, featureFlags: { enableAPIFields: 'beta' } };

/** A v1beta1 TaskRun with every spec and status field. */
export function taskRun(): Loose {
  return {
    apiVersion: 'tekton.dev/v1beta1', kind: 'TaskRun',
    metadata: { name: 'tr', namespace: 'default', labels: { a: 'b' }, annotations: { keep: 'me' } },
    spec: {
      debug: { breakpoints: { onFailure: 'enabled', beforeSteps: ['one'] } }, params: [param, { name: 'arr', value: ['a'] }, { name: 'obj', value: { k: 'v' } }],
      serviceAccountName: 'sa', taskSpec: taskSpec(), status: 'TaskRunCancelled', statusMessage: 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.',
      retries: 2, timeout: '1h', podTemplate, workspaces: [
        { name: 'a', subPath: 's', emptyDir: {} }, { name: 'b', persistentVolumeClaim: { claimName: 'c' } }, { name: 'c', configMap: { name: 'cm' } },
        { name: 'd', secret: { secretName: 's' } }, { name: 'e', projected: { sources: [] } }, { name: 'f', csi: { driver: 'x' } },
        { name: 'g', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } },
      ],
      stepOverrides: [{ name: 'one', resources: { requests: { cpu: '1' } } }], sidecarOverrides: [{ name: 'side', resources: { limits: { cpu: '1' } } }],
      computeResources: { requests: { memory: '1Gi' } }, managedBy: 'example.dev/controller',
    },
    status: {
      conditions: [condition], observedGeneration: 1, annotations: { s: 'a' }, podName: 'tr-pod', startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T00:01:00Z',
      steps: [{ name: 'one', container: 'step-one', imageID: 'docker.io/alpine@sha256:1', ...terminated, results: [{ name: 'r', type: 'string', value: 'x' }], provenance, inputs: [{ name: 'in', values: [{ uri: 'u', digest: { sha256: 'd' } }] }], outputs: [{ name: 'out', buildOutput: true, values: [] }] }],
      cloudEvents: [{ target: 'http://sink', status: { condition: 'Sent', sentAt: '2024-01-01T00:00:00Z', message: '', retryCount: 1 } }],
      retriesStatus: [{ conditions: [condition], podName: 'tr-pod-retry1', taskResults: [{ name: 'r', type: 'string', value: 'y' }] }],
      resourcesResult: [{ key: 'digest', value: 'sha', resourceName: 'img' }],
      taskResults: [{ name: 'r', type: 'string', value: 'x' }, { name: 'a', type: 'array', value: ['1'] }],
      sidecars: [{ name: 'side', container: 'sidecar-side', imageID: 'i', ...terminated }],
      taskSpec: taskSpec(), provenance, spanContext: { traceparent: 't' },
    },
  };
}

/** A v1beta1 PipelineRun with every spec and status field. */
export function pipelineRun(): Loose {
  return {
    apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun',
    metadata: { name: 'pr', namespace: 'default' },
    spec: {
      pipelineSpec: pipelineSpec(), params: [param], serviceAccountName: 'builder', status: 'Cancelled',
      timeouts: { pipeline: '1h', tasks: '30m', finally: '10m' }, podTemplate, workspaces: [{ name: 'shared', emptyDir: {} }],
      taskRunSpecs: [{
        pipelineTaskName: 'build', taskServiceAccountName: 'sa-build', taskPodTemplate: { nodeSelector: { a: 'b' } },
        stepOverrides: [{ name: 'one', resources: { requests: { cpu: '1' } } }], sidecarOverrides: [{ name: 'side', resources: {} }],
        metadata: { labels: { l: 'v' }, annotations: { a: 'v' } }, computeResources: { requests: { cpu: '2' } }, timeout: '5m',
      }],
      managedBy: 'example.dev/controller',
    },
    status: {
      conditions: [condition], startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T01:00:00Z',
      pipelineResults: [{ name: 'out', value: 'x' }], pipelineSpec: pipelineSpec(),
      skippedTasks: [{ name: 'skip', reason: 'When Expressions evaluated to false', whenExpressions: [{ input: 'a', operator: 'in', values: ['b'] }] }],
      childReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'pr-build', displayName: 'Build', pipelineTaskName: 'build', whenExpressions: [] }],
      finallyStartTime: '2024-01-01T00:59:00Z', provenance, spanContext: { traceparent: 't' },
    },
  };
}
