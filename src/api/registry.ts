/**
 * The kind registry: every API kind tektite serves or uses, with the facts the API server, the CRD
 * generator, the clients and the CLI need (group, version, plural, scope, short names, printer columns).
 * One table, used everywhere, so a kind is never described twice.
 */

/** A column of `kubectl get` output, as in a CRD's additionalPrinterColumns. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** JSONPath into the object, as in CRDs (`.status.conditions[?(@.type=="Succeeded")].status`). */
  jsonPath: string;
  priority?: number;
  description?: string;
}

export interface KindInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Has a /status subresource (status-only writes; generation bumps only on spec change). */
  statusSubresource: boolean;
  /** Tekton/Triggers kinds get a generated CRD in crds/. */
  crd: boolean;
  printerColumns?: PrinterColumn[];
  /** Extra subresources served besides status (e.g. pods/log). */
  subresources?: string[];
}

const succeededColumns: PrinterColumn[] = [
  { name: 'Succeeded', type: 'string', jsonPath: '.status.conditions[?(@.type=="Succeeded")].status' },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Succeeded")].reason' },
  { name: 'StartTime', type: 'date', jsonPath: '.status.startTime' },
  { name: 'CompletionTime', type: 'date', jsonPath: '.status.completionTime' },
];
const ageColumn: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

const TEKTON = 'tekton.dev';
const TRIGGERS = 'triggers.tekton.dev';
const tektonCats = ['tekton', 'tekton-pipelines'];
const triggerCats = ['tekton', 'tekton-triggers'];

function tekton(kind: string, plural: string, extra: Partial<KindInfo> = {}): KindInfo {
  return {
    group: TEKTON, version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced: true,
    categories: tektonCats, statusSubresource: true, crd: true, printerColumns: ageColumn, ...extra,
  };
}

function triggers(kind: string, plural: string, extra: Partial<KindInfo> = {}): KindInfo {
  return {
    group: TRIGGERS, version: 'v1beta1', kind, plural, singular: kind.toLowerCase(), namespaced: true,
    categories: triggerCats, statusSubresource: true, crd: true, printerColumns: ageColumn, ...extra,
  };
}

function core(group: string, version: string, kind: string, plural: string, extra: Partial<KindInfo> = {}): KindInfo {
  return {
    group, version, kind, plural, singular: kind.toLowerCase(), namespaced: true,
    statusSubresource: false, crd: false, ...extra,
  };
}

