/**
 * The types of the core kinds the embedded API server stores, as far as any code of tektite reads them (the
 * kubelet, controllers, garbage collector, table printers, selectors). kube-apiserver decodes a body into Go
 * structs before anything else sees it, so a wrong-typed field never reaches a controller; these schemas give
 * the same guarantee here. Only types are checked: unknown fields pass (the typecheck ignores
 * `unrecognized_keys` issues), semantic rules stay with the consumers.
 */
import { z } from 'zod';
import {
  ContainerPortSchema, EnvFromSourceSchema, EnvVarSchema, ObjectMetaSchema, PodSecurityContextSchema, ProbeSchema,
  SecurityContextSchema, StringMap, VolumeDeviceSchema, VolumeMountSchema, VolumeSchema,
} from '../../api/schemas/index.js';

const str = z.string().optional();
const strs = z.array(z.string()).optional();
const int = z.number().int().optional();
const bool = z.boolean().optional();
const time = z.string().nullish();
const obj = z.record(z.string(), z.unknown()).optional();
const named = z.looseObject({ name: z.string().optional() });

const Container = z.looseObject({
  name: z.string(), image: str, command: strs, args: strs, workingDir: str,
  env: z.array(EnvVarSchema).optional(), envFrom: z.array(EnvFromSourceSchema).optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(), volumeDevices: z.array(VolumeDeviceSchema).optional(),
  ports: z.array(ContainerPortSchema).optional(), resources: obj, securityContext: SecurityContextSchema.optional(),
  readinessProbe: ProbeSchema.optional(), livenessProbe: ProbeSchema.optional(), startupProbe: ProbeSchema.optional(),
  terminationMessagePath: str, terminationMessagePolicy: str, imagePullPolicy: str, stdin: bool, tty: bool, restartPolicy: str,
});

const PodSpec = z.looseObject({
  containers: z.array(Container), initContainers: z.array(Container).optional(), volumes: z.array(VolumeSchema).optional(),
  restartPolicy: str, serviceAccountName: str, serviceAccount: str, nodeName: str, activeDeadlineSeconds: int,
  terminationGracePeriodSeconds: int, securityContext: PodSecurityContextSchema.optional(), imagePullSecrets: z.array(named).optional(),
  hostNetwork: bool, hostPID: bool, hostIPC: bool, hostUsers: bool, nodeSelector: StringMap.optional(), automountServiceAccountToken: bool,
  runtimeClassName: str, priorityClassName: str, schedulerName: str, dnsPolicy: str, enableServiceLinks: bool,
});

const ContainerState = z.looseObject({
  waiting: z.looseObject({ reason: str, message: str }).optional(),
  running: z.looseObject({ startedAt: time }).optional(),
  terminated: z.looseObject({ exitCode: z.number().int(), reason: str, message: str, startedAt: time, finishedAt: time }).optional(),
});
const ContainerStatus = z.looseObject({
  name: z.string(), state: ContainerState.optional(), lastState: ContainerState.optional(), ready: bool, restartCount: int,
  image: str, imageID: str, containerID: str, started: bool,
});
const Condition = z.looseObject({ type: z.string(), status: z.string(), reason: str, message: str, lastTransitionTime: time });
const Conditions = z.array(Condition).optional();

const PodStatus = z.looseObject({
  phase: str, reason: str, message: str, startTime: time, podIP: str, hostIP: str, qosClass: str, conditions: Conditions,
  containerStatuses: z.array(ContainerStatus).optional(), initContainerStatuses: z.array(ContainerStatus).optional(),
});

const PodTemplateSpec = z.looseObject({ metadata: ObjectMetaSchema.optional(), spec: PodSpec });
const LabelSelector = z.looseObject({
  matchLabels: StringMap.optional(),
  matchExpressions: z.array(z.looseObject({ key: z.string(), operator: z.string(), values: strs })).optional(),
});

const PolicyRule = z.looseObject({ apiGroups: strs, resources: strs, verbs: z.array(z.string()), resourceNames: strs, nonResourceURLs: strs });
const Subject = z.looseObject({ kind: z.string(), name: z.string(), namespace: str, apiGroup: str });
const RoleRef = z.looseObject({ apiGroup: z.string(), kind: z.string(), name: z.string() });

const JobSpec = z.looseObject({ template: PodTemplateSpec, backoffLimit: int, completions: int, parallelism: int, activeDeadlineSeconds: int });

const CrdVersion = z.looseObject({
  name: z.string(), served: z.boolean(), storage: z.boolean(), schema: obj, subresources: obj,
  additionalPrinterColumns: z.array(z.looseObject({ name: z.string(), type: z.string(), jsonPath: z.string() })).optional(),
});

