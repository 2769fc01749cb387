/**
 * `pods/exec` and `pods/attach` over WebSocket, the protocol kubectl 1.30+ speaks first (`v5.channel.k8s.io`, and
 * `v4.channel.k8s.io`): binary messages whose first byte is the channel — 0 stdin, 1 stdout, 2 stderr, 3 the
 * final metav1.Status (exit code in `details.causes`), 4 terminal resize ({"Width","Height"}), and in v5 255 "close
 * this channel" (stdin's end); and over SPDY/3.1 (older kubectl, and kubectl's fallback: exec-spdy.ts). The command
 * runs in the kubelet (PodConnector).
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type * as Ws from 'ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { KubeObject } from '../../api/types.js';
import type { ExecProcess, ExecRequest } from '../kubelet/types.js';
import { bytesOf } from '../logs.js';
import { resourceKey, type ServerContext } from './context.js';
import { authorizeRequest } from './authz.js';
import { badRequest, notFound, StatusError, type Status } from './errors.js';
import { spdySession, spdyUpgradeAnswer, SPDY_PROTOCOL } from './exec-spdy.js';
import { pickContainer } from './podlog.js';
import { route } from './route.js';

/** Where pods' processes run: the kubelet of this process. Throws an Error whose message is the user's answer. */
export interface PodConnector {
  exec(namespace: string, pod: string, container: string, req: ExecRequest): ExecProcess;
}

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CH = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** What a valid exec/attach request asks for. */
export interface StreamRequest {
  sub: 'exec' | 'attach';
  namespace: string;
  pod: KubeObject;
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
}

const flag = (q: URLSearchParams, k: string): boolean => ['true', '1'].includes(q.get(k) ?? '');

