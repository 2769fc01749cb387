/**
 * The `podman` and `docker` runtimes, through their CLIs (the same command shapes work for both; DOCKER_HOST
 * may point at podman's socket). Containers run from their real images (`--pull=missing`), one engine container
 * per pod container, labelled with the pod's uid and named `tkt-<pod uid>-<container>`.
 *
 * Network: every container uses the host network (`--network host`), as the host runtime does, so the
 * containers of a pod reach each other on localhost and httpGet/tcpSocket probes reach them from here; pods
 * share the host's ports. Volumes are host directories (`-v dir:path[:ro]`), the step helper is bound at
 * /tektite/entrypoint, environment values are passed through the CLI's environment (`-e NAME`) so that they
 * never appear on a command line. Output is `<engine> logs -f` (which replays the engine's log file in order,
 * stdout and stderr into one pipe), the exit code comes from `<engine> wait`. Stopping is `<engine> stop -t 2` (SIGTERM, SIGKILL after 2 s; the
 * step helper handles SIGTERM as PID 1).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContainerHandle, ContainerLaunch, ContainerRuntime, ExitInfo, ImagePull, PodIdentity } from '../types.js';
import { settledHandle } from './host.js';
import { RESIZE_FD, spawnSession } from './exec-proc.js';
import { runCapture, spawnMerged } from './proc.js';

const LABEL = 'tektite.dev/pod-uid';

/** Variables the engine CLI itself reads: passed inline (`-e K=V`) instead of through the CLI's environment. */
const ENGINE_VARS = /^(PATH|HOME|TMPDIR|USER|SHELL|LANG|LC_.*|LD_.*|XDG_.*|CONTAINERS_.*|CONTAINER_.*|DOCKER_.*|PODMAN_.*|BUILDAH_.*|STORAGE_.*|REGISTRY_AUTH_FILE)$/;

/** The CLI's environment for `create`: ours plus the container's values that are passed by name. */
export function createEnv(launch: ContainerLaunch): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of launch.env) if (!ENGINE_VARS.test(k)) env[k] = v;
  return env;
}

/** True when `<engine> info` succeeds within the time. */
export async function engineAnswers(bin: string, timeoutMs: number): Promise<boolean> {
  const r = await runCapture([bin, 'info'], { timeoutMs });
  return r.code === 0;
}

/** Engine container name of a pod container. */
export function engineName(pod: PodIdentity, container: string): string {
  return `tkt-${pod.uid}-${container}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

function pullPolicy(policy: string | undefined): string {
  if (policy === 'Never') return 'never';
  if (policy === 'Always') return 'always';
  return 'missing';
}

/** The `<engine> create` arguments for a launch (without the engine binary). */
export function createArgs(launch: ContainerLaunch, extra: string[]): string[] {
  const a = ['create', '--name', engineName(launch.pod, launch.name), '--label', `${LABEL}=${launch.pod.uid}`,
    '--network', 'host', `--pull=${pullPolicy(launch.imagePullPolicy)}`, ...extra,
    '-v', `${launch.helperPath}:/tektite/entrypoint:ro`];
  for (const m of launch.mounts) a.push('-v', `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
  a.push('-v', `${launch.termination.hostPath}:${launch.termination.containerPath}`);
  for (const [k, v] of launch.env) a.push('-e', ENGINE_VARS.test(k) ? `${k}=${v}` : k);
  if (launch.workingDir) a.push('-w', launch.workingDir);
  if (launch.stdin) a.push('-i');
  if (launch.privileged) a.push('--privileged');
  else if (launch.capabilities) a.push('--cap-drop=all', ...launch.capabilities.map((c) => `--cap-add=${c === 'ALL' ? 'all' : `CAP_${c}`}`));
  if (launch.runAsUser !== undefined) a.push('--user', `${launch.runAsUser}${launch.runAsGroup !== undefined ? `:${launch.runAsGroup}` : ''}`);
  // `--entrypoint` takes one program in docker (podman also accepts JSON): the rest of the command goes after the
  // image, before the args. Overriding the entrypoint drops the image's CMD, as Kubernetes does.
  const [program, ...rest] = launch.command ?? [];
  if (program !== undefined) a.push('--entrypoint', program);
  a.push(launch.image, ...rest, ...(launch.args ?? []));
  return a;
}

