/**
 * The `podman` and `docker` runtimes, through their CLIs (the same command shapes work for both; DOCKER_HOST
 * may point at podman's socket). Containers run from their real images (`--pull=missing`), one engine container
 * per pod container, labelled with the pod's uid and named `tkt-<pod uid>-<container>`.
 *
 * Network: with podman, each pod has its own network namespace shared by its containers (engine-net.ts), so they
 * reach each other on localhost as in Kubernetes while this machine's loopback services stay out of reach (but the
 * ports named with `--host-port`, where pasta makes the namespace). docker (no pods, no namespace paths) uses the
 * host network (`--network host`). Volumes are host directories (`-v dir:path[:ro]`), the step helper is bound at
 * /tektite/entrypoint, environment values are passed through the CLI's environment (`-e NAME`) so that they
 * never appear on a command line.
 *
 * One CLI process per container: `<engine> run --cidfile F` (attached, not detached) creates and starts the
 * container, delivers its stdout and stderr (into one pipe) as the container writes them, and exits with its exit
 * code; the container's id is read from F once it is created. Image ids come from the image check before the
 * run. Stopping is `<engine> stop -t 2` (SIGTERM, SIGKILL after 2 s; the step helper handles SIGTERM as PID 1).
 * The pod's containers are removed together when the pod is cleaned up.
 */
import { existsSync, readFileSync } from 'node:fs';
import path, { dirname } from 'node:path';
import type { ContainerHandle, ContainerLaunch, ContainerRuntime, ExitInfo, ImagePull, PodIdentity } from '../types.js';
import { settledHandle } from './host.js';
import { execCommand, spawnExec } from './exec-proc.js';
import { EngineNetworks, type EngineNetMode, type EngineNetwork } from './engine-net.js';
import { ImageIds, runAttached, runDetached, type AttachedRun } from './engine-run.js';
import { runCapture } from './proc.js';

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

