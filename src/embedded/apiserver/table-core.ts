/**
 * Server-side printer columns of the core kinds, as kube-apiserver prints them (pods: NAME READY STATUS
 * RESTARTS AGE; namespaces, config maps, secrets, deployments, services, PVCs …), and Kubernetes' human
 * durations for ages.
 */
import type { KubeObject } from '../../api/types.js';

/** A column of a core kind's table; `cell` renders one object. */
export interface CoreColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  priority?: number;
  cell: (o: KubeObject, now: Date) => unknown;
}

/** Kubernetes' duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

/** Age of a timestamp (`<unknown>` when absent). */
export function age(ts: unknown, now: Date): string {
  if (typeof ts !== 'string' || ts === '') return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}

/** The Age column every core table ends with. */
export const AGE: CoreColumn = { name: 'Age', type: 'string', cell: (o, now) => age(o.metadata.creationTimestamp, now) };

type Rec = Record<string, any>;
const status = (o: KubeObject): Rec => (o.status ?? {}) as Rec;
const spec = (o: KubeObject): Rec => (o.spec ?? {}) as Rec;

interface PodSummary { ready: number; total: number; reason: string; restarts: number }

function initReason(pod: KubeObject): { reason?: string; restarts: number } {
  const inits = (spec(pod).initContainers ?? []) as unknown[];
  let restarts = 0;
  const statuses = (status(pod).initContainerStatuses ?? []) as Rec[];
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i] as Rec;
    restarts += Number(c.restartCount ?? 0);
    const term = c.state?.terminated as Rec | undefined;
    if (term && term.exitCode === 0) continue;
    if (term) return { reason: term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`, restarts };
    const wait = c.state?.waiting as Rec | undefined;
    if (wait?.reason && wait.reason !== 'PodInitializing') return { reason: `Init:${wait.reason}`, restarts };
    return { reason: `Init:${i}/${inits.length}`, restarts };
  }
  return { restarts };
}

/** READY, STATUS and RESTARTS as kubectl's pod printer computes them. */
export function podSummary(pod: KubeObject): PodSummary {
  const st = status(pod);
  const total = ((spec(pod).containers ?? []) as unknown[]).length;
  let reason = String(st.reason ?? st.phase ?? '');
  const init = initReason(pod);
  let ready = 0;
  let restarts = init.restarts;
  if (init.reason) reason = init.reason;
  else {
    restarts = 0;
    let running = false;
    for (const c of [...((st.containerStatuses ?? []) as Rec[])].reverse()) {
      restarts += Number(c.restartCount ?? 0);
      const s = (c.state ?? {}) as Rec;
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated?.reason) reason = s.terminated.reason;
      else if (s.terminated) reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
      else if (c.ready && s.running) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) {
      const readyCond = ((st.conditions ?? []) as Rec[]).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = readyCond ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready, total, reason, restarts };
}

const none = (v: unknown): unknown => (v === undefined || v === null || v === '' ? '<none>' : v);
const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

/** Core tables by kind (Name comes first and is added by the caller). */
export const CORE_COLUMNS: Record<string, CoreColumn[]> = {
  Pod: [
    { name: 'Ready', type: 'string', cell: (o) => { const s = podSummary(o); return `${s.ready}/${s.total}`; } },
    { name: 'Status', type: 'string', cell: (o) => podSummary(o).reason },
    { name: 'Restarts', type: 'string', cell: (o) => String(podSummary(o).restarts) },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => none(status(o).podIP) },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => none(spec(o).nodeName) },
  ],
  Namespace: [{ name: 'Status', type: 'string', cell: (o) => status(o).phase ?? '' }, AGE],
  ConfigMap: [{ name: 'Data', type: 'integer', cell: (o) => count(o.data) + count(o.binaryData) }, AGE],
  Secret: [
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => count(o.data) + count(o.stringData) }, AGE],
  ServiceAccount: [{ name: 'Secrets', type: 'integer', cell: (o) => ((o.secrets ?? []) as unknown[]).length }, AGE],
  Deployment: [
    { name: 'Ready', type: 'string', cell: (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 1}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => status(o).updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => status(o).availableReplicas ?? 0 }, AGE],
  Service: [
    { name: 'Type', type: 'string', cell: (o) => spec(o).type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => none(spec(o).clusterIP) },
    { name: 'External-IP', type: 'string', cell: (o) => none(((spec(o).externalIPs ?? []) as string[]).join(',')) },
    { name: 'Port(s)', type: 'string', cell: (o) => none(((spec(o).ports ?? []) as Rec[]).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',')) },
    AGE],
  PersistentVolumeClaim: [
    { name: 'Status', type: 'string', cell: (o) => status(o).phase ?? 'Pending' },
    { name: 'Volume', type: 'string', cell: (o) => spec(o).volumeName ?? '' },
    { name: 'Capacity', type: 'string', cell: (o) => (status(o).capacity as Rec | undefined)?.storage ?? '' },
    { name: 'Access Modes', type: 'string', cell: (o) => ((status(o).accessModes ?? []) as string[]).map(shortMode).join(',') },
    { name: 'StorageClass', type: 'string', cell: (o) => none(spec(o).storageClassName) }, AGE],
  Event: [
    { name: 'Last Seen', type: 'string', cell: (o, now) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now) },
    { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
    { name: 'Object', type: 'string', cell: (o) => { const r = (o.involvedObject ?? {}) as Rec; return `${String(r.kind ?? '').toLowerCase()}/${r.name ?? ''}`; } },
    { name: 'Message', type: 'string', cell: (o) => o.message ?? '' }],
  CustomResourceDefinition: [{ name: 'Created At', type: 'date', cell: (o) => o.metadata.creationTimestamp ?? '' }],
};

function shortMode(m: string): string {
  return ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' } as Record<string, string>)[m] ?? m;
}
