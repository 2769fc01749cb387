/**
 * The few HTTP pieces the sink needs, on node:http directly: reading a request body with a size cap (and the
 * `Content-Encoding`s body-parser inflates: gzip, deflate, br), and JSON / text answers written in one go. The sink
 * served through express before; express's router, request/response decoration and body-parser cost more CPU per
 * webhook (≈ 0.13 ms on the test machine) than everything the sink does with the event apart from the create
 * (docs/performance.md, 2026-12-04).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** A request that cannot be served: its HTTP status and a message for the client. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const EMPTY = Buffer.alloc(0);

/** Whether the request has a body at all (as type-is: a Transfer-Encoding, or a Content-Length). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

function decoder(encoding: string): Readable & NodeJS.WritableStream {
  switch (encoding) {
    case 'gzip': return zlib.createGunzip();
    case 'deflate': return zlib.createInflate();
    case 'br': return zlib.createBrotliDecompress();
    default: throw new HttpError(415, `unsupported content encoding "${encoding}"`);
  }
}

/**
 * Reads the whole body (decoded when it has a Content-Encoding). Fails with HttpError 413 past `limit` bytes (of the
 * decoded body), 400 when the body is shorter or longer than its Content-Length, was cut off or does not decode,
 * 415 for an unknown encoding. After a failure the rest of the body is not read: answer with `Connection: close`.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (!hasBody(req)) return Promise.resolve(EMPTY);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let stream: Readable;
  try {
    stream = encoding === 'identity' ? req : req.pipe(decoder(encoding));
  } catch (err) {
    return Promise.reject(err);
  }
  const declared = encoding === 'identity' && req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
  if (declared !== undefined && declared > limit) return Promise.reject(new HttpError(413, `request entity too large`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: HttpError | undefined): void => {
      if (done) return;
      done = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      req.off('close', onClose);
      if (!err) {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
        return;
      }
      if (stream !== req) {
        stream.on('error', () => {}); // a late decode error of a body we gave up on
        req.unpipe();
        stream.destroy();
      }
      reject(err);
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) finish(new HttpError(413, 'request entity too large'));
      else chunks.push(c);
    };
    const onEnd = (): void => {
      if (declared !== undefined && size !== declared) finish(new HttpError(400, 'request size did not match content length'));
      else finish(undefined);
    };
    const onClose = (): void => { if (!req.complete) finish(new HttpError(400, 'request aborted')); };
    const onError = (err: Error): void => finish(new HttpError(400, err.message));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    req.once('close', onClose);
  });
}

/** Answers `body` as JSON (`application/json; charset=utf-8`), headers and body in one write. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/** Answers a plain-text body. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain; charset=utf-8', text);
}

function send(res: ServerResponse, status: number, type: string, text: string, headers?: Record<string, string>): void {
  if (res.headersSent) return;
  res.statusCode = status;
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