/** The `<engine> run` arguments for a launch (without the engine binary), before the run's own options. */
export function runArgs(launch: ContainerLaunch, extra: string[], network: string[] = ['--network', 'host']): string[] {
  const a = ['run', '--name', engineName(launch.pod, launch.name), '--label', `${LABEL}=${launch.pod.uid}`,
    ...network, `--pull=${pullPolicy(launch.imagePullPolicy)}`, ...extra,
    '-v', `${launch.helperPath}:/tektite/entrypoint:ro`];
  for (const m of launch.mounts) a.push('-v', `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
  a.push('-v', `${launch.termination.hostPath}:${launch.termination.containerPath}`);
  for (const [k, v] of launch.env) a.push('-e', ENGINE_VARS.test(k) ? `${k}=${v}` : k);
  if (launch.workingDir) a.push('-w', launch.workingDir);
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
  /** The pods' networks by pod uid (podman), made while the pod's first container is being prepared. */
  private readonly networks = new Map<string, Promise<EngineNetwork | Error>>();
  /** The containers of each pod by pod uid, removed together with the pod. */
  private readonly containers = new Map<string, Set<string>>();
  private readonly images: ImageIds;

  private constructor(readonly name: string, private readonly bin: string, private readonly global: string[], private readonly createExtra: string[], private readonly nets?: EngineNetworks) {
    this.images = new ImageIds((...a) => this.cmd(...a));
  }

  /**
   * The runtime for `podman` or `docker`. For podman running as root it adds what this kind of machine needs
   * (reference/runtime-feasibility.md §1.3): runc when containers.conf names no OCI runtime, and ulimits
   * within this process's hard limits. `net`: how podman's pods get their network (engine-net.ts).
   */
  static create(bin: 'podman' | 'docker', net?: { mode: EngineNetMode; hostPorts: number[]; pasta?: string }): CliRuntime {
    const conf = existsSync('/etc/containers/containers.conf') ? readFileSync('/etc/containers/containers.conf', 'utf8') : '';
    const { nofile, nproc } = hardLimits();
    // Only on machines whose limits are below the engines' defaults (a docker CLI may talk to a podman service).
    const constrained = nofile < 1048576 && !/default_ulimits/.test(conf);
    const extra = constrained ? ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`] : [];
    if (bin === 'docker') return new CliRuntime('docker', 'docker', [], extra);
    const global = !/^\s*runtime\s*=/m.test(conf) && (existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc')) ? ['--runtime', 'runc'] : [];
    const cmd = (...a: string[]): string[] => ['podman', ...global, ...a];
    const nets = new EngineNetworks(cmd, net?.mode ?? 'pod', { hostPorts: net?.hostPorts ?? [], ...(net?.pasta ? { pasta: net.pasta } : {}) });
    return new CliRuntime('podman', 'podman', global, extra, nets);
  }

  /** How podman's pods get their network (`netns` or `pod`); undefined for docker (host network). */
  get networkMode(): EngineNetMode | undefined {
    return this.nets?.mode;
  }

  private cmd(...args: string[]): string[] {
    return [this.bin, ...this.global, ...args];
  }

  /** podman: starts making the pod's network; its first container waits for it (so both overlap). */
  async preparePod(pod: PodIdentity): Promise<void> {
    if (!this.nets || this.networks.has(pod.uid)) return;
    const made = this.nets.create(pod).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    this.networks.set(pod.uid, made);
  }

  async ensureImage(image: string, policy: string | undefined, onPulling: () => void, authFile?: string): Promise<ImagePull> {
    if (policy !== 'Always' && (await this.images.present(image))) return { status: 'present' };
    if (policy === 'Never') return { status: 'failed', reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` };
    onPulling();
    const t0 = performance.now();
    // the pod's imagePullSecrets: podman's --authfile, docker's DOCKER_CONFIG (as for create)
    const auth = authFile && this.name === 'podman' ? ['--authfile', authFile] : [];
    const env = authFile && this.name !== 'podman' ? { ...process.env, DOCKER_CONFIG: dirname(authFile) } : undefined;
    const pulled = await runCapture(this.cmd('pull', '--quiet', ...auth, image), { timeoutMs: PULL_TIMEOUT_MS, ...(env ? { env } : {}) });
    if (pulled.code === 0) {
      this.images.forget(image);
      return { status: 'pulled', ms: performance.now() - t0 };
    }
    return { status: 'failed', reason: 'ErrImagePull', message: pullError(pulled.stderr || pulled.stdout, this.name) };
  }

  async start(launch: ContainerLaunch, onOutput: (chunk: string | Uint8Array) => void): Promise<ContainerHandle> {
    const name = engineName(launch.pod, launch.name);
    const network = await this.networks.get(launch.pod.uid);
    if (network instanceof Error) {
      return settledHandle(`${this.name}://${name}`, launch.image, { exitCode: 128, startError: `${this.name}: cannot make the pod's network: ${network.message}` });
    }
    const env = createEnv(launch);
    const cidFile = path.join(launch.pod.dir, `${launch.name}.cid`);
    const extra = [...this.createExtra, ...this.pullAuth(launch, env)];
    // podman: one attached run; docker: a detached run, then its logs and wait (an attached docker run through
    // podman's Docker API can miss the output of a container that ends at once)
    const launchRun = (): Promise<AttachedRun> => (this.name === 'podman'
      ? runAttached(this.cmd(...runArgs(launch, [...extra, '--cidfile', cidFile], network?.args)), env, cidFile, onOutput)
      : runDetached(this.cmd(...runArgs(launch, [...extra, '-d'], network?.args)), env, (...a) => this.cmd(...a), onOutput));
    let run = await launchRun();
    if (!run.id && /already in use|is in use|Conflict/i.test(run.preface)) {
      // a container of an earlier run of this pod (a kubelet that stopped)
      await runCapture(this.cmd('rm', '-f', name));
      run = await launchRun();
    }
    const { id } = run;
    if (!id) {
      const why = pullError(run.preface, this.name);
      return settledHandle(`${this.name}://${name}`, launch.image, { exitCode: 128, startError: `${this.name} run ${launch.image}: ${why}` });
    }
    let ids = this.containers.get(launch.pod.uid);
    if (!ids) this.containers.set(launch.pod.uid, (ids = new Set()));
    ids.add(id);
    const exited: Promise<ExitInfo> = run.exited.then((code) => (code === 125 ? this.exitOf(id, run.preface) : { exitCode: code }));
    return {
      containerID: `${this.name}://${id}`,
      imageID: await this.images.id(launch.image),
      exited,
      kill: async () => {
        await runCapture(this.cmd('stop', '-t', '2', id));
        await exited;
      },
      exec: async (command, timeoutMs) => (await runCapture(this.cmd('exec', id, ...command), { timeoutMs })).code,
      ...(network?.address ? { address: (port: number) => network.address?.(port) ?? { host: '127.0.0.1', port } } : {}),
      ...(network?.listening ? { listening: (port: number) => network.listening?.(port) ?? false } : {}),
      stream: (req) => {
        // podman passes the resize pipe through (--preserve-fds); docker cannot, so its terminal keeps its first size
        const resizable = this.name === 'podman';
        const flags = [...(req.stdin ? ['-i'] : []), ...(req.tty && resizable ? ['--preserve-fds', '1'] : [])];
        return spawnExec(this.cmd('exec', ...flags, id, ...execCommand(req, resizable)), req, { env: process.env });
      },
    };
  }

  /** The pod's imagePullSecrets for the pull: podman's --authfile, or DOCKER_CONFIG for docker (set in env). */
  private pullAuth(launch: ContainerLaunch, env: NodeJS.ProcessEnv): string[] {
    const file = launch.pod.pullAuthFile;
    if (!file) return [];
    if (this.name === 'podman') return ['--authfile', file];
    env.DOCKER_CONFIG = dirname(file);
    return [];
  }

  /** Exit 125 is the engine's own failure, or the container's code: the container's state tells. */
  private async exitOf(id: string, preface: string): Promise<ExitInfo> {
    const i = await runCapture(this.cmd('inspect', '--format', '{{.State.ExitCode}}|{{.State.Error}}', id));
    const [code, error] = i.stdout.trim().split('|');
    if (i.code === 0 && !error && Number.isInteger(Number(code))) return { exitCode: Number(code) };
    return { exitCode: 128, startError: `${this.name} run: ${error || pullError(preface || i.stderr, this.name)}` };
  }

  async cleanupPod(pod: PodIdentity): Promise<void> {
    const made = this.networks.get(pod.uid);
    this.networks.delete(pod.uid);
    let ids = [...(this.containers.get(pod.uid) ?? [])];
    this.containers.delete(pod.uid);
    if (made) await made;
    // a podman pod takes its containers with it
    if (this.nets?.mode === 'pod') return this.nets.remove(pod);
    if (!ids.length) {
      // a pod this process did not run (a kubelet that stopped): find its containers by label
      const ps = await runCapture(this.cmd('ps', '-a', '-q', '--filter', `label=${LABEL}=${pod.uid}`));
      ids = ps.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    }
    if (ids.length) await runCapture(this.cmd('rm', '-f', ...ids));
    await this.nets?.remove(pod);
  }
}
