/**
 * The objects an EventListener needs on a cluster, built purely from the EventListener (after Tekton Triggers'
 * reconciler/eventlistener/resources): Deployment `el-<name>` running the sink (`tkt eventlistener`) and Service
 * `el-<name>` (8080 http-listener, 9000 http-metrics), labelled and selected as Tekton does, owned by the
 * EventListener, honouring `spec.resources.kubernetesResource` (replicas, serviceType, servicePort,
 * serviceLoadBalancerClass, and the pod template overlay).
 */
import type { EventListener, KubeObject } from '../../api/types.js';

/** Port the sink listens on and the Service exposes by default. */
export const LISTENER_PORT = 8080;
/** Tekton's EventListener metrics port (exposed as http-metrics). */
export const METRICS_PORT = 9000;
/** Name of the sink container, as Tekton. */
export const CONTAINER_NAME = 'event-listener';

type Json = Record<string, unknown>;

/** A Deployment as far as tektite writes it. */
export interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: Json; spec: Json } } & Json;
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }> } & Json;
}

/** A Service as far as tektite writes it. */
export interface Service extends KubeObject {
  spec: { type?: string; selector?: Record<string, string>; ports?: Json[] } & Json;
}

/** `el-<name>`: the Deployment and Service name (Tekton's GeneratedResourceName). */
export function generatedName(el: EventListener): string {
  return `el-${el.metadata.name ?? ''}`;
}

/** The selector labels Tekton puts on an EventListener's pods. */
export function selectorLabels(el: EventListener): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'EventListener',
    'app.kubernetes.io/part-of': 'Triggers',
    eventlistener: el.metadata.name ?? '',
  };
}

/** Labels of the generated objects: the EventListener's own labels, then the selector labels. */
export function objectLabels(el: EventListener): Record<string, string> {
  return { ...(el.metadata.labels ?? {}), ...selectorLabels(el) };
}

/** The controller owner reference to the EventListener. */
export function ownerReference(el: EventListener): Json {
  return {
    apiVersion: el.apiVersion || 'triggers.tekton.dev/v1beta1', kind: 'EventListener', name: el.metadata.name ?? '',
    uid: el.metadata.uid ?? '', controller: true, blockOwnerDeletion: true,
  };
}

function meta(el: EventListener): KubeObject['metadata'] {
  return {
    name: generatedName(el), namespace: el.metadata.namespace ?? 'default', labels: objectLabels(el),
    ownerReferences: [ownerReference(el) as never],
  };
}

const kubernetesResource = (el: EventListener) => el.spec.resources?.kubernetesResource ?? {};

/** The sink container before the user's overlay. */
function sinkContainer(el: EventListener, image: string): Json {
  const probe = { httpGet: { path: '/live', port: LISTENER_PORT, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 };
  return {
    name: CONTAINER_NAME, image,
    args: ['eventlistener', '--name', el.metadata.name ?? '', '--namespace', el.metadata.namespace ?? 'default', '--port', String(LISTENER_PORT)],
    ports: [
      { name: 'http-listener', containerPort: LISTENER_PORT, protocol: 'TCP' },
      { name: 'http-metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
    ],
    env: [{ name: 'SYSTEM_NAMESPACE', value: el.metadata.namespace ?? 'default' }],
    livenessProbe: probe,
    readinessProbe: probe,
    resources: { requests: { cpu: '50m', memory: '64Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

const CONTAINER_OVERLAY = ['resources', 'readinessProbe', 'livenessProbe', 'startupProbe', 'securityContext', 'imagePullPolicy'];

/** Merges the first container of the user's template into the sink container (env, envFrom, mounts appended). */
function overlayContainer(base: Json, user: Json | undefined): Json {
  if (!user) return base;
  const out: Json = { ...base };
  for (const k of CONTAINER_OVERLAY) if (user[k] !== undefined) out[k] = user[k];
  const userEnv = (user.env as Json[] | undefined) ?? [];
  const names = new Set(userEnv.map((e) => e.name));
  out.env = [...((base.env as Json[]).filter((e) => !names.has(e.name))), ...userEnv];
  if (user.envFrom) out.envFrom = user.envFrom;
  if (user.volumeMounts) out.volumeMounts = user.volumeMounts;
  return out;
}

/** The pod spec: defaults, then the user's pod spec fields, with the sink container merged. */
export function podSpec(el: EventListener, image: string): Json {
  const user = (kubernetesResource(el).spec?.template?.spec ?? {}) as Json;
  const { containers: userContainers, ...userRest } = user;
  const container = overlayContainer(sinkContainer(el, image), (userContainers as Json[] | undefined)?.[0]);
  const sa = el.spec.serviceAccountName || (userRest.serviceAccountName as string | undefined) || 'default';
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    ...userRest,
    serviceAccountName: sa,
    containers: [container],
  };
}

/** Deployment `el-<name>`. */
export function buildDeployment(el: EventListener, image: string): Deployment {
  const template = kubernetesResource(el).spec?.template ?? {};
  const replicas = kubernetesResource(el).replicas;
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(el),
    spec: {
      replicas: replicas ?? 1,
      selector: { matchLabels: selectorLabels(el) },
      template: {
        metadata: {
          labels: { ...(template.metadata?.labels ?? {}), ...selectorLabels(el) },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        },
        spec: podSpec(el, image),
      },
    },
  };
}

/** Service `el-<name>`. */
export function buildService(el: EventListener): Service {
  const kr = kubernetesResource(el);
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(el),
    spec: {
      type: kr.serviceType || 'ClusterIP',
      selector: selectorLabels(el),
      ports: [
        { name: 'http-listener', port: kr.servicePort ?? LISTENER_PORT, protocol: 'TCP', targetPort: LISTENER_PORT },
        { name: 'http-metrics', port: METRICS_PORT, protocol: 'TCP', targetPort: METRICS_PORT },
      ],
      ...(kr.serviceLoadBalancerClass ? { loadBalancerClass: kr.serviceLoadBalancerClass } : {}),
    },
  };
}

/** The address Tekton reports: `http://el-<name>.<ns>.svc.cluster.local:<port>`. */
export function addressUrl(el: EventListener): string {
  return `http://${generatedName(el)}.${el.metadata.namespace ?? 'default'}.svc.cluster.local:${kubernetesResource(el).servicePort ?? LISTENER_PORT}`;
}

/**
 * True when every field set in `want` has the same value in `have` (arrays: same length, elements compared the
 * same way). Fields the API server defaults (strategy, clusterIP, terminationMessagePath …) are thus ignored, so
 * an unchanged EventListener causes no writes.
 */
export function isSubset(want: unknown, have: unknown): boolean {
  if (want === undefined) return true;
  if (want === null || typeof want !== 'object') return want === have || (typeof want === 'number' && String(want) === have);
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => isSubset(w, have[i]));
  }
  if (!have || typeof have !== 'object' || Array.isArray(have)) return false;
  return Object.entries(want as Json).every(([k, v]) => isSubset(v, (have as Json)[k]));
}
