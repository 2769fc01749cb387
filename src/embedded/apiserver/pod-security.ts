/**
 * Pod Security admission, as Kubernetes' built-in admission plugin: the Pod Security Standards' `baseline` and
 * `restricted` checks, with Kubernetes' wording, applied per namespace from its `pod-security.kubernetes.io/enforce`,
 * `warn` and `audit` labels (the server's default level — `baseline` — where a namespace has no `enforce` label).
 * Only the `latest` version of the standards is implemented; a `-version` label is accepted and ignored. Pure.
 */
import type { KubeObject } from '../../api/types.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

interface Ctr {
  name: string;
  ports?: Array<{ hostPort?: number }>;
  securityContext?: {
    privileged?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; runAsUser?: number; procMount?: string;
    capabilities?: { add?: string[]; drop?: string[] }; seccompProfile?: { type?: string };
    windowsOptions?: { hostProcess?: boolean }; seLinuxOptions?: { type?: string; user?: string; role?: string };
    appArmorProfile?: { type?: string };
  };
}
interface PodSpecish {
  hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string }; sysctls?: Array<{ name: string }>; seLinuxOptions?: { type?: string } };
  volumes?: Array<Record<string, unknown> & { name: string }>;
  containers?: Ctr[]; initContainers?: Ctr[]; ephemeralContainers?: Ctr[];
}

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

