/**
 * The `host` runtime: every container is a bubblewrap sandbox over this machine's userland. Images are ignored.
 * The root is a tmpfs with read-only binds of /usr and /etc (never `--bind / /`; /etc as an unprivileged user sees
 * it, with image-like accounts: host-etc.ts), volumes are bound at their container paths, the step helper at
 * /tektite/entrypoint. Every container gets its own user namespace (its root has capabilities only there, never
 * on the host), the container runtime's default capability set minus what securityContext drops, no_new_privs,
 * and a seccomp filter like the runtimes' default (seccomp.ts). PID, IPC and UTS namespaces are private per
 * container; the network is the host's, so a sidecar and a step of one pod reach each other on localhost (and
 * pods share the host's ports). docs/security.md has the trust model.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repositoryOf } from '../../../pod/index.js';
import type { ContainerHandle, ContainerLaunch, ContainerRuntime, ExitInfo, PodIdentity } from '../types.js';
import { DEFAULT_CAPABILITIES } from '../privileges.js';
import { etcArgs } from './host-etc.js';
import { creatableArgs } from './host-fs.js';
import { hostExec } from './host-exec.js';
import { PodNetwork } from './host-net.js';
import { currentArch, seccompProgram } from './seccomp.js';
import { runCapture, spawnMerged } from './proc.js';

/** The fd bwrap reads the seccomp program from (0-2 stdio, 3 the info pipe). */
const SECCOMP_FD = 4;

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Host directories bound read-only when they exist (besides /usr and /etc). */
const OPTIONAL_RO = ['/opt'];

/** Appended to PATH: commands of common images that the host lacks (`ash`, from busybox). */
const SHIM_BIN = '/tektite/bin';
const BUSYBOX = '/usr/bin/busybox';

/**
 * Images whose /bin/sh is busybox ash (alpine and busybox, and `*-alpine` variants). Their scripts may use ash
 * features dash lacks (`[ a == b ]`), so in those containers /bin/sh is busybox when the host has it.
 */
export function hasBusyboxShell(image: string): boolean {
  const repo = repositoryOf(image);
  const name = repo.replace(/^library\//, '');
  const tag = image.split('@')[0]?.split('/').pop()?.split(':')[1] ?? '';
  return name === 'alpine' || name === 'busybox' || tag.includes('alpine');
}

function imageShellArgs(launch: ContainerLaunch): string[] {
  if (!existsSync(BUSYBOX)) return [];
  const a = ['--symlink', BUSYBOX, `${SHIM_BIN}/ash`];
  if (hasBusyboxShell(launch.image)) a.push('--ro-bind', BUSYBOX, '/usr/bin/sh');
  return a;
}

/** The environment of the sandboxed command: the spec's variables plus PATH, HOME and HOSTNAME defaults. */
export function hostEnv(launch: ContainerLaunch): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of launch.env) env[k] = v;
  env.PATH = `${env.PATH ?? DEFAULT_PATH}:${SHIM_BIN}`;
  env.HOME ??= launch.runAsUser ? '/home' : '/root';
  env.HOSTNAME ??= hostnameOf(launch.pod.name);
  return env;
}

function hostnameOf(podName: string): string {
  return podName.slice(0, 63).replace(/[-.]+$/, '') || 'pod';
}

/** What the sandbox adds around a container besides its launch: /etc overlays and the seccomp filter's fd. */
export interface SandboxExtras {
  /** bwrap arguments applied over the read-only /etc (host-etc.ts etcArgs). */
  etc?: string[];
  /** File descriptor (in bwrap) of the seccomp program. */
  seccompFd?: number;
}

