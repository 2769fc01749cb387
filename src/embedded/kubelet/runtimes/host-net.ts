/**
 * The network of a host-runtime pod: its own network namespace, shared by the pod's containers (steps and
 * sidecars meet on localhost), owned by a user namespace of its own (so no container has capabilities over it:
 * no raw sockets, no interface changes; ports below 1024 may still be bound, as in a container). Outbound traffic
 * goes through pasta (Debian package `passt`), a user-mode network stack, with the gateway NOT mapped to the host:
 * services on the host's loopback are unreachable, except the TCP ports the user allows (`--host-port`), which
 * pasta forwards from the pod's localhost to the host's. Ports the kubelet must probe are forwarded the other way,
 * from an ephemeral port on the host's 127.0.0.1. Without pasta the pod has loopback only (and a warning says so).
 *
 * The namespaces are held by a `sleep` started with `unshare`; containers enter them with `nsenter` before bwrap.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCapture } from './proc.js';

const HOLDER_SCRIPT = 'echo 0 > /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null; ip link set lo up 2>/dev/null; exec sleep infinity';

/** A free TCP port on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends SIGKILL to a process; ignores one that is gone. */
export function killQuietly(pid: number | undefined): void {
  if (!pid || pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** A pasta attached to a pod's network namespace. */
export interface Pasta {
  pid?: number;
  /** Pod port → port on the host's 127.0.0.1 that reaches it. */
  forwarded: Map<number, number>;
}

/**
 * Attaches pasta to a network namespace (`target`: a PID, or `--netns NAME`) and configures it: outbound through
 * pasta with the gateway not mapped to the host, the host loopback `hostPorts` reachable from the namespace's
 * localhost, and the namespace's `podPorts` forwarded from ephemeral ports on the host's 127.0.0.1. pasta detaches
 * once the namespace is configured; its pid is read from `<dir>/pasta.pid`. Throws with pasta's message.
 */
export async function startPasta(target: string[], opts: { dir: string; hostPorts: number[]; podPorts: number[]; pasta: string }): Promise<Pasta> {
  const forwarded = new Map<number, number>();
  for (const p of [...new Set(opts.podPorts)]) forwarded.set(p, await freePort());
  const pidFile = path.join(opts.dir, 'pasta.pid');
  const args = ['--config-net', '--no-map-gw', '-q', ...(process.getuid?.() === 0 ? ['--runas', '0'] : []), '-u', 'none', '-U', 'none'];
  args.push(...(forwarded.size ? [...forwarded].flatMap(([p, h]) => ['-t', `127.0.0.1/${h}:${p}`]) : ['-t', 'none']));
  args.push('-T', opts.hostPorts.length ? [...new Set(opts.hostPorts)].join(',') : 'none', '--pid', pidFile, ...target);
  const r = await runCapture([opts.pasta, ...args], { timeoutMs: 10_000 });
  if (r.code !== 0) {
    throw new Error(`pasta could not set up the pod's network: ${(r.stderr || r.stdout).split('\n').filter((l) => l && !l.includes('syslog')).join('; ')}`);
  }
  return { pid: pastaPid(opts.dir), forwarded };
}

/** The pid of the pasta of a pod directory (from its pid file), if any. */
export function pastaPid(dir: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(path.join(dir, 'pasta.pid'), 'utf8'), 10) || undefined;
  } catch {
    return undefined;
  }
}

/** True when a socket listens on TCP `port` in the network namespace of process `pid` (/proc/PID/net/tcp{,6}). */
export function listeningIn(pid: number, port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${f}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[1]?.endsWith(`:${hex}`)) return true;
    }
  }
  return false;
}

/** One pod's network namespace. */
export class PodNetwork {
  private constructor(
    readonly holderPid: number,
    private readonly pastaPid: number | undefined,
    /** Pod port → port on the host's 127.0.0.1 that reaches it. */
    readonly forwarded: ReadonlyMap<number, number>,
  ) {}

  /**
   * Creates the namespaces; `hostPorts` are the host loopback ports the pod may reach, `podPorts` the pod's ports
   * the kubelet must reach (probes). `pasta` is the binary, or undefined when it is missing.
   */
  static async create(opts: { dir: string; hostPorts: number[]; podPorts: number[]; pasta?: string }): Promise<PodNetwork> {
    const holder = spawn('unshare', ['--user', '--map-root-user', '--net', '--', 'sh', '-c', HOLDER_SCRIPT], { detached: true, stdio: 'ignore' });
    holder.unref();
    const pid = holder.pid ?? 0;
    const own = readlinkSync('/proc/self/ns/net');
    for (let i = 0; i < 400; i++) {
      let ns: string | undefined;
      try {
        ns = readlinkSync(`/proc/${pid}/ns/net`);
      } catch {
        ns = undefined;
      }
      if (ns && ns !== own) break;
      if (holder.exitCode !== null || i === 399) throw new Error('cannot create the pod\'s network namespace (unshare --user --net failed: are user namespaces enabled?)');
      await new Promise((r) => setTimeout(r, 5));
    }
    if (!opts.pasta) return new PodNetwork(pid, undefined, new Map());
    try {
      const p = await startPasta([String(pid)], { ...opts, pasta: opts.pasta });
      return new PodNetwork(pid, p.pid, p.forwarded);
    } catch (err) {
      killQuietly(pid);
      throw err;
    }
  }

  /** The command prefix that runs a program inside the pod's namespaces. */
  enterArgs(): string[] {
    return ['nsenter', '--preserve-credentials', '--user', '--net', '-t', String(this.holderPid), '--'];
  }

  /** Where the kubelet reaches the pod's `port` (a forwarded port on the host's loopback when there is one). */
  address(port: number): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.forwarded.get(port) ?? port };
  }

  /**
   * True when a socket of the pod listens on TCP `port` (read from the namespace's /proc/net/tcp{,6}). A
   * tcpSocket probe uses this: through pasta's forward a connect always succeeds on the host side.
   */
  listening(port: number): boolean {
    return listeningIn(this.holderPid, port);
  }

  close(dir: string): void {
    killQuietly(this.pastaPid);
    killQuietly(this.holderPid);
    rmSync(path.join(dir, 'pasta.pid'), { force: true });
  }
}
