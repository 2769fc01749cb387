/**
 * pods/exec and pods/attach over SPDY/3.1 (kubectl ≤ 1.29, and newer kubectl's fallback), remotecommand protocol
 * `v4.channel.k8s.io`: after the 101 answer the client opens one SPDY stream per channel (header `streamtype`:
 * error, stdin, stdout, stderr, resize); stdin ends with the stream's FIN, resizes are JSON objects one per line, and
 * the final metav1.Status goes on the error stream. Frames are SPDY/3 (control frames with a version, data frames
 * with a stream id); header blocks are zlib-compressed with SPDY/3's dictionary (taken from spdy-transport). Flow
 * control windows are not enforced, as Kubernetes' own SPDY library does not either.
 */
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import dictionaries from 'spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js';
import type { SessionStreams } from './exec.js';
import { parseResize } from './exec.js';

export const SPDY_PROTOCOL = 'v4.channel.k8s.io';
const VERSION = 3;
const TYPE = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9 } as const;
const FIN = 0x01;
const DICT = dictionaries[3] as Buffer;

/** The 101 answer that switches the connection to SPDY. */
export function spdyUpgradeAnswer(): string {
  return `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${SPDY_PROTOCOL}\r\n\r\n`;
}

/** A serialised zlib stream (one compression context per direction, as SPDY wants). */
function zstream(z: zlib.Inflate | zlib.Deflate): (input: Buffer) => Promise<Buffer> {
  const chunks: Buffer[] = [];
  z.on('data', (c: Buffer) => chunks.push(c));
  z.on('error', () => undefined);
  let chain: Promise<unknown> = Promise.resolve();
  return (input) => {
    const next = chain.then(() => new Promise<Buffer>((resolve) => {
      z.write(input);
      z.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks.splice(0))));
    }));
    chain = next.catch(() => undefined);
    return next;
  };
}

/** Encodes a header block (before compression). */
export function encodeHeaders(h: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(h).length)];
  for (const [k, v] of Object.entries(h)) parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
  return Buffer.concat(parts);
}