function fsArgs(launch: ContainerLaunch, extras: SandboxExtras): string[] {
  const a = ['--tmpfs', '/', '--ro-bind', '/usr', '/usr'];
  for (const l of ['bin', 'lib', 'lib64', 'sbin']) {
    if (existsSync(`/usr/${l}`)) a.push('--symlink', `usr/${l}`, `/${l}`);
  }
  a.push('--ro-bind', '/etc', '/etc', ...(extras.etc ?? []), '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp');
  for (const d of OPTIONAL_RO) if (existsSync(d)) a.push('--ro-bind', d, d);
  const targets = [...launch.mounts.map((m) => m.containerPath), launch.termination.containerPath];
  if (launch.workingDir) targets.push(launch.workingDir);
  const creatable = creatableArgs(targets);
  a.push(...creatable.before);
  const mounted = new Set(launch.mounts.map((m) => m.containerPath));
  for (const d of ['/root', '/home']) if (!mounted.has(d)) a.push('--tmpfs', d);
  a.push('--ro-bind', launch.helperPath, '/tektite/entrypoint', ...imageShellArgs(launch));
  for (const m of launch.mounts) a.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.containerPath);
  a.push('--bind', launch.termination.hostPath, launch.termination.containerPath);
  if (launch.workingDir && launch.workingDir !== '/') a.push('--dir', launch.workingDir);
  return [...a, ...creatable.after];
}

/** The bwrap argument list (without the program name) that runs `command` for this container. */
export function bwrapArgs(launch: ContainerLaunch, command: string[], extras: SandboxExtras = {}): string[] {
  const a = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session'];
  a.push('--unshare-user', '--uid', String(launch.runAsUser ?? 0), '--gid', String(launch.runAsGroup ?? 0));
  a.push(...capabilityArgs(launch));
  if (extras.seccompFd !== undefined) a.push('--seccomp', String(extras.seccompFd));
  a.push('--hostname', hostnameOf(launch.pod.name), ...fsArgs(launch, extras));
  a.push('--chdir', launch.workingDir || '/', '--', ...command);
  return a;
}

/** The container's capabilities (in its user namespace): the runtime default set unless the launch says. */
export function capabilityArgs(launch: ContainerLaunch): string[] {
  const caps = launch.privileged ? ['ALL'] : (launch.capabilities ?? DEFAULT_CAPABILITIES);
  if (caps.includes('ALL')) return ['--cap-add', 'ALL'];
  return ['--cap-drop', 'ALL', ...caps.flatMap((c) => ['--cap-add', `CAP_${c}`])];
}

/** The command line a host container runs: command + args (args alone when there is no command). */
export function hostCommand(launch: ContainerLaunch): string[] {
  return [...(launch.command ?? []), ...(launch.args ?? [])];
}

/** The bubblewrap runtime. */
export class HostRuntime implements ContainerRuntime {
  readonly name = 'host';
  private readonly bwrap: string;
  private seccompPath?: string;

  private readonly networks = new Map<string, PodNetwork>();
  private readonly hostPorts: number[];
  private readonly pasta?: string;

  /** `hostPorts`: host loopback ports pods may reach; `pasta`: the user-mode network stack (none: loopback only). */
  constructor(opts: { bwrap?: string; hostPorts?: number[]; pasta?: string } = {}) {
    this.bwrap = opts.bwrap ?? 'bwrap';
    this.hostPorts = opts.hostPorts ?? [];
    this.pasta = opts.pasta;
  }

  /** The pod's /etc overlays for this container, and the seccomp filter's fd when there is a filter. */
  private extras(launch: ContainerLaunch): SandboxExtras {
    const etc = etcArgs(path.join(launch.pod.dir, 'etc', launch.name), launch.runAsUser ?? 0, launch.runAsGroup ?? 0);
    // a privileged container is unconfined, as in Kubernetes (only when the node grants it: privileges.ts)
    return { etc, ...(this.seccompFile() && !launch.privileged ? { seccompFd: SECCOMP_FD } : {}) };
  }

