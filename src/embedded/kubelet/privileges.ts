/**
 * What a pod may ask of this node. By default a node grants what a default Kubernetes pod gets and no more:
 * no privileged containers, no host namespaces, no hostPath volumes, capabilities only from the container
 * runtime's default set. `tkt up/run --allow-privileged` lifts this for trusted workloads. Pure.
 */
import type { Container, Pod } from '../../api/types.js';

/**
 * The capabilities a container gets by default (without the CAP_ prefix): containerd's and Docker's default set
 * without NET_RAW (raw sockets let a step spoof packets on the node's network; a step that needs them — ping —
 * adds NET_RAW, which Pod Security baseline allows).
 */
export const DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** Capabilities a pod may add without --allow-privileged: Pod Security baseline's list. */
export const ADDABLE_CAPABILITIES = [...DEFAULT_CAPABILITIES, 'NET_RAW'];

interface SecurityContextish {
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

const capName = (c: string): string => c.toUpperCase().replace(/^CAP_/, '');

function containersOf(pod: Pod): Container[] {
  return [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
}

/** What the pod asks for beyond a default pod, one phrase each (empty when nothing). */
export function privilegesAsked(pod: Pod): string[] {
  const out: string[] = [];
  const spec = pod.spec as Pod['spec'] & { hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean };
  if (spec.hostNetwork) out.push('hostNetwork');
  if (spec.hostPID) out.push('hostPID');
  if (spec.hostIPC) out.push('hostIPC');
  for (const v of pod.spec.volumes ?? []) if ((v as { hostPath?: unknown }).hostPath) out.push(`hostPath volume "${v.name}"`);
  for (const c of containersOf(pod)) {
    const sc = (c.securityContext ?? {}) as SecurityContextish;
    if (sc.privileged) out.push(`privileged container "${c.name}"`);
    const extra = (sc.capabilities?.add ?? []).map(capName).filter((cap) => !ADDABLE_CAPABILITIES.includes(cap));
    if (extra.length) out.push(`capabilities ${extra.join(', ')} of container "${c.name}"`);
  }
  return out;
}

/** The message a pod that asks too much fails with, or undefined when the node grants what it asks. */
export function privilegeRefusal(pod: Pod, allowPrivileged: boolean): string | undefined {
  if (allowPrivileged) return undefined;
  const asked = privilegesAsked(pod);
  if (asked.length === 0) return undefined;
  return `pod "${pod.metadata.name ?? ''}" asks for what this node does not grant: ${asked.join(', ')}. Only trusted ` +
    'workloads should get these; to allow them, start tektite with --allow-privileged (tkt up / tkt run)';
}

/** The capability set of a container: the default set minus `drop`, plus `add` (all of them when privileged). */
export function capabilitiesOf(c: Container): { privileged: boolean; capabilities: string[] } {
  const sc = (c.securityContext ?? {}) as SecurityContextish;
  if (sc.privileged) return { privileged: true, capabilities: ['ALL'] };
  const drop = (sc.capabilities?.drop ?? []).map(capName);
  const add = (sc.capabilities?.add ?? []).map(capName);
  if (add.includes('ALL')) return { privileged: false, capabilities: ['ALL'] };
  const base = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((cap) => !drop.includes(cap));
  return { privileged: false, capabilities: [...new Set([...base, ...add])].sort() };
}
