/**
 * The contract between the pod runner and the container runtimes (host/bwrap, podman, docker, noop).
 * A runtime only knows how to start one container of a pod with everything already resolved: command, env,
 * host directories to bind, the termination-message file. Ordering, status, volumes and probes live above it.
 */

/** Where the kubelet writes each container's output (structurally the LogStore of src/embedded/logs.ts). */
export interface LogSink {
  append(namespace: string, pod: string, container: string, chunk: string | Uint8Array): unknown;
  finish(namespace: string, pod: string, container: string): unknown;
  /** A pod starts (its name may be one whose logs were removed). */
  open?(namespace: string, pod: string): unknown;
}

/** One bind of a host file or directory into a container. */
export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

/** The pod a container belongs to, as a runtime sees it. */
export interface PodIdentity {
  namespace: string;
  name: string;
  uid: string;
  /** The pod's scratch directory on the host (`<dataDir>/pods/<uid>`). */
  dir: string;
  /** A docker config file with the pod's image pull credentials (imagePullSecrets), when it has some. */
  pullAuthFile?: string;
  /** The pod's ports the kubelet connects to (container ports, probe ports). */
  ports?: number[];
}

/** Everything needed to start one container; produced by the pod runner. */
export interface ContainerLaunch {
  pod: PodIdentity;
  name: string;
  image: string;
  /** K8s `command` after $(VAR) expansion; undefined means "the image's ENTRYPOINT". */
  command?: string[];
  /** K8s `args` after $(VAR) expansion; undefined means "the image's CMD" (when command is also undefined). */
  args?: string[];
  /** Only the variables the pod spec sets (in order); runtimes add their own defaults. */
  env: Array<[string, string]>;
  workingDir?: string;
  /** Volume binds, already sorted so that parents come before children. */
  mounts: Mount[];
  /** Host file bound writable at the container's terminationMessagePath. */
  termination: { hostPath: string; containerPath: string };
  runAsUser?: number;
  runAsGroup?: number;
  /** The built step helper, bound read-only at /tektite/entrypoint. */
  helperPath: string;
  /** The container's imagePullPolicy (Always, IfNotPresent, Never), for the engine runtimes. */
  imagePullPolicy?: string;
  /** True for init containers (the podman runtime names and orders them). */
  init: boolean;
  /** securityContext.privileged (only set when the node grants it). */
  privileged?: boolean;
  /** The capability set (names without CAP_, or ['ALL']): the runtime default minus drop plus add. */
  capabilities?: string[];
}

/** How a container ended. */
export interface ExitInfo {
  exitCode: number;
  /** Set when the runtime itself failed to start the command (reported as reason StartError). */
  startError?: string;
  /** The termination message, from a runtime that reports it itself (no termination-message file). */
  message?: string;
}

/** A started container. */
export interface ContainerHandle {
  /** Runtime-qualified id, e.g. `host://<uid>-<name>` or `podman://<sha>`. */
  containerID: string;
  imageID: string;
  /** Resolves once when the container has exited and its output has been delivered. */
  exited: Promise<ExitInfo>;
  /** Stops the container (SIGTERM then SIGKILL where the runtime supports it); resolves when it is gone. */
  kill(): Promise<void>;
  /** Runs a command inside (or beside, with the same mounts) the container; answers its exit code. */
  exec(command: string[], timeoutMs: number): Promise<number>;
  /**
   * Runs a command inside the running container with streamed stdio (pods/exec): the container's namespaces,
   * user, capabilities and seccomp filter. Absent when the runtime cannot (noop) or the container never started.
   */
  stream?(req: ExecRequest): ExecProcess;
  /** Where the kubelet reaches the pod's `port` (probes); default 127.0.0.1:port (host network). */
  address?(port: number): { host: string; port: number };
  /** Whether something of the pod listens on TCP `port`, when the runtime can tell better than a connect. */
  listening?(port: number): boolean;
}

/** A command to run in a running container (pods/exec). */
export interface ExecRequest {
  command: string[];
  /** A terminal for the command (stdout and stderr are then one stream). */
  tty: boolean;
  /** Whether the caller sends input. */
  stdin: boolean;
  /** The terminal's first size, when known. */
  size?: { cols: number; rows: number };
}

/** A command started by {@link ContainerHandle.stream}. */
export interface ExecProcess {
  /** Null when the caller sends no input. */
  stdin: NodeJS.WritableStream | null;
  stdout: NodeJS.ReadableStream;
  /** Null with a terminal (its output is on stdout). */
  stderr: NodeJS.ReadableStream | null;
  /** Resizes the terminal (no-op without one). */
  resize(cols: number, rows: number): void;
  /** The command's exit code (128 + n when killed by signal n). */
  exited: Promise<number>;
  /** Kills the command (the caller went away). */
  kill(): void;
}

/** What making a container's image present gave (engine runtimes). */
export type ImagePull =
  | { status: 'present' }
  | { status: 'pulled'; ms: number }
  | { status: 'failed'; reason: 'ErrImagePull' | 'ErrImageNeverPull'; message: string };

/** One container engine. */
export interface ContainerRuntime {
  /** `host`, `podman`, `docker` or `noop`. */
  readonly name: string;
  /**
   * False when the runtime never reads the pod's host files (volume directories, termination-message files,
   * working directories): the kubelet then creates none of them (the noop runtime). Default true.
   */
  readonly usesHostFiles?: boolean;
  /** Called once per pod before its first container. */
  preparePod(pod: PodIdentity): Promise<void>;
  /**
   * Makes `image` present as the pull policy asks (Always, IfNotPresent, Never; absent = IfNotPresent), calling
   * `onPulling` before a pull starts. Runtimes without images (host, noop) do not have it.
   */
  ensureImage?(image: string, policy: string | undefined, onPulling: () => void, authFile?: string): Promise<ImagePull>;
  /** Starts a container; `onOutput` gets stdout and stderr merged, in order, as it arrives (bytes, or text). */
  start(launch: ContainerLaunch, onOutput: (chunk: string | Uint8Array) => void): Promise<ContainerHandle>;
  /** Removes whatever the runtime keeps for the pod (podman pod, containers). Never throws. */
  cleanupPod(pod: PodIdentity): Promise<void>;
}

/** Logger used by the kubelet; defaults to stderr. */
export interface KubeletLogger {
  warn(msg: string): void;
  debug?(msg: string): void;
}