/** Checks the request as kube-apiserver and the kubelet do; throws a StatusError to answer. */
export function parseStreamRequest(ctx: ServerContext, url: URL, req?: IncomingMessage): StreamRequest {
  const r = route(url.pathname);
  if (r.type !== 'resource' || r.info.kind !== 'Pod' || (r.sub !== 'exec' && r.sub !== 'attach') || !r.name) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  if (req) authorizeRequest(ctx, req, r, false);
  const namespace = r.namespace ?? 'default';
  const pod = ctx.store.get(resourceKey(r.info), namespace, r.name);
  if (!pod) throw notFound(r.info, r.name);
  const q = url.searchParams;
  const container = pickContainer(pod, q.get('container'));
  const command = q.getAll('command');
  if (r.sub === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command');
  if (!flag(q, 'stdin') && !flag(q, 'stdout') && !flag(q, 'stderr')) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot ${r.sub === 'exec' ? 'exec into' : 'attach to'} a container in a completed pod; current phase is ${phase}`);
  return { sub: r.sub, namespace, pod, container, command, stdin: flag(q, 'stdin'), tty: flag(q, 'tty') };
}

/** Writes a Status as a plain HTTP answer on a socket that asked for an upgrade. */
export function rejectUpgrade(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  const reason = status.code === 401 ? 'Unauthorized' : status.code === 404 ? 'Not Found' : status.code === 403 ? 'Forbidden' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The status sent on the error channel when the command ended with `code`. */
export function exitStatus(code: number, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The streams of one exec/attach session, whatever the transport (WebSocket channels or SPDY streams). */
export interface SessionStreams {
  /** Output to the caller on stdout (1) or stderr (2). */
  out(channel: 1 | 2, data: Buffer | string): void;
  /** Sends the final Status and ends the session. */
  finish(status: Record<string, unknown>): void;
  onStdin(fn: (data: Buffer) => void): void;
  onStdinEnd(fn: () => void): void;
  onResize(fn: (cols: number, rows: number) => void): void;
  /** The caller went away. */
  onClose(fn: () => void): void;
}

/** Parses a resize message ({"Width":…,"Height":…}); undefined when malformed (ignored, as the kubelet does). */
export function parseResize(text: string): { cols: number; rows: number } | undefined {
  try {
    const size = JSON.parse(text) as { Width?: number; Height?: number };
    return { cols: Number(size.Width ?? 0), rows: Number(size.Height ?? 0) };
  } catch {
    return undefined;
  }
}

/** Resolves when `s` has ended (or at once when there is none). */
const ended = (s: NodeJS.ReadableStream | null): Promise<void> => new Promise((resolve) => {
  if (!s) return resolve();
  s.on('end', resolve);
  s.on('error', () => resolve());
  s.on('close', resolve);
});

/** Runs an exec session; answers how to stop it. */
export function execSession(io: SessionStreams, proc: ExecProcess, command: string[]): () => void {
  proc.stdout.on('data', (b: Buffer) => io.out(1, b));
  proc.stderr?.on('data', (b: Buffer) => io.out(2, b));
  io.onStdin((b) => proc.stdin?.write(b));
  io.onStdinEnd(() => proc.stdin?.end());
  io.onResize((cols, rows) => proc.resize(cols, rows));
  const stop = (): void => proc.kill();
  io.onClose(stop);
  void Promise.all([proc.exited, ended(proc.stdout), ended(proc.stderr)]).then(([code]) => io.finish(exitStatus(code, command)));
  return stop;
}

/** Runs an attach session: the container's output from now on, until it finishes (its stdin is never open). */
export function attachSession(ctx: ServerContext, io: SessionStreams, r: StreamRequest): () => void {
  const name = r.pod.metadata.name ?? '';
  const follow = ctx.logs.follow(r.namespace, name, r.container, { tailLines: 0 }, (text) => io.out(1, bytesOf(text)));
  io.onClose(() => follow.stop());
  void follow.done.then(() => io.finish({ metadata: {}, status: 'Success' }));
  return () => follow.stop();
}

/** WebSocket channels as session streams. */
function wsStreams(ws: WebSocket): SessionStreams {
  const send = (channel: number, data: Buffer | string): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]));
  };
  const v5 = ws.protocol === PROTOCOLS[0];
  const handlers = { stdin: (_b: Buffer): void => undefined, end: (): void => undefined, resize: (_c: number, _r: number): void => undefined };
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const data = isBinary ? raw : Buffer.from(raw.toString(), 'utf8');
    const ch = data[0];
    const rest = data.subarray(1);
    if (ch === CH.stdin) handlers.stdin(rest);
    else if (ch === CH.resize) {
      const size = parseResize(rest.toString('utf8'));
      if (size) handlers.resize(size.cols, size.rows);
    } else if (ch === CH.close && v5 && rest[0] === CH.stdin) handlers.end();
  });
  return {
    out: (channel, data) => send(channel, data),
    finish: (status) => {
      send(CH.error, JSON.stringify(status));
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
    onStdin: (fn) => { handlers.stdin = fn; },
    onStdinEnd: (fn) => { handlers.end = fn; },
    onResize: (fn) => { handlers.resize = fn; },
    onClose: (fn) => { ws.on('close', fn); },
  };
}

/** The `upgrade` listener of the API server's HTTP servers. */
export function upgradeHandler(ctx: ServerContext, o: { authorized: (req: IncomingMessage) => boolean; connector: () => PodConnector | undefined; streams: Set<() => void> }): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  // ws (~15 ms to load) only when a client first asks for exec or attach over WebSocket, not at every start
  let wss: WebSocketServer | undefined;
  const server = (): WebSocketServer => (wss ??= new (createRequire(import.meta.url)('ws') as typeof Ws).WebSocketServer({
    noServer: true, perMessageDeflate: false, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  }));
  return (req, socket, head) => {
    socket.on('error', () => undefined);
    let r: StreamRequest;
    let proc: ExecProcess | undefined;
    let spdy = false;
    try {
      if (!o.authorized(req)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      r = parseStreamRequest(ctx, new URL(req.url ?? '/', 'http://localhost'), req);
      const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
      spdy = upgrade.startsWith('spdy/');
      if (spdy) {
        const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim());
        if (!versions.includes(SPDY_PROTOCOL)) throw badRequest(`unsupported streaming protocol over SPDY: offer ${SPDY_PROTOCOL} (kubectl 1.11 and later)`);
      } else {
        const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
        if (upgrade !== 'websocket') throw badRequest(`${r.sub} needs an upgrade to WebSocket (${PROTOCOLS.join(', ')}) or SPDY/3.1`);
        if (!PROTOCOLS.some((p) => offered.includes(p))) throw badRequest(`unsupported streaming protocol: offer one of ${PROTOCOLS.join(', ')}`);
      }
      if (r.sub === 'exec') {
        const connector = o.connector();
        if (!connector) throw badRequest('no kubelet runs pods in this API server\'s process: exec is not available');
        try {
          proc = connector.exec(r.namespace, r.pod.metadata.name ?? '', r.container, { command: r.command, tty: r.tty, stdin: r.stdin });
        } catch (err) {
          throw badRequest((err as Error).message);
        }
      }
    } catch (err) {
      const status = err instanceof StatusError ? err.status : new StatusError(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`).status;
      rejectUpgrade(socket, status);
      return;
    }
    const begin = (io: SessionStreams): (() => void) => {
      const stop = proc ? execSession(io, proc, r.command) : attachSession(ctx, io, r);
      const end = (): void => {
        stop();
        socket.destroy();
      };
      o.streams.add(end);
      io.onClose(() => o.streams.delete(end));
      return end;
    };
    if (spdy) {
      socket.write(spdyUpgradeAnswer());
      begin(spdySession(socket, head, { stdin: r.stdin, stdout: true, stderr: !r.tty, tty: r.tty }));
      return;
    }
    server().handleUpgrade(req, socket, head, (ws) => {
      const io = wsStreams(ws);
      const stop = proc ? execSession(io, proc, r.command) : attachSession(ctx, io, r);
      const end = (): void => {
        stop();
        ws.terminate();
      };
      o.streams.add(end);
      ws.on('close', () => o.streams.delete(end));
    });
  };
}