function hardLimits(): { nofile: number; nproc: number } {
  // Node has no getrlimit; /proc/self/limits has the hard limits of this process.
  const text = existsSync('/proc/self/limits') ? readFileSync('/proc/self/limits', 'utf8') : '';
  const hard = (name: string): number => {
    const m = new RegExp(`^${name}\\s+\\S+\\s+(\\S+)`, 'm').exec(text);
    return m?.[1] && /^\d+$/.test(m[1]) ? Number(m[1]) : Number.POSITIVE_INFINITY;
  };
  return { nofile: Math.min(hard('Max open files'), 1048576), nproc: Math.min(hard('Max processes'), 32768) };
}

/** A pull that takes longer than this fails (the kubelet then backs off and tries again). */
const PULL_TIMEOUT_MS = 10 * 60_000;

/** The engine's own error line of a failed pull (`Error: …` in podman and docker), without retry warnings. */
export function pullError(output: string, engine: string): string {
  const lines = output.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => /^Error( response from daemon)?: /.test(l));
  const text = error?.replace(/^Error( response from daemon)?: /, '') ?? lines.pop();
  return text || `${engine} pull failed`;
}

/** A container engine driven through its CLI. */
export class CliRuntime implements ContainerRuntime {
  private constructor(readonly name: string, private readonly bin: string, private readonly global: string[], private readonly createExtra: string[]) {}