  /** The seccomp program, written once per process into a private temp file (none on other architectures). */
  private seccompFile(): string | undefined {
    if (this.seccompPath !== undefined) return this.seccompPath || undefined;
    const arch = currentArch();
    if (!arch) {
      this.seccompPath = '';
      return undefined;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'tektite-seccomp-'));
    this.seccompPath = path.join(dir, `${arch}.bpf`);
    writeFileSync(this.seccompPath, seccompProgram(arch), { mode: 0o600 });
    return this.seccompPath;
  }

  /** The pod's network namespace (host-net.ts), shared by its containers. */
  async preparePod(pod: PodIdentity): Promise<void> {
    if (this.networks.has(pod.uid)) return;
    mkdirSync(pod.dir, { recursive: true });
    this.networks.set(pod.uid, await PodNetwork.create({ dir: pod.dir, hostPorts: this.hostPorts, podPorts: pod.ports ?? [], pasta: this.pasta }));
  }

  /** The command prefix entering the pod's network namespace (none for a pod prepared by nobody, in tests). */
  private enter(pod: PodIdentity): string[] {
    return this.networks.get(pod.uid)?.enterArgs() ?? [];
  }

  async start(launch: ContainerLaunch, onOutput: (chunk: string) => void): Promise<ContainerHandle> {
    const command = hostCommand(launch);
    const id = `host://${launch.pod.uid}-${launch.name}`;
    if (command.length === 0) {
      const startError = `container ${launch.name} has neither command nor args; the host runtime ignores images ` +
        `(${launch.image || 'no image'}), so it has nothing to run`;
      return settledHandle(id, launch.image, { exitCode: 128, startError });
    }
    const env = hostEnv(launch);
    const extras = this.extras(launch);
    let sandboxPid = 0;
    const onInfo = (text: string): void => {
      const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (m?.[1]) sandboxPid = Number(m[1]);
    };
    const enter = this.enter(launch.pod);
    const seccomp = extras.seccompFd !== undefined ? this.seccompFile() : undefined;
    const child = spawnMerged([...enter, this.bwrap, '--info-fd', '3', ...bwrapArgs(launch, command, extras)], { env, onOutput, onInfo, seccomp, stdin: launch.stdin === true });
    const network = this.networks.get(launch.pod.uid);
    const exited: Promise<ExitInfo> = child.exited.then((exitCode) => ({ exitCode }));
    return {
      containerID: `${id}-${child.pid}`,
      imageID: launch.image,
      exited,
      kill: async () => {
        // SIGTERM ends bwrap, whose sandbox then dies (--die-with-parent); killing the sandbox's PID 1 ends every
        // process of its PID namespace even if that raced with bwrap's setup.
        child.signal('SIGTERM');
        killPid(sandboxPid);
        const t = setTimeout(() => { child.signal('SIGKILL'); killPid(sandboxPid); }, 2000);
        await exited;
        clearTimeout(t);
      },
      exec: async (cmd, timeoutMs) => {
        const r = await runCapture([...enter, this.bwrap, ...bwrapArgs(launch, cmd, extras)], { timeoutMs, env, seccomp });
        return r.code;
      },
      stream: (cmd, o) => hostExec(launch, { target: sandboxPid, holder: network?.holderPid }, cmd, { ...o, env, ...(seccomp ? { seccomp } : {}) }),
      ...(child.stdin ? { stdin: child.stdin } : {}),
      ...(network ? { address: (port: number) => network.address(port), listening: (port: number) => network.listening(port) } : {}),
    };
  }

  async cleanupPod(pod: PodIdentity): Promise<void> {
    // sandboxes die with their processes; the network's holder and pasta are ended here
    this.networks.get(pod.uid)?.close(pod.dir);
    this.networks.delete(pod.uid);
  }
}

function killPid(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** A handle for a container that never ran. */
export function settledHandle(containerID: string, imageID: string, info: ExitInfo): ContainerHandle {
  return {
    containerID,
    imageID,
    exited: Promise.resolve(info),
    kill: async () => undefined,
    exec: async () => 1,
  };
}

/** The pasta binary when it can configure a namespace here (it needs /dev/net/tun), else undefined. */
export async function pastaWorks(pasta = 'pasta'): Promise<string | undefined> {
  const r = await runCapture(['unshare', '--user', '--map-root-user', '--net', '--', 'sh', '-c', `${pasta} --version >/dev/null 2>&1 && test -r /dev/net/tun -a -w /dev/net/tun`], { timeoutMs: 5000 });
  return r.code === 0 ? pasta : undefined;
}

/** True when bubblewrap can build a sandbox on this machine. */
export async function bwrapWorks(bwrap = 'bwrap'): Promise<boolean> {
  const links = ['lib', 'lib64', 'bin'].filter((l) => existsSync(`/usr/${l}`)).flatMap((l) => ['--symlink', `usr/${l}`, `/${l}`]);
  const r = await runCapture([bwrap, '--unshare-pid', '--tmpfs', '/', '--ro-bind', '/usr', '/usr', ...links, '--', '/usr/bin/true'], { timeoutMs: 5000 });
  return r.code === 0;
}
