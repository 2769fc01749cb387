/** A small valid object (without apiVersion, kind and metadata) of every registry kind, for fuzz.test.ts. */
const step = { name: 'a', image: 'busybox', script: 'echo hi' };
const podSpec = { containers: [{ name: 'c', image: 'busybox', command: ['true'] }], restartPolicy: 'Never' };
const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }];
const subjects = [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }];

export const BASES: Record<string, Record<string, unknown>> = {
  Task: { spec: { params: [{ name: 'p', default: 'x' }], steps: [step], results: [{ name: 'r' }] } },
  TaskRun: { spec: { params: [{ name: 'p', value: 'x' }], taskSpec: { steps: [step] }, timeout: '1m' } },
  Pipeline: { spec: { params: [{ name: 'p' }], tasks: [{ name: 't', taskSpec: { steps: [step] }, params: [{ name: 'p', value: '$(params.p)' }] }] } },
  CustomRun: { spec: { customRef: { apiVersion: 'example.dev/v1', kind: 'Example', name: 'x' }, params: [{ name: 'p', value: 'x' }], timeout: '1m' } },
  PipelineRun: { spec: { pipelineSpec: { tasks: [{ name: 't', taskSpec: { steps: [step] } }] }, timeouts: { pipeline: '1h' } } },
  StepAction: { spec: { image: 'busybox', script: 'echo hi', params: [{ name: 'p', default: 'x' }] } },
  EventListener: { spec: { serviceAccountName: 'default', triggers: [{ name: 't', bindings: [{ ref: 'b' }], template: { ref: 'tt' } }] } },
  Trigger: { spec: { bindings: [{ name: 'n', value: 'v' }], template: { ref: 'tt' } } },
  TriggerBinding: { spec: { params: [{ name: 'n', value: '$(body.x)' }] } },
  ClusterTriggerBinding: { spec: { params: [{ name: 'n', value: '$(body.x)' }] } },
  TriggerTemplate: { spec: { params: [{ name: 'n' }], resourcetemplates: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'x-' }, spec: { pipelineRef: { name: 'p' } } }] } },
  Interceptor: { spec: { clientConfig: { url: 'http://127.0.0.1:1/x' } } },
  ClusterInterceptor: { spec: { clientConfig: { url: 'http://127.0.0.1:1/x' } } },
  Namespace: { spec: { finalizers: ['kubernetes'] } },
  Pod: { spec: podSpec },
  ConfigMap: { data: { a: 'b' } },
  Secret: { data: { a: 'Yg==' }, stringData: { b: 'c' }, type: 'Opaque' },
  ServiceAccount: { secrets: [{ name: 's' }], imagePullSecrets: [{ name: 'p' }] },
  PersistentVolumeClaim: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  PersistentVolume: { spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/x' } } },
  Service: { spec: { selector: { a: 'b' }, ports: [{ port: 80, targetPort: 8080 }] } },
  Event: { involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'R', message: 'm', type: 'Normal', count: 1 },
  Deployment: { spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } } },
  Lease: { spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } },
  CustomResourceDefinition: {
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { kind: 'Thing', plural: 'things', singular: 'thing' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
    },
  },
  Role: { rules },
  ClusterRole: { rules },
  RoleBinding: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects },
  ClusterRoleBinding: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects },
  MutatingWebhookConfiguration: { webhooks: [{ name: 'w.example.com', clientConfig: { url: 'https://w.example.com/mutate' }, rules: [{ apiGroups: ['fuzz.example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }], sideEffects: 'None', admissionReviewVersions: ['v1'] }] },
  ValidatingWebhookConfiguration: { webhooks: [{ name: 'w.example.com', clientConfig: { url: 'https://w.example.com/validate' }, rules: [{ apiGroups: ['fuzz.example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }], sideEffects: 'None', admissionReviewVersions: ['v1'] }] },
  SelfSubjectAccessReview: { spec: { resourceAttributes: { verb: 'get', group: '', resource: 'pods', namespace: 'default' } } },
  SubjectAccessReview: { spec: { user: 'alice', groups: ['devs'], resourceAttributes: { verb: 'get', group: '', resource: 'pods', namespace: 'default' } } },
  LocalSubjectAccessReview: { spec: { user: 'alice', resourceAttributes: { verb: 'get', group: '', resource: 'pods' } } },
  Job: { spec: { template: { spec: podSpec }, backoffLimit: 0 } },
  CronJob: { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: podSpec } } } } },
};
