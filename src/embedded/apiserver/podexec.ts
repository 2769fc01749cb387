/**
 * `pods/exec` and `pods/attach`: the request (query parameters as kube-apiserver reads them, checked against the
 * stored pod), and the bridge between the kubelet's session and a multiplexed connection (WebSocket channels,
 * ws-channel.ts, or SPDY streams, spdy.ts): channel 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status with the
 * exit code, as the kubelet sends it, so that kubectl exits with the command's code), 4 resize.
 */
import type { KubeObject } from '../../api/types.js';
import { resourceKey, type ServerContext } from './context.js';
import { badRequest, notFound, StatusError } from './errors.js';
import type { ResourceRoute } from './route.js';

/** A command or attach running for a client (structurally the kubelet's ExecSession). */
export interface StreamSession {
  stdin?: NodeJS.WritableStream;
  stdout: NodeJS.ReadableStream;
  stderr?: NodeJS.ReadableStream;
  resize(cols: number, rows: number): void;
  exited: Promise<number>;
  kill(): void;
}

/** What the API server needs from the node that runs the pods (the embedded kubelet's PodStreams). */
export interface StreamBackend {
  exec(namespace: string, pod: string, container: string, command: string[], opts: { stdin: boolean; tty: boolean }): StreamSession;
  attach(namespace: string, pod: string, container: string, opts: { stdin: boolean; tty: boolean }): StreamSession;
}

/** A parsed exec or attach request. */
export interface StreamRequest {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The channel numbers of the remote command protocols. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

const flag = (q: URLSearchParams, k: string): boolean => ['true', '1'].includes(q.get(k) ?? '');

function containerOf(pod: KubeObject, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  const main = (spec.containers ?? []).map((c) => c.name);
  const all = [...main, ...(spec.initContainers ?? []).map((c) => c.name), ...(spec.ephemeralContainers ?? []).map((c) => c.name)];
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (main.length === 1) return main[0] as string;
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`);
}

/** Reads and checks an exec/attach request against the stored pod (errors as kube-apiserver words them). */
export function streamRequest(ctx: ServerContext, route: ResourceRoute, q: URLSearchParams): StreamRequest {
  const kind = route.sub === 'attach' ? 'attach' : 'exec';
  const namespace = route.namespace ?? '';
  const name = route.name ?? '';
  const pod = ctx.store.get(resourceKey(route.info), namespace, name);
  if (!pod) throw notFound(route.info, name);
  const container = containerOf(pod, q.get('container'));
  const req: StreamRequest = {
    kind, namespace, pod: name, container, command: q.getAll('command'),
    stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty'),
  };
  if (!req.stdin && !req.stdout && !req.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (kind === 'exec' && req.command.length === 0) throw badRequest('you must specify at least one command for the container');
  if (req.tty && req.stderr) req.stderr = false; // a terminal has one output stream, as in Kubernetes
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`${kind === 'exec' ? 'cannot exec into' : 'cannot attach'} a container in a completed pod; current phase is ${phase}`);
  return req;
}

/** Starts the request's session on the node; a refusal of the node becomes a Status error. */
export function startSession(ctx: ServerContext, req: StreamRequest): StreamSession {
  const backend = ctx.podStreams;
  if (!backend) throw badRequest(`this API server runs no pods: ${req.kind} needs the embedded kubelet (tkt up)`);
  try {
    const opts = { stdin: req.stdin, tty: req.tty };
    return req.kind === 'exec' ? backend.exec(req.namespace, req.pod, req.container, req.command, opts) : backend.attach(req.namespace, req.pod, req.container, opts);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    const status = (err as { status?: number }).status;
    throw new StatusError(status === 404 ? 404 : status === 400 ? 400 : 500, status === 400 ? 'BadRequest' : 'InternalError', (err as Error).message);
  }
}

/** The error channel's Status for an exit code (kubectl reads the code from details.causes). */
export function exitStatus(req: StreamRequest, code: number): unknown {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${req.command.join(' ')}], exit code ${code}`,
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The sending side of a multiplexed connection. */
export interface ChannelSink {
  /** Sends; false when the connection holds much unsent data (the caller waits for `whenDrained`). */
  send(channel: number, data: Buffer): boolean;
  /** Calls `cb` once the unsent data has gone down (at once when there is little). */
  whenDrained(cb: () => void): void;
  /** Ends the connection after everything sent. */
  close(): void;
}

/** The receiving side: what the connection hands to the session. */
export interface ChannelInput {
  data(channel: number, data: Buffer): void;
  /** The client closed its side of `channel` (v5 close signal, SPDY FIN). */
  end(channel: number): void;
  /** The connection is gone: the session is stopped. */
  gone(): void;
}

function parseResize(data: Buffer): { cols: number; rows: number } | undefined {
  try {
    const v = JSON.parse(data.toString('utf8')) as { Width?: number; Height?: number };
    return typeof v.Width === 'number' && typeof v.Height === 'number' ? { cols: v.Width, rows: v.Height } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Connects a session to a connection: output to channels 1 and 2 (only those the client asked for), then the exit
 * Status on channel 3 once the command ended and its output was sent, then the end of the connection.
 */
export function bridge(req: StreamRequest, session: StreamSession, sink: ChannelSink): ChannelInput {
  let finished = false;
  let resizeText = Buffer.alloc(0);
  const outputs: Promise<void>[] = [];
  const pipe = (stream: NodeJS.ReadableStream | undefined, channel: number, wanted: boolean): void => {
    if (!stream) return;
    outputs.push(new Promise((resolve) => {
      stream.on('data', (b: Buffer | string) => {
        if (!wanted || finished) return;
        // a slow client slows the command down instead of filling this process's memory
        if (!sink.send(channel, Buffer.isBuffer(b) ? b : Buffer.from(b))) {
          stream.pause();
          sink.whenDrained(() => stream.resume());
        }
      });
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    }));
  };
  pipe(session.stdout, CHANNEL.stdout, req.stdout);
  pipe(session.stderr, CHANNEL.stderr, req.stderr);
  void session.exited.then(async (code) => {
    await Promise.all(outputs);
    if (finished) return;
    if (req.kind === 'exec') sink.send(CHANNEL.error, Buffer.from(JSON.stringify(exitStatus(req, code))));
    finished = true;
    sink.close();
  });
  return {
    data(channel, data) {
      if (channel === CHANNEL.stdin) session.stdin?.write(data);
      else if (channel === CHANNEL.resize) {
        // a resize stream carries one JSON object per size; SPDY may split or join them
        resizeText = Buffer.concat([resizeText, data]);
        for (let end = resizeText.indexOf('}'); end >= 0; end = resizeText.indexOf('}')) {
          const size = parseResize(resizeText.subarray(0, end + 1));
          resizeText = resizeText.subarray(end + 1);
          if (size) session.resize(size.cols, size.rows);
        }
      }
    },
    end(channel) {
      if (channel === CHANNEL.stdin) session.stdin?.end();
    },
    gone() {
      if (finished) return;
      finished = true;
      session.kill();
    },
  };
}
