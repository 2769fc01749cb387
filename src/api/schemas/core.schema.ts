/**
 * Zod schemas for the core/v1 pieces embedded in Tekton objects (env, mounts, resources, volumes, probes,
 * pod template, PVC). The pieces Tekton users write every day are strict; large core types that Tekton embeds
 * wholesale (Volume sources, SecurityContext, Probe handlers, affinity, tolerations) are typed on the fields we
 * read and pass everything else through, as listing every core/v1 field here would be impractical.
 */
import { z } from 'zod';
import { ObjectMetaSchema, StringMap } from './meta.schema.js';

/** A Kubernetes quantity (`1`, `500m`, `1Gi`): YAML may give a number; it is kept as its string form. */
export const Quantity = z.union([z.string(), z.number().transform((n) => String(n))], { error: 'must be a quantity such as 1, 500m or 1Gi' });

/** An int-or-string port (`8080` or `http`). */
export const IntOrString = z.union([z.number().int(), z.string()], { error: 'must be a port number or name' });

const KeyRef = z.strictObject({ name: z.string(), key: z.string(), optional: z.boolean().optional() });

/** core/v1 EnvVar. */
export const EnvVarSchema = z.strictObject({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z.strictObject({
    secretKeyRef: KeyRef.optional(),
    configMapKeyRef: KeyRef.optional(),
    fieldRef: z.strictObject({ fieldPath: z.string(), apiVersion: z.string().optional() }).optional(),
    resourceFieldRef: z.looseObject({ resource: z.string() }).optional(),
  }).optional(),
});

const LocalRef = z.strictObject({ name: z.string(), optional: z.boolean().optional() });

/** core/v1 EnvFromSource. */
export const EnvFromSourceSchema = z.strictObject({
  prefix: z.string().optional(),
  configMapRef: LocalRef.optional(),
  secretRef: LocalRef.optional(),
});

/** core/v1 VolumeMount. */
export const VolumeMountSchema = z.strictObject({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.string().optional(),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  mountPropagation: z.string().optional(),
});

/** core/v1 VolumeDevice. */
export const VolumeDeviceSchema = z.strictObject({ name: z.string(), devicePath: z.string() });

/** core/v1 ResourceRequirements (quantities normalised to strings). */
export const ResourceRequirementsSchema = z.strictObject({
  limits: z.record(z.string(), Quantity).optional(),
  requests: z.record(z.string(), Quantity).optional(),
  claims: z.array(z.looseObject({ name: z.string() })).optional(),
});

/** core/v1 SecurityContext: common fields typed, the rest (seLinuxOptions, seccompProfile …) passed through. */
export const SecurityContextSchema = z.looseObject({
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
  privileged: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  capabilities: z.strictObject({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).optional(),
});

/** core/v1 PodSecurityContext (typed where we read it). */
export const PodSecurityContextSchema = z.looseObject({
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
  fsGroup: z.number().int().optional(),
});

/** core/v1 Probe: handler and timing fields. */
export const ProbeSchema = z.looseObject({
  exec: z.strictObject({ command: z.array(z.string()) }).optional(),
  httpGet: z.looseObject({ path: z.string().optional(), port: IntOrString, host: z.string().optional(), scheme: z.string().optional() }).optional(),
  tcpSocket: z.looseObject({ port: IntOrString, host: z.string().optional() }).optional(),
  initialDelaySeconds: z.number().int().optional(),
  periodSeconds: z.number().int().optional(),
  timeoutSeconds: z.number().int().optional(),
  failureThreshold: z.number().int().optional(),
  successThreshold: z.number().int().optional(),
});

/** core/v1 ContainerPort. */
export const ContainerPortSchema = z.strictObject({
  containerPort: z.number().int(),
  name: z.string().optional(),
  protocol: z.string().optional(),
  hostPort: z.number().int().optional(),
  hostIP: z.string().optional(),
});

const KeyToPath = z.strictObject({ key: z.string(), path: z.string(), mode: z.number().int().optional() });

/** core/v1 Volume: the sources tektite implements are typed; other sources pass through. */
export const VolumeSchema = z.looseObject({
  name: z.string(),
  emptyDir: z.strictObject({ medium: z.string().optional(), sizeLimit: Quantity.optional() }).optional(),
  persistentVolumeClaim: z.strictObject({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
  configMap: z.strictObject({
    name: z.string(), items: z.array(KeyToPath).optional(), optional: z.boolean().optional(), defaultMode: z.number().int().optional(),
  }).optional(),
  secret: z.strictObject({
    secretName: z.string(), items: z.array(KeyToPath).optional(), optional: z.boolean().optional(), defaultMode: z.number().int().optional(),
  }).optional(),
  projected: z.looseObject({ sources: z.array(z.record(z.string(), z.unknown())), defaultMode: z.number().int().optional() }).optional(),
  downwardAPI: z.looseObject({ items: z.array(z.record(z.string(), z.unknown())) }).optional(),
  csi: z.record(z.string(), z.unknown()).optional(),
  hostPath: z.looseObject({ path: z.string(), type: z.string().optional() }).optional(),
});

/** A PersistentVolumeClaim as used by `volumeClaimTemplate` (spec passed through beyond the common fields). */
export const PersistentVolumeClaimSchema = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: z.looseObject({
    accessModes: z.array(z.string()).optional(),
    resources: ResourceRequirementsSchema.optional(),
    storageClassName: z.string().optional(),
    volumeName: z.string().optional(),
    volumeMode: z.string().optional(),
  }).optional(),
  status: z.looseObject({ phase: z.string().optional() }).optional(),
});

/** Tekton's PodTemplate (pkg/apis/pipeline/pod/template.go). Strict at the top level, core types inside. */
export const PodTemplateSchema = z.strictObject({
  nodeSelector: StringMap.optional(),
  env: z.array(EnvVarSchema).optional(),
  tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
  affinity: z.record(z.string(), z.unknown()).optional(),
  securityContext: PodSecurityContextSchema.optional(),
  volumes: z.array(VolumeSchema).optional(),
  runtimeClassName: z.string().optional(),
  automountServiceAccountToken: z.boolean().optional(),
  dnsPolicy: z.string().optional(),
  dnsConfig: z.record(z.string(), z.unknown()).optional(),
  enableServiceLinks: z.boolean().optional(),
  priorityClassName: z.string().optional(),
  schedulerName: z.string().optional(),
  imagePullSecrets: z.array(z.strictObject({ name: z.string() })).optional(),
  hostAliases: z.array(z.record(z.string(), z.unknown())).optional(),
  hostNetwork: z.boolean().optional(),
  hostUsers: z.boolean().optional(),
  topologySpreadConstraints: z.array(z.record(z.string(), z.unknown())).optional(),
});