/** Decodes a header block (names lower-case, multiple values joined by NUL as SPDY writes them). */
export function decodeHeaders(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 4;
  const n = b.length >= 4 ? b.readUInt32BE(0) : 0;
  for (let i = 0; i < n && off + 4 <= b.length; i++) {
    const kl = b.readUInt32BE(off);
    const k = b.subarray(off + 4, off + 4 + kl).toString('utf8');
    off += 4 + kl;
    const vl = b.readUInt32BE(off);
    out[k.toLowerCase()] = b.subarray(off + 4, off + 4 + vl).toString('utf8');
    off += 4 + vl;
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([h, payload]);
}

function data(id: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(id & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([h, payload]);
}

/** What the session waits for before it is ready: the streams the request asked for. */
export interface SpdyWants {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** How long the last output goes before its stream's FIN (see finish). */
const OUTPUT_GRACE_MS = 50;

/** Runs the SPDY side of a session on an upgraded socket (the 101 already written); `head` is what followed it. */
export function spdySession(socket: Duplex, head: Buffer, wants: SpdyWants): SessionStreams {
  const inflate = zstream(zlib.createInflate({ dictionary: DICT }));
  const deflate = zstream(zlib.createDeflate({ dictionary: DICT }));
  const ids = new Map<string, number>();
  const pending: Array<[1 | 2, Buffer]> = [];
  const h = { stdin: (_b: Buffer): void => undefined, end: (): void => undefined, resize: (_c: number, _r: number): void => undefined, close: [] as Array<() => void> };
  let resizeText = '';
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let buf = head;
  const write = (b: Buffer): void => { if (!closed) socket.write(b); };
  const required = ['error', ...(wants.stdin ? ['stdin'] : []), ...(wants.stdout ? ['stdout'] : []), ...(wants.stderr && !wants.tty ? ['stderr'] : []), ...(wants.tty ? ['resize'] : [])];
  const ready = (): boolean => required.every((t) => ids.has(t));
  let markReady = (): void => undefined;
  const whenReady = new Promise<void>((resolve) => { markReady = resolve; });
  const flush = (): void => {
    if (!ready()) return;
    for (const [ch, b] of pending.splice(0)) send(ch, b);
    markReady();
  };
  let lastOutput = 0;
  const send = (ch: 1 | 2, b: Buffer): void => {
    const id = ids.get(ch === 1 ? 'stdout' : 'stderr') ?? ids.get('stdout');
    if (id !== undefined) write(data(id, 0, b));
    lastOutput = Date.now();
  };

  const onSynStream = async (flags: number, p: Buffer): Promise<void> => {
    const id = p.readUInt32BE(0) & 0x7fffffff;
    const headers = decodeHeaders(await inflate(p.subarray(10)));
    const type = headers.streamtype ?? '';
    ids.set(type, id);
    write(control(TYPE.synReply, 0, Buffer.concat([u32(id), await deflate(encodeHeaders({}))])));
    if (type === 'stdin' && flags & FIN) h.end();
    flush();
  };
  const onData = (id: number, flags: number, p: Buffer): void => {
    if (id === ids.get('stdin')) {
      if (p.length > 0) h.stdin(p);
      if (flags & FIN) h.end();
    } else if (id === ids.get('resize')) {
      resizeText += p.toString('utf8');
      let nl: number;
      while ((nl = resizeText.indexOf('\n')) >= 0) {
        const size = parseResize(resizeText.slice(0, nl));
        resizeText = resizeText.slice(nl + 1);
        if (size) h.resize(size.cols, size.rows);
      }
    }
  };
  const onFrame = async (f: Buffer): Promise<void> => {
    const flags = f[4] ?? 0;
    const payload = f.subarray(8);
    if (!((f[0] ?? 0) & 0x80)) return onData(f.readUInt32BE(0) & 0x7fffffff, flags, payload);
    const type = f.readUInt16BE(2);
    if (type === TYPE.synStream) await onSynStream(flags, payload);
    else if (type === TYPE.headers) await inflate(payload.subarray(4));
    else if (type === TYPE.ping) write(control(TYPE.ping, 0, payload.subarray(0, 4)));
    else if (type === TYPE.goaway) end();
    else if (type === TYPE.rstStream && (payload.readUInt32BE(0) & 0x7fffffff) === ids.get('stdin')) h.end();
  };
  const end = (): void => {
    if (closed) return;
    closed = true;
    socket.end();
    for (const fn of h.close) fn();
  };
  const drain = (): void => {
    while (buf.length >= 8) {
      const len = buf.readUInt32BE(4) & 0xffffff;
      if (buf.length < 8 + len) break;
      const frame = buf.subarray(0, 8 + len);
      buf = buf.subarray(8 + len);
      queue = queue.then(() => onFrame(frame)).catch(() => end());
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    drain();
  });
  socket.on('close', end);
  socket.on('error', end);
  drain();

  return {
    out: (ch, b) => {
      const bytes = typeof b === 'string' ? Buffer.from(b) : b;
      if (ready()) send(ch, bytes);
      else pending.push([ch, bytes]);
    },
    finish: (status) => {
      // a command may end before the client has opened its streams: its output and status wait for them (30 s,
      // the kubelet's stream creation timeout)
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, 30_000); });
      void Promise.race([whenReady, timeout]).then(() => queue).then(async () => {
        clearTimeout(timer);
        flush();
        // the client's SPDY library (spdystream) may drop data it has received but not yet read when the stream's
        // FIN arrives right behind it (kubernetes/kubernetes#124571): output gets a moment before the streams close
        const since = Date.now() - lastOutput;
        if (since < OUTPUT_GRACE_MS) await new Promise((r) => setTimeout(r, OUTPUT_GRACE_MS - since));
        const err = ids.get('error');
        if (err !== undefined) write(data(err, FIN, Buffer.from(JSON.stringify(status))));
        for (const t of ['stdout', 'stderr']) {
          const id = ids.get(t);
          if (id !== undefined) write(data(id, FIN, Buffer.alloc(0)));
        }
        write(control(TYPE.goaway, 0, Buffer.concat([u32(0), u32(0)])));
        end();
      });
    },
    onStdin: (fn) => { h.stdin = fn; },
    onStdinEnd: (fn) => { h.end = fn; },
    onResize: (fn) => { h.resize = fn; },
    onClose: (fn) => { h.close.push(fn); },
  };
}
