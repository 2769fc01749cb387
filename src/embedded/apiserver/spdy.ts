/**
 * SPDY/3.1 for the remote command protocol (`v4.channel.k8s.io`, and `v5` which is the same over SPDY): what
 * kubectl falls back to when the WebSocket upgrade fails, and what kubectl before 1.30 only speaks.
 *
 * The client opens one SPDY stream per channel (SYN_STREAM with a `streamtype` header: error, stdin, stdout,
 * stderr, resize) and waits for our SYN_REPLY; data frames carry the bytes, the FIN flag ends a direction. Only
 * the frames that flow needs are implemented (SYN_STREAM, SYN_REPLY, DATA, RST_STREAM, PING, GOAWAY; SETTINGS,
 * HEADERS and WINDOW_UPDATE are read and ignored). Like Kubernetes' own SPDY library, no flow-control window is
 * enforced on what we send. Header blocks are zlib streams with SPDY's dictionary (taken from spdy-transport):
 * the client's are inflated as one stream per connection; ours are written as stored (uncompressed) deflate
 * blocks, which any zlib reader accepts.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { constants, inflateSync } from 'node:zlib';
import { CHANNEL, type ChannelInput, type ChannelSink } from './podexec.js';

const require = createRequire(import.meta.url);
const DICTIONARY = (require('spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js') as Record<number, Buffer>)[3] as Buffer;

/** Stream protocol versions served over SPDY, preferred first. */
export const SPDY_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const TYPE = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9 } as const;
const FLAG_FIN = 0x01;
const STREAM_TYPES: Record<string, number> = { stdin: CHANNEL.stdin, stdout: CHANNEL.stdout, stderr: CHANNEL.stderr, error: CHANNEL.error, resize: CHANNEL.resize };
/** Largest data frame we send (SPDY allows 16 MiB; smaller frames keep the streams interleaved). */
const MAX_DATA = 32 * 1024;
/** How long we wait for the client to open the streams it asked for before ending anyway. */
const STREAM_WAIT_MS = 30_000;

/** True when the request asks for SPDY/3.1. */
export function isSpdy(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase().startsWith('spdy/3.1');
}

/** The stream protocol chosen for the request, or undefined when it offers none of ours. */
export function spdyProtocol(req: IncomingMessage): string | undefined {
  const raw = req.headers['x-stream-protocol-version'];
  const offered = (Array.isArray(raw) ? raw.join(',') : raw ?? '').split(',').map((s) => s.trim());
  return SPDY_PROTOCOLS.find((p) => offered.includes(p));
}

/** Reads the client's header blocks: one zlib stream over the whole connection. */
class HeaderInflater {
  private input: Buffer = Buffer.alloc(0);
  private seen = 0;

  /** The name/value pairs of the next header block. */
  read(block: Buffer): Map<string, string> {
    this.input = Buffer.concat([this.input, block]);
    // inflating everything again is quadratic, but a connection carries a handful of tiny header blocks
    const all = inflateSync(this.input, { dictionary: DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const raw = all.subarray(this.seen);
    this.seen = all.length;
    const out = new Map<string, string>();
    let off = 4;
    const count = raw.readUInt32BE(0);
    for (let i = 0; i < count; i++) {
      const nl = raw.readUInt32BE(off);
      const name = raw.subarray(off + 4, off + 4 + nl).toString('utf8');
      off += 4 + nl;
      const vl = raw.readUInt32BE(off);
      out.set(name.toLowerCase(), raw.subarray(off + 4, off + 4 + vl).toString('utf8'));
      off += 4 + vl;
    }
    return out;
  }
}

/** Writes our header blocks as stored deflate blocks of one zlib stream with SPDY's dictionary, each sync-flushed. */
class HeaderDeflater {
  private started = false;

  write(headers: Array<[string, string]>): Buffer {
    const parts: Buffer[] = [u32(headers.length)];
    for (const [k, v] of headers) parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
    const raw = Buffer.concat(parts);
    const len = Buffer.alloc(5);
    len.writeUInt8(0, 0); // BFINAL=0, BTYPE=00 (stored), padded to the byte
    len.writeUInt16LE(raw.length, 1);
    len.writeUInt16LE(raw.length ^ 0xffff, 3);
    const head = this.started ? [] : [Buffer.from([0x78, 0xbb]), u32(adler32(DICTIONARY))];
    this.started = true;
    // then an empty stored block, the marker of a sync flush: zlib readers (Go's) hand out the data on it
    return Buffer.concat([...head, len, raw, SYNC_FLUSH]);
  }
}

/** Adler-32 of `b` (the zlib header names the dictionary by it). */
function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const byte of b) {
    a = (a + byte) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

const SYNC_FLUSH = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([h, payload]);
}

function dataFrame(id: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(id & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24 | data.length) >>> 0, 4);
  return Buffer.concat([h, data]);
}

