/**
 * The `host` runtime: every container is a bubblewrap sandbox over this machine's userland. Images are ignored.
 * The root is a tmpfs with read-only binds of /usr and /etc (never `--bind / /`), volumes are bound at their
 * container paths, the step helper at /tektite/entrypoint. PID, IPC and UTS namespaces are private per
 * container; the network is the host's, so a sidecar and a step of one pod reach each other on localhost
 * (and pods share the host's ports).
 */
import { existsSync } from 'node:fs';
import { repositoryOf } from '../../../pod/index.js';
import type { ContainerHandle, ContainerLaunch, ContainerRuntime, ExitInfo } from '../types.js';
import { creatableArgs } from './host-fs.js';
import { runCapture, spawnMerged } from './proc.js';

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

function fsArgs(launch: ContainerLaunch): string[] {
  const a = ['--tmpfs', '/', '--ro-bind', '/usr', '/usr'];
  for (const l of ['bin', 'lib', 'lib64', 'sbin']) {
    if (existsSync(`/usr/${l}`)) a.push('--symlink', `usr/${l}`, `/${l}`);
  }
  a.push('--ro-bind', '/etc', '/etc', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp');
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
export function bwrapArgs(launch: ContainerLaunch, command: string[]): string[] {
  const a = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session'];
  if (launch.runAsUser !== undefined && launch.runAsUser !== 0) {
    a.push('--unshare-user', '--uid', String(launch.runAsUser), '--gid', String(launch.runAsGroup ?? 0));
  }
  a.push('--hostname', hostnameOf(launch.pod.name), ...fsArgs(launch));
  a.push('--chdir', launch.workingDir || '/', '--', ...command);
  return a;
}

/** The command line a host container runs: command + args (args alone when there is no command). */
export function hostCommand(launch: ContainerLaunch): string[] {
  return [...(launch.command ?? []), ...(launch.args ?? [])];
}

/** The bubblewrap runtime. */
export class HostRuntime implements ContainerRuntime {
  readonly name = 'host';
  private readonly bwrap: string;

  constructor(opts: { bwrap?: string } = {}) {
    this.bwrap = opts.bwrap ?? 'bwrap';
  }

  async preparePod(): Promise<void> {
    // nothing: every container is its own sandbox
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
    let sandboxPid = 0;
    const onInfo = (text: string): void => {
      const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (m?.[1]) sandboxPid = Number(m[1]);
    };
    const child = spawnMerged([this.bwrap, '--info-fd', '3', ...bwrapArgs(launch, command)], { env, onOutput, onInfo });
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
        const r = await runCapture([this.bwrap, ...bwrapArgs(launch, cmd)], { timeoutMs, env });
        return r.code;
      },
    };
  }

  async cleanupPod(): Promise<void> {
    // sandboxes die with their processes
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

/** True when bubblewrap can build a sandbox on this machine. */
export async function bwrapWorks(bwrap = 'bwrap'): Promise<boolean> {
  const links = ['lib', 'lib64', 'bin'].filter((l) => existsSync(`/usr/${l}`)).flatMap((l) => ['--symlink', `usr/${l}`, `/${l}`]);
  const r = await runCapture([bwrap, '--unshare-pid', '--tmpfs', '/', '--ro-bind', '/usr', '/usr', ...links, '--', '/usr/bin/true'], { timeoutMs: 5000 });
  return r.code === 0;
}