  /**
   * The runtime for `podman` or `docker`. For podman running as root it adds what this kind of machine needs
   * (reference/runtime-feasibility.md §1.3): runc when containers.conf names no OCI runtime, and ulimits
   * within this process's hard limits.
   */
  static create(bin: 'podman' | 'docker'): CliRuntime {
    const conf = existsSync('/etc/containers/containers.conf') ? readFileSync('/etc/containers/containers.conf', 'utf8') : '';
    const { nofile, nproc } = hardLimits();
    // Only on machines whose limits are below the engines' defaults (a docker CLI may talk to a podman service).
    const constrained = nofile < 1048576 && !/default_ulimits/.test(conf);
    const extra = constrained ? ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`] : [];
    if (bin === 'docker') return new CliRuntime('docker', 'docker', [], extra);
    const global = !/^\s*runtime\s*=/m.test(conf) && (existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc')) ? ['--runtime', 'runc'] : [];
    return new CliRuntime('podman', 'podman', global, extra);
  }

  private cmd(...args: string[]): string[] {
    return [this.bin, ...this.global, ...args];
  }

  async preparePod(): Promise<void> {
    // containers are created one by one as the pod runner starts them
  }

  async ensureImage(image: string, policy: string | undefined, onPulling: () => void, authFile?: string): Promise<ImagePull> {
    const present = policy === 'Always' ? false : (await runCapture(this.cmd('image', 'inspect', '--format', '{{.Id}}', image))).code === 0;
    if (present) return { status: 'present' };
    if (policy === 'Never') return { status: 'failed', reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` };
    onPulling();
    const t0 = performance.now();
    // the pod's imagePullSecrets: podman's --authfile, docker's DOCKER_CONFIG (as for create)
    const auth = authFile && this.name === 'podman' ? ['--authfile', authFile] : [];
    const env = authFile && this.name !== 'podman' ? { ...process.env, DOCKER_CONFIG: dirname(authFile) } : undefined;
    const pulled = await runCapture(this.cmd('pull', '--quiet', ...auth, image), { timeoutMs: PULL_TIMEOUT_MS, ...(env ? { env } : {}) });
    if (pulled.code === 0) return { status: 'pulled', ms: performance.now() - t0 };
    return { status: 'failed', reason: 'ErrImagePull', message: pullError(pulled.stderr || pulled.stdout, this.name) };
  }

  async start(launch: ContainerLaunch, onOutput: (chunk: string) => void): Promise<ContainerHandle> {
    const env = createEnv(launch);
    const name = engineName(launch.pod, launch.name);
    await runCapture(this.cmd('rm', '-f', name));
    const extra = [...this.createExtra, ...this.pullAuth(launch, env)];
    const created = await runCapture(this.cmd(...createArgs(launch, extra)), { env });
    if (created.code !== 0) {
      const why = (created.stderr || created.stdout).trim();
      return settledHandle(`${this.name}://${name}`, launch.image, { exitCode: 128, startError: `${this.name} create ${launch.image}: ${why}` });
    }
    const id = created.stdout.trim().split('\n').pop() ?? name;
    const inspected = await runCapture(this.cmd('inspect', '--format', '{{.Image}}', id));
    const started = await runCapture(this.cmd('start', id));
    if (started.code !== 0) onOutput(`${started.stderr.trim()}\n`);
    const follow = spawnMerged(this.cmd('logs', '-f', id), { env: process.env, onOutput });
    // `stdin: true`: the container's standard input, through an attach that only writes (output comes from logs)
    const attach = launch.stdin ? this.stdinOf(id) : undefined;
    const exited: Promise<ExitInfo> = follow.exited.then(() => this.exitOf(id));
    return {
      containerID: `${this.name}://${id}`,
      imageID: inspected.stdout.trim(),
      exited,
      kill: async () => {
        await runCapture(this.cmd('stop', '-t', '2', id));
        await exited;
      },
      exec: async (command, timeoutMs) => (await runCapture(this.cmd('exec', id, ...command), { timeoutMs })).code,
      // with a terminal, the engine CLI itself runs on one (the step helper's nsexec -tty) and passes its size on
      stream: (command, o) => spawnSession([
        ...(o.tty ? [launch.helperPath, 'nsexec', '-tty', '-resize_fd', String(RESIZE_FD), '--'] : []),
        ...this.cmd('exec', ...(o.stdin ? ['-i'] : []), ...(o.tty ? ['-t'] : []), id, ...command),
      ], { env: process.env, stdin: o.stdin, tty: o.tty }),
      ...(attach ? { stdin: attach } : {}),
    };
  }

  /** A writable stream into the container's standard input (`<engine> attach` with its output ignored). */
  private stdinOf(id: string): NodeJS.WritableStream {
    const child = spawn(this.bin, [...this.global, 'attach', '--detach-keys', '', '--sig-proxy=false', id], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.on('error', () => undefined);
    child.on('error', () => undefined);
    return child.stdin;
  }

  /** The pod's imagePullSecrets for the pull: podman's --authfile, or DOCKER_CONFIG for docker (set in env). */
  private pullAuth(launch: ContainerLaunch, env: NodeJS.ProcessEnv): string[] {
    const file = launch.pod.pullAuthFile;
    if (!file) return [];
    if (this.name === 'podman') return ['--authfile', file];
    env.DOCKER_CONFIG = dirname(file);
    return [];
  }

  private async exitOf(id: string): Promise<ExitInfo> {
    const w = await runCapture(this.cmd('wait', id));
    const code = Number(w.stdout.trim().split('\n').pop());
    if (w.code === 0 && Number.isInteger(code)) return { exitCode: code };
    const i = await runCapture(this.cmd('inspect', '--format', '{{.State.ExitCode}}', id));
    const c2 = Number(i.stdout.trim());
    return Number.isInteger(c2) && i.code === 0 ? { exitCode: c2 } : { exitCode: 128, startError: `${this.name} wait ${id}: ${w.stderr.trim()}` };
  }

  async cleanupPod(pod: PodIdentity): Promise<void> {
    const ps = await runCapture(this.cmd('ps', '-a', '-q', '--filter', `label=${LABEL}=${pod.uid}`));
    const ids = ps.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    if (ids.length) await runCapture(this.cmd('rm', '-f', ...ids));
  }
}
