/**
 * The core/v1 subset of Kubernetes object shapes tektite reads and writes (containers, volumes, pods, PVCs).
 * Re-exported by types.ts.
 */
import type { Condition, KubeObject, ObjectMeta } from './types.js';


export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string; apiVersion?: string };
    resourceFieldRef?: Record<string, unknown>;
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
}

export interface ResourceRequirements {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  [key: string]: unknown;
}

export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string; host?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

/** Fields shared by core containers and Tekton sidecars (no index signature, so Omit/extends keep them typed). */
export interface ContainerFields {
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  volumeMounts?: VolumeMount[];
  volumeDevices?: unknown[];
  ports?: Array<{ containerPort: number; name?: string; protocol?: string }>;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  imagePullPolicy?: string;
  securityContext?: SecurityContext;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  stdin?: boolean;
  tty?: boolean;
}

export interface Container extends ContainerFields {
  name: string;
  resources?: ResourceRequirements;
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  configMap?: { name: string; items?: Array<{ key: string; path: string; mode?: number }>; optional?: boolean; defaultMode?: number };
  secret?: { secretName: string; items?: Array<{ key: string; path: string; mode?: number }>; optional?: boolean; defaultMode?: number };
  projected?: { sources: Array<Record<string, unknown>>; defaultMode?: number };
  downwardAPI?: { items: Array<Record<string, unknown>> };
  csi?: Record<string, unknown>;
  hostPath?: { path: string; type?: string };
  [key: string]: unknown;
}

export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  [key: string]: unknown;
}

export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
  serviceAccountName?: string;
  activeDeadlineSeconds?: number;
  securityContext?: PodSecurityContext;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
  imagePullSecrets?: Array<{ name: string }>;
  hostNetwork?: boolean;
  dnsPolicy?: string;
  priorityClassName?: string;
  runtimeClassName?: string;
  schedulerName?: string;
  enableServiceLinks?: boolean;
  automountServiceAccountToken?: boolean;
  hostAliases?: unknown[];
  [key: string]: unknown;
}

export interface ContainerStateTerminated {
  exitCode: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  signal?: number;
  containerID?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: Condition[];
  message?: string;
  reason?: string;
  startTime?: string;
  podIP?: string;
  hostIP?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface PersistentVolumeClaim {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: {
    accessModes?: string[];
    resources?: ResourceRequirements;
    storageClassName?: string;
    volumeName?: string;
    volumeMode?: string;
    [key: string]: unknown;
  };
  status?: { phase?: string; [key: string]: unknown };
}