/** One SPDY connection serving a remote command. */
class SpdyConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  /** Channel → stream id, once the client opened it. */
  private readonly streams = new Map<number, number>();
  private readonly channels = new Map<number, number>();
  private readonly pending = new Map<number, Buffer[]>();
  private closing = false;
  private ended = false;
  input?: ChannelInput;

  constructor(private readonly socket: Duplex, private readonly expected: number[]) {}

  sink(): ChannelSink {
    return {
      send: (channel, data) => {
        const id = this.streams.get(channel);
        if (id === undefined) {
          this.pending.set(channel, [...(this.pending.get(channel) ?? []), data]);
          return true;
        }
        return this.sendData(id, data);
      },
      whenDrained: (cb) => {
        if (this.socket.writableNeedDrain && !this.socket.destroyed) this.socket.once('drain', cb);
        else cb();
      },
      close: () => {
        this.closing = true;
        this.finishWhenReady();
        setTimeout(() => this.finish(), STREAM_WAIT_MS).unref();
      },
    };
  }

  /** Sends data frames; false when the socket asks the writer to wait for 'drain'. */
  private sendData(id: number, data: Buffer): boolean {
    let ok = true;
    for (let off = 0; off < data.length; off += MAX_DATA) ok = this.write(dataFrame(id, 0, data.subarray(off, off + MAX_DATA)));
    return ok;
  }

  private write(frame: Buffer): boolean {
    if (this.ended || this.socket.destroyed) return true;
    return this.socket.write(frame);
  }

  private finishWhenReady(): void {
    if (this.closing && this.expected.every((c) => this.streams.has(c))) this.finish();
  }

  /** Ends every stream we opened a reply for; the client then closes the connection. */
  private finish(): void {
    if (this.ended) return;
    for (const [channel, id] of this.streams) {
      for (const d of this.pending.get(channel) ?? []) this.sendData(id, d);
      this.write(dataFrame(id, FLAG_FIN, Buffer.alloc(0)));
    }
    this.pending.clear();
    this.ended = true;
    // the client closes the connection once it has read everything; a client that does not is cut off
    setTimeout(() => this.socket.destroy(), 10_000).unref();
  }

  /** Consumes bytes from the socket, handling every complete frame. */
  feed(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.buffer.length >= 8) {
      const len = this.buffer.readUInt32BE(4) & 0xffffff;
      if (this.buffer.length < 8 + len) return;
      const head = this.buffer.subarray(0, 8);
      const body = this.buffer.subarray(8, 8 + len);
      this.buffer = this.buffer.subarray(8 + len);
      const flags = head[4] as number;
      if (((head[0] as number) & 0x80) !== 0) this.control(head.readUInt16BE(2), flags, body);
      else this.data(head.readUInt32BE(0) & 0x7fffffff, flags, body);
    }
  }

  private control(type: number, flags: number, body: Buffer): void {
    switch (type) {
      case TYPE.synStream: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const headers = this.inflater.read(body.subarray(10));
        const channel = STREAM_TYPES[headers.get('streamtype') ?? ''];
        this.write(controlFrame(TYPE.synReply, 0, Buffer.concat([u32(id), this.deflater.write([])])));
        if (channel === undefined) {
          this.write(controlFrame(TYPE.rstStream, 0, Buffer.concat([u32(id), u32(1)])));
          return;
        }
        this.streams.set(channel, id);
        this.channels.set(id, channel);
        if (!this.ended) for (const d of this.pending.get(channel) ?? []) this.sendData(id, d);
        this.pending.delete(channel);
        if (flags & FLAG_FIN) this.input?.end(channel);
        this.finishWhenReady();
        return;
      }
      case TYPE.rstStream: {
        const channel = this.channels.get(body.readUInt32BE(0) & 0x7fffffff);
        if (channel !== undefined) this.input?.end(channel);
        return;
      }
      case TYPE.ping:
        this.write(controlFrame(TYPE.ping, 0, body.subarray(0, 4)));
        return;
      case TYPE.goaway:
        this.socket.end();
        return;
      default: // SETTINGS, HEADERS, WINDOW_UPDATE and unknown frames: nothing to do
    }
  }

  private data(id: number, flags: number, body: Buffer): void {
    const channel = this.channels.get(id);
    if (channel === undefined) return;
    if (body.length) this.input?.data(channel, body);
    if (flags & FLAG_FIN) this.input?.end(channel);
  }
}

/** The channels the client will open for a request's query (error always). */
export function expectedChannels(q: URLSearchParams): number[] {
  const on = (k: string): boolean => ['true', '1'].includes(q.get(k) ?? '');
  const tty = on('tty');
  return [CHANNEL.error, ...(on('stdin') ? [CHANNEL.stdin] : []), ...(on('stdout') ? [CHANNEL.stdout] : []),
    ...(on('stderr') && !tty ? [CHANNEL.stderr] : []), ...(tty ? [CHANNEL.resize] : [])];
}

/** Completes the SPDY upgrade and serves the connection (see ws-channel.ts acceptWebSocket for the contract). */
export function acceptSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, connect: (sink: ChannelSink) => ChannelInput, onGone: () => void): () => void {
  const protocol = spdyProtocol(req) ?? SPDY_PROTOCOLS[0];
  const url = new URL(req.url ?? '/', 'http://localhost');
  const conn = new SpdyConnection(socket, expectedChannels(url.searchParams));
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  conn.input = connect(conn.sink());
  let gone = false;
  const end = (): void => {
    if (gone) return;
    gone = true;
    conn.input?.gone();
    onGone();
  };
  socket.on('data', (b: Buffer) => {
    try {
      conn.feed(b);
    } catch {
      socket.destroy(); // a malformed frame: nothing sensible to answer
    }
  });
  socket.on('close', end);
  socket.on('end', () => socket.end());
  if (head.length) conn.feed(head);
  return () => socket.destroy();
}
