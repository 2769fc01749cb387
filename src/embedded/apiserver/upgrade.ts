/**
 * Upgraded connections: `pods/exec` and `pods/attach` over WebSocket (ws-channel.ts) or SPDY/3.1 (spdy.ts), the
 * two transports kubectl speaks (1.30+ tries WebSocket first and falls back to SPDY when the upgrade fails).
 * Everything is checked before the upgrade, so a refusal is an ordinary Status answer that kubectl prints.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerContext } from './context.js';
import { badRequest, StatusError, type Status } from './errors.js';
import type { StreamRegistry } from './handlers.js';
import { bridge, startSession, streamRequest } from './podexec.js';
import { route } from './route.js';
import { authorized, unauthorized } from './server.js';
import { acceptSpdy, isSpdy, SPDY_PROTOCOLS, spdyProtocol } from './spdy.js';
import { acceptWebSocket, isWebSocket, WS_PROTOCOLS, wsProtocol } from './ws-channel.js';

function reject(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Builds the `upgrade` listener of the HTTP servers. */
export function upgradeHandler(ctx: ServerContext, token: string, streams: StreamRegistry): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const tokenBuf = Buffer.from(token);
  return (req, socket, head) => {
    socket.on('error', () => undefined);
    try {
      if (!authorized(req, tokenBuf)) throw unauthorized();
      const url = new URL(req.url ?? '/', 'http://localhost');
      const r = route(url.pathname);
      if (r.type !== 'resource' || r.info.kind !== 'Pod' || r.info.group !== '' || (r.sub !== 'exec' && r.sub !== 'attach')) {
        throw badRequest(`${url.pathname} cannot be upgraded: only pods/exec and pods/attach stream`);
      }
      const ws = isWebSocket(req);
      if (!ws && !isSpdy(req)) throw badRequest(`unsupported upgrade "${req.headers.upgrade ?? ''}": use websocket or SPDY/3.1`);
      if (ws && !wsProtocol(req)) throw badRequest(`none of the offered sub-protocols is served: this server speaks ${WS_PROTOCOLS.join(', ')}`);
      if (!ws && !spdyProtocol(req)) throw badRequest(`none of the offered stream protocols (X-Stream-Protocol-Version) is served: this server speaks ${SPDY_PROTOCOLS.join(', ')}`);
      const sreq = streamRequest(ctx, r, url.searchParams);
      const session = startSession(ctx, sreq);
      let ended = false;
      void session.exited.then(() => { ended = true; });
      let drop: () => void = () => undefined;
      // a command still running when its client goes away is stopped; what it left running in the background after
      // it ended stays, as in a container
      const stop = (): void => {
        if (!ended) session.kill();
        drop();
      };
      streams.add(stop);
      const gone = (): void => {
        streams.delete(stop);
      };
      const accept = ws ? acceptWebSocket : acceptSpdy;
      drop = accept(req, socket, head, (sink) => bridge(sreq, session, sink), gone);
      socket.on('close', () => {
        if (!ended) session.kill();
        gone();
      });
    } catch (err) {
      const status = err instanceof StatusError ? err.status : new StatusError(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`).status;
      reject(socket, status);
    }
  };
}
