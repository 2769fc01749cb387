/**
 * The WebSocket remote command protocols `v5.channel.k8s.io` and `v4.channel.k8s.io` (kubectl 1.30+ and
 * client-node): binary messages whose first byte is the channel; v5 adds the close signal (channel 255, then the
 * closed channel's number), which ends the command's standard input. The `ws` library does the framing, pings
 * and closing handshake.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChannelInput, ChannelSink } from './podexec.js';

/** Sub-protocols served, preferred first. */
export const WS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CLOSE_SIGNAL = 255;
/** Unsent bytes above which a sender is asked to wait, and below which it may go on. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => WS_PROTOCOLS.find((p) => offered.has(p)) ?? false });

/** True when the request is a WebSocket upgrade. */
export function isWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The sub-protocol the server would choose for the request, or undefined when it offers none of ours. */
export function wsProtocol(req: IncomingMessage): string | undefined {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  return WS_PROTOCOLS.find((p) => offered.includes(p));
}

/**
 * Completes the upgrade and wires the connection: `connect` gets the sink and answers the input handler.
 * `onGone` runs when the connection ends (for the server's stream registry).
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, connect: (sink: ChannelSink) => ChannelInput, onGone: () => void): () => void {
  let ws: WebSocket | undefined;
  let input: ChannelInput | undefined;
  const drop = (): void => {
    ws?.terminate();
    socket.destroy();
  };
  wss.handleUpgrade(req, socket, head, (conn) => {
    ws = conn;
    const v5 = conn.protocol === 'v5.channel.k8s.io';
    let pending = 0;
    let waiting: Array<() => void> = [];
    const drained = (): void => {
      const cbs = waiting;
      waiting = [];
      for (const cb of cbs) cb();
    };
    input = connect({
      send: (channel, data) => {
        if (conn.readyState !== conn.OPEN) return true;
        pending += data.length + 1;
        conn.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true }, () => {
          pending -= data.length + 1;
          if (pending < LOW_WATER) drained();
        });
        return pending < HIGH_WATER;
      },
      whenDrained: (cb) => {
        if (pending < LOW_WATER || conn.readyState !== conn.OPEN) cb();
        else waiting.push(cb);
      },
      close: () => conn.close(1000),
    });
    conn.on('message', (msg: Buffer, isBinary: boolean) => {
      if (!isBinary || msg.length === 0) return;
      const channel = msg[0] as number;
      if (v5 && channel === CLOSE_SIGNAL) {
        if (msg.length > 1) input?.end(msg[1] as number);
        return;
      }
      input?.data(channel, msg.subarray(1));
    });
    conn.on('close', () => {
      drained();
      input?.gone();
      onGone();
    });
    conn.on('error', () => undefined);
  });
  return drop;
}
