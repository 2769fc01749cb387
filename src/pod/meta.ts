/**
 * Pod metadata and pod-level fields: name, labels, annotations, owner reference, restart policy, deadline,
 * service account and the TaskRun's podTemplate.
 */
import type { Container, EnvVar, ObjectMeta, PodSpec, PodTemplate, TaskRun, Volume } from '../api/types.js';
import { parseDuration } from '../engine/durations.js';
import { READY_ANNOTATION } from './layout.js';

/** Annotations of the TaskRun that the pod does not inherit. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/** The pod's metadata (Tekton's pod.go). */
export function podMetadata(taskRun: TaskRun, podName: string, managedBy: string, readyNow: boolean): ObjectMeta {
  const tr = taskRun.metadata;
  const labels: Record<string, string> = {
    ...tr.labels,
    'tekton.dev/taskRun': tr.name ?? '',
    'app.kubernetes.io/managed-by': managedBy,
  };
  if (tr.uid) labels['tekton.dev/taskRunUID'] = tr.uid;
  const annotations: Record<string, string> = { ...tr.annotations };
  for (const key of DROPPED_ANNOTATIONS) delete annotations[key];
  if (readyNow) annotations[READY_ANNOTATION] = 'READY';
  const meta: ObjectMeta = { name: podName, labels, annotations };
  if (tr.namespace) meta.namespace = tr.namespace;
  meta.ownerReferences = [{
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: tr.name ?? '', uid: tr.uid ?? '', controller: true, blockOwnerDeletion: true,
  }];
  return meta;
}

/** activeDeadlineSeconds = 1.5 × the TaskRun timeout; undefined when the timeout is 0, absent or invalid. */
export function activeDeadlineSeconds(timeout: string | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  const ms = parseDuration(timeout);
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.max(1, Math.floor((ms / 1000) * 1.5));
}

/** podTemplate fields copied as they are onto the pod spec. */
const TEMPLATE_FIELDS = [
  'nodeSelector', 'tolerations', 'affinity', 'securityContext', 'runtimeClassName', 'automountServiceAccountToken',
  'dnsPolicy', 'dnsConfig', 'enableServiceLinks', 'priorityClassName', 'schedulerName', 'imagePullSecrets',
  'hostAliases', 'hostNetwork', 'hostUsers', 'topologySpreadConstraints',
] as const;

/** Pod-level spec fields from the TaskRun (restart policy, deadline, service account, podTemplate). */
export function podLevelSpec(taskRun: TaskRun): Omit<PodSpec, 'containers'> {
  const spec: Omit<PodSpec, 'containers'> = { restartPolicy: 'Never' };
  const deadline = activeDeadlineSeconds(taskRun.spec.timeout);
  if (deadline !== undefined) spec.activeDeadlineSeconds = deadline;
  if (taskRun.spec.serviceAccountName) spec.serviceAccountName = taskRun.spec.serviceAccountName;
  const tpl: PodTemplate = taskRun.spec.podTemplate ?? {};
  for (const key of TEMPLATE_FIELDS) {
    if (tpl[key] !== undefined) (spec as Record<string, unknown>)[key] = structuredClone(tpl[key]);
  }
  return spec;
}

/** Volumes merged by name; later lists win (task volumes, then podTemplate volumes). */
export function mergeVolumes(...lists: ReadonlyArray<readonly Volume[] | undefined>): Volume[] {
  const byName = new Map<string, Volume>();
  for (const list of lists) for (const v of list ?? []) byName.set(v.name, structuredClone(v));
  return [...byName.values()];
}

/** podTemplate env first, the container's own variables win by name. */
export function withTemplateEnv<C extends Pick<Container, 'env'>>(c: C, templateEnv: readonly EnvVar[] | undefined): C {
  if (!templateEnv || templateEnv.length === 0) return c;
  const own = c.env ?? [];
  const names = new Set(own.map((e) => e.name));
  return { ...c, env: [...templateEnv.filter((e) => !names.has(e.name)).map((e) => ({ ...e })), ...own] };
}

/**
 * Tekton's MergePodTemplateWithDefault (config-defaults `default-pod-template`): the TaskRun's own template wins
 * field by field; env and volumes are merged by name, the TaskRun's entries winning.
 */
export function mergePodTemplate(defaults: PodTemplate | undefined, own: PodTemplate | undefined): PodTemplate | undefined {
  if (!defaults) return own;
  if (!own) return structuredClone(defaults);
  const out: PodTemplate = { ...structuredClone(defaults), ...own };
  const byName = <T extends { name: string }>(a: T[] | undefined, b: T[] | undefined): T[] | undefined => {
    if (!a || !b) return b ?? a;
    const mine = new Set(b.map((x) => x.name));
    return [...a.filter((x) => !mine.has(x.name)), ...b];
  };
  const env = byName(defaults.env, own.env);
  const volumes = byName(defaults.volumes, own.volumes);
  if (env) out.env = env;
  if (volumes) out.volumes = volumes;
  return out;
}

/** The TaskRun with the default pod template merged under its own (unchanged when there is no default). */
export function withDefaultPodTemplate(taskRun: TaskRun, defaults: PodTemplate | undefined): TaskRun {
  if (!defaults) return taskRun;
  const podTemplate = mergePodTemplate(defaults, taskRun.spec.podTemplate);
  return { ...taskRun, spec: { ...taskRun.spec, ...(podTemplate ? { podTemplate } : {}) } };
}