/** Top-level fields (besides apiVersion, kind, metadata) of each core kind, by kind. */
const FIELDS: Record<string, Record<string, z.ZodType>> = {
  Namespace: { spec: z.looseObject({ finalizers: strs }).optional(), status: z.looseObject({ phase: str, conditions: Conditions }).optional() },
  Pod: { spec: PodSpec, status: PodStatus.optional() },
  ConfigMap: { data: StringMap.optional(), binaryData: StringMap.optional(), immutable: bool },
  Secret: { data: StringMap.optional(), stringData: StringMap.optional(), type: str, immutable: bool },
  ServiceAccount: { secrets: z.array(named).optional(), imagePullSecrets: z.array(named).optional(), automountServiceAccountToken: bool },
  PersistentVolumeClaim: {
    spec: z.looseObject({ accessModes: strs, storageClassName: str, volumeName: str, volumeMode: str, resources: obj, selector: LabelSelector.optional() }).optional(),
    status: z.looseObject({ phase: str, accessModes: strs, capacity: obj, conditions: Conditions }).optional(),
  },
  PersistentVolume: {
    spec: z.looseObject({
      accessModes: strs, capacity: obj, storageClassName: str, persistentVolumeReclaimPolicy: str, volumeMode: str,
      hostPath: z.looseObject({ path: z.string(), type: str }).optional(), claimRef: z.looseObject({ name: str, namespace: str, uid: str }).optional(),
    }).optional(),
    status: z.looseObject({ phase: str }).optional(),
  },
  Service: {
    spec: z.looseObject({
      type: str, clusterIP: str, selector: StringMap.optional(),
      ports: z.array(z.looseObject({ port: z.number().int(), name: str, protocol: str, targetPort: z.union([z.number().int(), z.string()]).optional() })).optional(),
    }).optional(),
    status: obj,
  },
  Event: {
    involvedObject: z.looseObject({ kind: str, name: str, namespace: str, uid: str, apiVersion: str, fieldPath: str }).optional(),
    reason: str, message: str, type: str, count: int, firstTimestamp: time, lastTimestamp: time, eventTime: time,
    source: z.looseObject({ component: str, host: str }).optional(), reportingComponent: str, reportingInstance: str, action: str,
  },
  Deployment: {
    spec: z.looseObject({ replicas: int, selector: LabelSelector.optional(), template: PodTemplateSpec }).optional(),
    status: z.looseObject({ replicas: int, readyReplicas: int, availableReplicas: int, conditions: Conditions }).optional(),
  },
  Lease: {
    spec: z.looseObject({ holderIdentity: str, leaseDurationSeconds: int, acquireTime: time, renewTime: time, leaseTransitions: int }).optional(),
  },
  CustomResourceDefinition: {
    spec: z.looseObject({
      group: z.string(), scope: z.string(), versions: z.array(CrdVersion),
      names: z.looseObject({ kind: z.string(), plural: z.string(), singular: str, shortNames: strs, listKind: str, categories: strs }),
    }),
    status: obj,
  },
  Role: { rules: z.array(PolicyRule).optional() },
  ClusterRole: { rules: z.array(PolicyRule).optional(), aggregationRule: obj },
  RoleBinding: { roleRef: RoleRef, subjects: z.array(Subject).optional() },
  ClusterRoleBinding: { roleRef: RoleRef, subjects: z.array(Subject).optional() },
  MutatingWebhookConfiguration: { webhooks: z.array(z.looseObject({ name: z.string(), clientConfig: obj, rules: z.array(obj).optional() })).optional() },
  ValidatingWebhookConfiguration: { webhooks: z.array(z.looseObject({ name: z.string(), clientConfig: obj, rules: z.array(obj).optional() })).optional() },
  Job: { spec: JobSpec.optional(), status: obj },
  CronJob: {
    spec: z.looseObject({ schedule: z.string(), suspend: bool, concurrencyPolicy: str, jobTemplate: z.looseObject({ metadata: ObjectMetaSchema.optional(), spec: JobSpec }) }).optional(),
    status: obj,
  },
};

const cache = new Map<string, z.ZodType>();

/** The type schema of a core kind (apiVersion/kind are checked by the router; metadata by ObjectMeta). */
export function coreShape(kind: string): z.ZodType | undefined {
  const fields = FIELDS[kind];
  if (!fields) return undefined;
  let s = cache.get(kind);
  if (!s) {
    s = z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: ObjectMetaSchema, ...fields });
    cache.set(kind, s);
  }
  return s;
}
