/**
 * The network of a pod in a container engine (podman): one network namespace shared by the pod's containers, so
 * that steps and sidecars meet on localhost as in Kubernetes, while this machine's loopback services stay out of
 * reach. Two ways, the first that works here:
 *
 * - `netns` (podman as root, with pasta and `ip`): a named network namespace (`ip netns add tkt-<pod uid>`)
 *   configured by pasta exactly as the host runtime's pods are (host-net.ts): outbound through pasta with the
 *   gateway not mapped to the host, the host loopback ports named with `--host-port` reachable on the pod's
 *   localhost, the pod's probe ports forwarded from ephemeral ports on the host's 127.0.0.1. Containers join it
 *   with `--network ns:/run/netns/<name>`: no infra container, and the namespace is ready before the first
 *   container is created.
 * - `pod` (rootless podman, or no pasta): a podman pod (`podman pod create`), whose infra container holds the
 *   namespace on podman's default network (bridge as root, slirp4netns rootless: neither reaches the host's
 *   loopback); probes go to the pod's IP. `--host-port` cannot be honoured there (a warning says so).
 *
 * Neither falls back to the host network: a pod whose network cannot be made does not start.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PodIdentity } from '../types.js';
import { killQuietly, listeningIn, pastaPid, startPasta } from './host-net.js';
import { runCapture } from './proc.js';

const NETNS_DIR = '/run/netns';

/** How the engine's pods get their network. */
export type EngineNetMode = 'netns' | 'pod';

/** The network namespace name of a pod (`tkt-<uid>`, a file name under /run/netns). */
export function netnsName(pod: PodIdentity): string {
  return `tkt-${pod.uid}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** The mode a podman runtime can use here: `netns` needs root, `ip` and a pasta that can run. */
export async function engineNetMode(pasta: string | undefined): Promise<EngineNetMode> {
  if (process.getuid?.() !== 0 || !pasta) return 'pod';
  const ip = await runCapture(['ip', '-V'], { timeoutMs: 5000 });
  return ip.code === 0 ? 'netns' : 'pod';
}

/** The Kubernetes hostname of a pod: its name, at most 63 characters. */
function hostname(pod: PodIdentity): string {
  return pod.name.slice(0, 63).replace(/[-.]+$/, '') || 'pod';
}

/** One pod's network. */
export interface EngineNetwork {
  /** The arguments of `<engine> run` that put a container into it. */
  readonly args: string[];
  /** Where the kubelet reaches the pod's `port`. */
  address?(port: number): { host: string; port: number };
  /** Whether something of the pod listens on TCP `port`. */
  listening?(port: number): boolean;
}

/** A named network namespace configured by pasta. */
class NetnsNetwork implements EngineNetwork {
  readonly args: string[];
  private pid?: number;

  constructor(private readonly file: string, pod: PodIdentity, private readonly forwarded: ReadonlyMap<number, number>) {
    this.args = ['--network', `ns:${file}`, '--hostname', hostname(pod)];
  }

  address(port: number): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.forwarded.get(port) ?? port };
  }

  /**
   * Read from /proc/PID/net/tcp of a process in the namespace (a container's), found by the namespace's inode:
   * through pasta's forward a connect from here always succeeds.
   */
  listening(port: number): boolean {
    if (!this.pid || !inNamespace(this.pid, this.file)) this.pid = processIn(this.file);
    return this.pid !== undefined && listeningIn(this.pid, port);
  }
}

function inode(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined;
  }
}

function inNamespace(pid: number, file: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`) === `net:[${inode(file)}]`;
  } catch {
    return false;
  }
}