/** Every kind tektite knows. */
export const KINDS: readonly KindInfo[] = [
  tekton('Task', 'tasks', { statusSubresource: false }),
  tekton('TaskRun', 'taskruns', { shortNames: ['tr', 'trs'], printerColumns: succeededColumns }),
  tekton('Pipeline', 'pipelines', { statusSubresource: false }),
  tekton('PipelineRun', 'pipelineruns', { shortNames: ['pr', 'prs'], printerColumns: succeededColumns }),
  tekton('StepAction', 'stepactions', { version: 'v1beta1', statusSubresource: false }),
  tekton('CustomRun', 'customruns', { version: 'v1beta1', printerColumns: succeededColumns }),
  triggers('EventListener', 'eventlisteners', {
    shortNames: ['el'],
    printerColumns: [
      { name: 'Address', type: 'string', jsonPath: '.status.address.url' },
      { name: 'Available', type: 'string', jsonPath: '.status.conditions[?(@.type=="Available")].status' },
      { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Available")].reason' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
    ],
  }),
  triggers('Trigger', 'triggers', { shortNames: ['tri'], statusSubresource: false }),
  triggers('TriggerBinding', 'triggerbindings', { shortNames: ['tb'], statusSubresource: false }),
  triggers('ClusterTriggerBinding', 'clustertriggerbindings', { shortNames: ['ctb'], namespaced: false, statusSubresource: false }),
  triggers('TriggerTemplate', 'triggertemplates', { shortNames: ['tt'], statusSubresource: false }),
  triggers('Interceptor', 'interceptors', { shortNames: ['ni'], version: 'v1alpha1' }),
  triggers('ClusterInterceptor', 'clusterinterceptors', { shortNames: ['ci'], namespaced: false, version: 'v1alpha1' }),

  core('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], statusSubresource: true }),
  core('', 'v1', 'Pod', 'pods', { shortNames: ['po'], categories: ['all'], statusSubresource: true, subresources: ['log', 'exec', 'attach'] }),
  core('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  core('', 'v1', 'Secret', 'secrets'),
  core('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  core('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], statusSubresource: true }),
  core('', 'v1', 'PersistentVolume', 'persistentvolumes', { shortNames: ['pv'], namespaced: false, statusSubresource: true }),
  core('', 'v1', 'Service', 'services', { shortNames: ['svc'], categories: ['all'], statusSubresource: true }),
  core('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  core('apps', 'v1', 'Deployment', 'deployments', { shortNames: ['deploy'], categories: ['all'], statusSubresource: true }),
  core('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  core('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', {
    namespaced: false, shortNames: ['crd', 'crds'], statusSubresource: true,
  }),
  core('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  core('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', { namespaced: false }),
  core('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  core('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', { namespaced: false }),
  // answered, never stored (src/embedded/apiserver/access-review.ts)
  core('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', { namespaced: false }),
  core('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', { namespaced: false }),
  core('authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews'),
  // stored and served (so `kubectl apply -k config/` works); the embedded API server does not call them
  core('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', { namespaced: false }),
  core('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', { namespaced: false }),
  core('batch', 'v1', 'Job', 'jobs', { categories: ['all'], statusSubresource: true }),
  core('batch', 'v1', 'CronJob', 'cronjobs', { shortNames: ['cj'], categories: ['all'], statusSubresource: true }),
];

/** `apiVersion` string of a kind (`tekton.dev/v1`, `v1`). */
export function apiVersionOf(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

const byGroupKind = new Map(KINDS.map((k) => [`${k.group}/${k.kind}`, k]));
const byGroupPlural = new Map(KINDS.map((k) => [`${k.group}/${k.plural}`, k]));

/**
 * Finds a kind by apiVersion and kind. Tekton kinds are also accepted under the other versions Tekton serves
 * (tekton.dev/v1beta1 Task etc. and v1alpha1 StepAction), answering the registry entry of the stored version.
 */
export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return byGroupKind.get(`${group}/${kind}`);
}

/** Finds a kind by API group and plural resource name (`tekton.dev`, `pipelineruns`). */
export function kindForResource(group: string, plural: string): KindInfo | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

/** Versions served for a kind's group: Tekton serves v1 and v1beta1 (v1alpha1 for StepAction). */
export function servedVersions(info: KindInfo): string[] {
  if (info.group === TEKTON && info.kind === 'CustomRun') return ['v1beta1'];
  if (info.group === TEKTON) return info.kind === 'StepAction' ? ['v1beta1', 'v1alpha1'] : ['v1', 'v1beta1'];
  if (info.group === TRIGGERS) return info.version === 'v1alpha1' ? ['v1alpha1'] : ['v1beta1', 'v1alpha1'];
  return [info.version];
}

/** A `{apiVersion, kind}` reference to a registry kind, as clients take it. */
export interface KindReference {
  apiVersion: string;
  kind: string;
}

function refOf(kind: string): KindReference {
  const info = KINDS.find((k) => k.kind === kind);
  if (!info) throw new Error(`kind ${kind} is not in the registry`);
  return { apiVersion: apiVersionOf(info), kind };
}

/** References to the kinds the code reads and writes, taken from the registry so versions live in one place. */
export const REF = {
  Task: refOf('Task'),
  TaskRun: refOf('TaskRun'),
  Pipeline: refOf('Pipeline'),
  PipelineRun: refOf('PipelineRun'),
  StepAction: refOf('StepAction'),
  CustomRun: refOf('CustomRun'),
  EventListener: refOf('EventListener'),
  Trigger: refOf('Trigger'),
  TriggerBinding: refOf('TriggerBinding'),
  ClusterTriggerBinding: refOf('ClusterTriggerBinding'),
  TriggerTemplate: refOf('TriggerTemplate'),
  Interceptor: refOf('Interceptor'),
  ClusterInterceptor: refOf('ClusterInterceptor'),
  Pod: refOf('Pod'),
  Secret: refOf('Secret'),
  ServiceAccount: refOf('ServiceAccount'),
  ConfigMap: refOf('ConfigMap'),
  PersistentVolumeClaim: refOf('PersistentVolumeClaim'),
} as const;