const quoted = (xs: string[]): string => xs.map((x) => `"${x}"`).join(', ');
const ctrs = (names: string[]): string => `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
const capName = (c: string): string => c.toUpperCase().replace(/^CAP_/, '');

function all(spec: PodSpecish): Ctr[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function baseline(spec: PodSpecish): string[] {
  const out: string[] = [];
  const cs = all(spec);
  const hostProcess = cs.filter((c) => c.securityContext?.windowsOptions?.hostProcess).map((c) => c.name);
  if (hostProcess.length) out.push(`hostProcess (${ctrs(hostProcess)} must not set securityContext.windowsOptions.hostProcess=true)`);
  const ns = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k]).map((k) => `${k}=true`);
  if (ns.length) out.push(`host namespaces (${ns.join(', ')})`);
  const priv = cs.filter((c) => c.securityContext?.privileged).map((c) => c.name);
  if (priv.length) out.push(`privileged (${ctrs(priv)} must not set securityContext.privileged=true)`);
  const capMsgs: string[] = [];
  for (const c of cs) {
    const bad = (c.securityContext?.capabilities?.add ?? []).filter((x) => !BASELINE_CAPS.has(capName(x)));
    if (bad.length) capMsgs.push(`container "${c.name}" must not include ${quoted(bad)} in securityContext.capabilities.add`);
  }
  if (capMsgs.length) out.push(`non-default capabilities (${capMsgs.join('; ')})`);
  const hostPaths = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
  if (hostPaths.length) out.push(`hostPath volumes (${hostPaths.length === 1 ? 'volume' : 'volumes'} ${quoted(hostPaths)})`);
  const ports: string[] = [];
  for (const c of cs) {
    const hp = (c.ports ?? []).map((p) => p.hostPort).filter((p): p is number => !!p);
    if (hp.length) ports.push(`container "${c.name}" uses ${hp.length === 1 ? 'hostPort' : 'hostPorts'} ${hp.join(', ')}`);
  }
  if (ports.length) out.push(`hostPort (${ports.join('; ')})`);
  const selinux = cs.filter((c) => { const o = c.securityContext?.seLinuxOptions; return !!(o?.user || o?.role || (o?.type && !['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(o.type))); }).map((c) => c.name);
  if (selinux.length) out.push(`seLinuxOptions (${ctrs(selinux)} set forbidden securityContext.seLinuxOptions)`);
  const proc = cs.filter((c) => c.securityContext?.procMount && c.securityContext.procMount !== 'Default').map((c) => c.name);
  if (proc.length) out.push(`procMount (${ctrs(proc)} must not set securityContext.procMount to "Unmasked")`);
  const podUnconfined = spec.securityContext?.seccompProfile?.type === 'Unconfined';
  const unconfined = cs.filter((c) => c.securityContext?.seccompProfile?.type === 'Unconfined').map((c) => c.name);
  if (podUnconfined || unconfined.length) {
    const who = [podUnconfined ? 'pod' : '', unconfined.length ? ctrs(unconfined) : ''].filter(Boolean).join(' and ');
    out.push(`seccompProfile (${who} must not set securityContext.seccompProfile.type to "Unconfined")`);
  }
  const sysctls = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n));
  if (sysctls.length) out.push(`forbidden sysctls (${sysctls.join(', ')})`);
  return out;
}

function restricted(spec: PodSpecish): string[] {
  const out: string[] = [];
  const cs = all(spec);
  const vols = (spec.volumes ?? []).flatMap((v) => {
    const type = Object.keys(v).find((k) => k !== 'name');
    return type && !RESTRICTED_VOLUMES.has(type) ? [`volume "${v.name}" uses restricted volume type "${type}"`] : [];
  });
  if (vols.length) out.push(`restricted volume types (${vols.join('; ')})`);
  const escalation = cs.filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
  if (escalation.length) out.push(`allowPrivilegeEscalation != false (${ctrs(escalation)} must set securityContext.allowPrivilegeEscalation=false)`);
  const capsDrop = cs.filter((c) => !(c.securityContext?.capabilities?.drop ?? []).map(capName).includes('ALL')).map((c) => c.name);
  const capsAdd = cs.flatMap((c) => { const bad = (c.securityContext?.capabilities?.add ?? []).filter((x) => capName(x) !== 'NET_BIND_SERVICE'); return bad.length ? [`container "${c.name}" must not include ${quoted(bad)} in securityContext.capabilities.add`] : []; });
  if (capsDrop.length || capsAdd.length) out.push(`unrestricted capabilities (${[...(capsDrop.length ? [`${ctrs(capsDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []), ...capsAdd].join('; ')})`);
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  const rootCtrs = cs.filter((c) => c.securityContext?.runAsNonRoot !== true && !(podNonRoot && c.securityContext?.runAsNonRoot !== false)).map((c) => c.name);
  if (rootCtrs.length) out.push(`runAsNonRoot != true (${podNonRoot ? '' : 'pod or '}${ctrs(rootCtrs)} must set securityContext.runAsNonRoot=true)`);
  const uid0 = cs.filter((c) => (c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser) === 0).map((c) => c.name);
  if (uid0.length) out.push(`runAsUser=0 (${ctrs(uid0)} must not set runAsUser=0)`);
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  const okType = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  const noSeccomp = cs.filter((c) => !okType(c.securityContext?.seccompProfile?.type ?? podSeccomp)).map((c) => c.name);
  if (noSeccomp.length) out.push(`seccompProfile (${okType(podSeccomp) ? '' : 'pod or '}${ctrs(noSeccomp)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`);
  return out;
}

/** What `pod` violates at `level` (Kubernetes' phrases, in its order); empty when it complies. */
export function podSecurityViolations(pod: KubeObject, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const spec = (pod.spec ?? {}) as PodSpecish;
  return level === 'baseline' ? baseline(spec) : [...baseline(spec), ...restricted(spec)];
}

/** The levels a namespace asks for (enforce defaults to the server's default level). */
export function namespaceLevels(ns: KubeObject | undefined, defaultLevel: PodSecurityLevel): { enforce: PodSecurityLevel; warn?: PodSecurityLevel; audit?: PodSecurityLevel } {
  const labels = ns?.metadata.labels ?? {};
  const level = (k: string): PodSecurityLevel | undefined => {
    const v = labels[`pod-security.kubernetes.io/${k}`];
    return LEVELS.includes(v as PodSecurityLevel) ? (v as PodSecurityLevel) : undefined;
  };
  return { enforce: level('enforce') ?? defaultLevel, warn: level('warn'), audit: level('audit') };
}

/** The outcome for a pod created in `ns`: an error message to refuse it with, and warnings. */
export function podSecurityAdmission(pod: KubeObject, ns: KubeObject | undefined, defaultLevel: PodSecurityLevel): { refusal?: string; warnings: string[] } {
  const levels = namespaceLevels(ns, defaultLevel);
  const bad = podSecurityViolations(pod, levels.enforce);
  const warnings: string[] = [];
  if (levels.warn) {
    const w = podSecurityViolations(pod, levels.warn);
    if (w.length) warnings.push(`would violate PodSecurity "${levels.warn}:latest": ${w.join(', ')}`);
  }
  return { ...(bad.length ? { refusal: `violates PodSecurity "${levels.enforce}:latest": ${bad.join(', ')}` } : {}), warnings };
}