/** A process whose network namespace is the one bound at `file`. */
function processIn(file: string): number | undefined {
  const ino = inode(file);
  if (ino === undefined) return undefined;
  const want = `net:[${ino}]`;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/ns/net`) === want) return Number(e);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** A podman pod: its infra container holds the namespace. */
class PodmanPodNetwork implements EngineNetwork {
  readonly args: string[];
  constructor(name: string, private readonly ip: string | undefined) {
    this.args = ['--pod', name];
  }

  address(port: number): { host: string; port: number } {
    return { host: this.ip ?? '127.0.0.1', port };
  }
}

/** The pods' networks of one engine runtime. */
export class EngineNetworks {
  constructor(
    private readonly cmd: (...args: string[]) => string[],
    readonly mode: EngineNetMode,
    private readonly opts: { hostPorts: number[]; pasta?: string },
  ) {}

  /** Creates the pod's network; throws with the reason when it cannot be made. */
  async create(pod: PodIdentity): Promise<EngineNetwork> {
    return this.mode === 'netns' ? this.netns(pod) : this.podmanPod(pod);
  }

  private async netns(pod: PodIdentity): Promise<EngineNetwork> {
    const name = netnsName(pod);
    const file = path.join(NETNS_DIR, name);
    if (existsSync(file)) await this.removeNetns(pod);
    const added = await runCapture(['ip', 'netns', 'add', name], { timeoutMs: 10_000 });
    if (added.code !== 0) throw new Error(`ip netns add ${name}: ${(added.stderr || added.stdout).trim()}`);
    try {
      const pasta = await startPasta(['--netns', name], { dir: pod.dir, hostPorts: this.opts.hostPorts, podPorts: pod.ports ?? [], pasta: this.opts.pasta ?? 'pasta' });
      return new NetnsNetwork(file, pod, pasta.forwarded);
    } catch (err) {
      await this.removeNetns(pod);
      throw err;
    }
  }

  private async podmanPod(pod: PodIdentity): Promise<EngineNetwork> {
    const name = podmanPodName(pod);
    const create = this.cmd('pod', 'create', '--name', name, '--hostname', hostname(pod), '--infra-name', `${name}-infra`, '--label', `tektite.dev/pod-uid=${pod.uid}`);
    let created = await runCapture(create);
    if (created.code !== 0 && /exists|in use/.test(created.stderr)) {
      // left by an earlier run of this pod (a kubelet that stopped)
      await runCapture(this.cmd('pod', 'rm', '-f', name));
      created = await runCapture(create);
    }
    if (created.code !== 0) throw new Error(`podman pod create ${name}: ${(created.stderr || created.stdout).trim()}`);
    // `run --pod` starts the infra container; probes need its IP now
    if (!pod.ports?.length) return new PodmanPodNetwork(name, undefined);
    const started = await runCapture(this.cmd('pod', 'start', name));
    if (started.code !== 0) throw new Error(`podman pod start ${name}: ${(started.stderr || started.stdout).trim()}`);
    const ip = (await runCapture(this.cmd('inspect', '--format', '{{.NetworkSettings.IPAddress}}', `${name}-infra`))).stdout.trim();
    return new PodmanPodNetwork(name, ip || undefined);
  }

  private async removeNetns(pod: PodIdentity): Promise<void> {
    // the pid file may be older than this process: only a pasta of this namespace is ended
    const pid = pastaPid(pod.dir);
    if (pid && cmdline(pid).includes(netnsName(pod))) killQuietly(pid);
    rmSync(path.join(pod.dir, 'pasta.pid'), { force: true });
    if (existsSync(path.join(NETNS_DIR, netnsName(pod)))) await runCapture(['ip', 'netns', 'delete', netnsName(pod)], { timeoutMs: 10_000 });
  }

  /** Removes what the pod's network holds (also for a pod this process did not start: by name and pid file). */
  async remove(pod: PodIdentity): Promise<void> {
    if (this.mode === 'netns') await this.removeNetns(pod);
    else await runCapture(this.cmd('pod', 'rm', '-f', podmanPodName(pod)));
  }
}

/** The podman pod's name of a pod. */
export function podmanPodName(pod: PodIdentity): string {
  return `tkt-${pod.uid}-pod`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}
