/**
 * The server side of in-process requests (src/kube/in-process.ts): the same request handler the HTTPS listener and
 * the Unix socket serve, given a request and a response object that carry no socket. The client of embedded mode's
 * own components (controllers, kubelet, `tkt run`) saves the HTTP framing, socket writes and reads of both ends.
 * Pod logs and exec stay on the socket (they stream files and upgrade connections).
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WatchEventType } from '../../kube/client.js';
import type { InProcessHttp, InProcessRequest, InProcessResponse } from '../../kube/in-process.js';

/**
 * The parts of IncomingMessage the handlers read: method, url, headers, and the body as a stream that emits once a
 * reader listens (readBody attaches its listeners in one go). A plain emitter: a Readable per request cost more.
 */
class Request extends EventEmitter {
  readonly httpVersion = '1.1';
  readonly headers: Record<string, string> = {};
  complete = false;
  private started = false;
  private distinct?: Record<string, string[]>;

  constructor(readonly method: string, readonly url: string, given: Record<string, string>, private readonly body: Buffer | undefined, readonly value?: ValueBody) {
    super();
    for (const k in given) this.headers[k.toLowerCase()] = given[k] as string;
    if (body) this.headers['content-length'] = String(body.length);
  }

  get headersDistinct(): Record<string, string[]> {
    if (!this.distinct) {
      this.distinct = {};
      for (const k in this.headers) this.distinct[k] = [this.headers[k] as string];
    }
    return this.distinct;
  }

  override on(event: string, listener: (...args: unknown[]) => void): this {
    super.on(event, listener);
    if (!this.started && (event === 'data' || event === 'end')) {
      this.started = true;
      queueMicrotask(() => {
        if (this.body && this.body.length > 0) this.emit('data', this.body);
        this.complete = true;
        this.emit('end');
      });
    }
    return this;
  }

  override addListener(event: string, listener: (...args: unknown[]) => void): this {
    return this.on(event, listener);
  }

  resume(): this {
    return this;
  }
}

function requestOf(r: InProcessRequest): IncomingMessage {
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
  return new Request(r.method, r.path, r.headers, body, r.value === undefined ? undefined : new ValueBody(r.value)) as unknown as IncomingMessage;
}

/** A request body handed over as a JSON value (InProcessRequest.value): the server's own copy, read in place of the text. */
export class ValueBody {
  constructor(readonly value: unknown) {}
}

/** The body of an in-process request that carries its JSON as a value; undefined for any other request. */
export function valueBodyOf(req: IncomingMessage): ValueBody | undefined {
  const r: unknown = req;
  return r instanceof Request ? r.value : undefined;
}

/**
 * A ServerResponse without a socket: what the handler writes is queued and handed to the client on the next tick,
 * so neither side runs inside the other's call stack (a watch event is written while the store commits).
 */
class Response extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableLength = 0;
  private ended = false;
  /** The client went away: nothing more reaches it, not even what was queued. */
  private aborted = false;
  private queue: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly client: InProcessResponse) {
    super();
  }

  private push(f: () => void): void {
    this.queue.push(f);
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(() => {
      this.scheduled = false;
      const q = this.queue;
      this.queue = [];
      for (const g of q) {
        if (this.aborted) return;
        g();
      }
    });
  }

  writeHead(code: number): this {
    if (this.headersSent) return this;
    this.statusCode = code;
    this.headersSent = true;
    this.push(() => this.client.head(code));
    return this;
  }

  setHeader(): this {
    return this;
  }

  flushHeaders(): void {
    this.writeHead(this.statusCode);
  }

  cork(): void { /* nothing is buffered */ }
  uncork(): void { /* nothing is buffered */ }

  write(chunk: string | Buffer): boolean {
    if (this.ended) return false;
    this.writeHead(this.statusCode);
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text) this.push(() => this.client.data(text));
    return true;
  }

  end(chunk?: string | Buffer): this {
    if (this.ended) return this;
    if (chunk !== undefined) this.write(chunk);
    else this.writeHead(this.statusCode);
    this.ended = true;
    this.push(() => this.client.end());
    this.emit('finish');
    this.emit('close');
    return this;
  }

  /**
   * Answers `body` as a value when the client takes values (see InProcessResponse.value): the whole body, once,
   * before anything else was written. Answers false when it was not sent that way (the caller writes JSON).
   */
  sendValue(code: number, body: unknown): boolean {
    if (this.ended || this.headersSent || !this.client.value) return false;
    const deliver = this.client.value.bind(this.client);
    this.writeHead(code);
    this.ended = true;
    this.push(() => deliver(body));
    this.push(() => this.client.end());
    this.emit('finish');
    this.emit('close');
    return true;
  }

  /** Hands a watch event over as a value when the client takes them; false when the caller writes a JSON line. */
  sendEvent(type: WatchEventType, obj: unknown): boolean {
    if (!this.client.event) return false;
    if (this.ended) return true;
    const deliver = this.client.event.bind(this.client);
    this.writeHead(this.statusCode);
    this.push(() => deliver(type, obj));
    return true;
  }

  /** Breaks the exchange off (a watcher too far behind, a server closing). */
  destroy(): this {
    if (this.ended) return this;
    this.ended = true;
    this.push(() => this.client.end(new Error('the in-process response was destroyed')));
    this.emit('close');
    return this;
  }

  /** The client went away: the handler's close listeners run (a watch stops). */
  abort(req: IncomingMessage): void {
    this.aborted = true;
    this.queue = [];
    if (this.ended) return;
    this.ended = true;
    req.emit('close');
    this.emit('close');
  }
}

/**
 * Answers a JSON body as the value itself to an in-process client that takes values; false otherwise (the caller
 * writes the JSON). Only deep-frozen bodies (stored objects) go this way: the client may keep them, and nothing of
 * the server's can change under it or through it.
 */
export function sendValue(res: ServerResponse, code: number, body: unknown): boolean {
  const r: unknown = res;
  return r instanceof Response && Object.isFrozen(body) && r.sendValue(code, body);
}

/** Hands a watch event's object (deep-frozen, or made for this watcher) to an in-process client that takes values. */
export function sendEvent(res: ServerResponse, type: string, obj: unknown): boolean {
  const r: unknown = res;
  return r instanceof Response && r.sendEvent(type as WatchEventType, obj);
}

/** The in-process entry of a server whose request listener is `handler`. */
export function inProcessHttp(handler: (req: IncomingMessage, res: ServerResponse) => void): InProcessHttp {
  return (r, client) => {
    const req = requestOf(r);
    const res = new Response(client);
    handler(req, res as unknown as ServerResponse);
    return () => res.abort(req);
  };
}
