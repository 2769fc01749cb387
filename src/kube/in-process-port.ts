/**
 * In-process requests (in-process.ts) across threads: a worker thread of the embedded process (the controllers)
 * sends its requests through a MessagePort to the thread that runs the API server, which hands them to the server's
 * in-process handler and sends the answer back the same way. Messages are batched per turn of the event loop in
 * each direction (one postMessage and one wake-up of the other thread for everything ready in that turn); the parts
 * of one answer keep their order. Answers travel as one string per batch (framed parts: copying one string across
 * costs half of cloning the same text as an array of parts). Everything else (token, authorization, admission,
 * JSON) is the in-process contract.
 */
import type { MessagePort } from 'node:worker_threads';
import type { InProcessHttp, InProcessRequest, InProcessResponse } from './in-process.js';

/** Client → server: a request, or the client going away from one. */
type Ask = { t: 0; id: number; req: InProcessRequest } | { t: 1; id: number };
/** The kinds of answer parts: the head (value: the status), a chunk of the body, the end, the end with an error. */
const HEAD = 0;
const DATA = 1;
const END = 2;
const FAILED = 3;

/** One answer part, framed: `id,kind,length:value` (length in UTF-16 code units). */
export function frame(id: number, kind: number, value: string): string {
  return `${id},${kind},${value.length}:${value}`;
}

/** Calls `each` with every part of a batch of framed parts. */
export function unframe(batch: string, each: (id: number, kind: number, value: string) => void): void {
  for (let at = 0; at < batch.length;) {
    const a = batch.indexOf(',', at);
    const b = batch.indexOf(',', a + 1);
    const c = batch.indexOf(':', b + 1);
    if (a < 0 || b < 0 || c < 0) throw new Error(`a malformed answer frame at ${at}`);
    const end = c + 1 + Number(batch.slice(b + 1, c));
    each(Number(batch.slice(at, a)), Number(batch.slice(a + 1, b)), batch.slice(c + 1, end));
    at = end;
  }
}

/** Collects items and sends them together once per turn of the event loop. */
export class Batcher<T> {
  private items: T[] = [];
  constructor(private readonly flush: (items: T[]) => void) {}

  push(item: T): void {
    if (this.items.push(item) > 1) return;
    setImmediate(() => {
      const batch = this.items;
      this.items = [];
      this.flush(batch);
    });
  }
}

/**
 * The client side: an InProcessHttp whose requests go to the server serving the other end of `port`
 * ({@link servePort}). When the port closes (that thread went away), every open exchange ends with an error.
 */
export function portHttp(port: MessagePort): InProcessHttp {
  let next = 0;
  const open = new Map<number, InProcessResponse>();
  const asks = new Batcher<Ask>((items) => port.postMessage(items));
  port.on('message', (batch: string) => {
    unframe(batch, (id, kind, value) => {
      const res = open.get(id);
      if (!res) return; // aborted by the client meanwhile
      if (kind === HEAD) res.head(Number(value));
      else if (kind === DATA) res.data(value);
      else {
        open.delete(id);
        res.end(kind === FAILED ? new Error(value) : undefined);
      }
    });
  });
  port.on('close', () => {
    const left = [...open.values()];
    open.clear();
    for (const res of left) res.end(new Error('the API server thread went away'));
  });
  return (req, res) => {
    const id = ++next;
    open.set(id, res);
    asks.push({ t: 0, id, req });
    return () => {
      if (open.delete(id)) asks.push({ t: 1, id });
    };
  };
}

/**
 * The server side: serves the requests arriving on `port` with `http` (an API server's in-process handler).
 * Answers the function that aborts every open exchange (the client thread went away).
 */
export function servePort(port: MessagePort, http: InProcessHttp): () => void {
  const aborts = new Map<number, () => void>();
  const parts = new Batcher<string>((items) => port.postMessage(items.join('')));
  port.on('message', (asks: Ask[]) => {
    for (const a of asks) {
      if (a.t === 1) {
        aborts.get(a.id)?.();
        aborts.delete(a.id);
        continue;
      }
      const id = a.id;
      try {
        aborts.set(id, http(a.req, {
          head: (status) => parts.push(frame(id, HEAD, String(status))),
          data: (chunk) => parts.push(frame(id, DATA, chunk)),
          end: (err) => {
            aborts.delete(id);
            parts.push(err ? frame(id, FAILED, err.message) : frame(id, END, ''));
          },
        }));
      } catch (err) {
        // the handler broke before answering: this exchange fails, the others go on
        parts.push(frame(id, FAILED, err instanceof Error ? err.message : String(err)));
      }
    }
  });
  const abortAll = (): void => {
    const left = [...aborts.values()];
    aborts.clear();
    for (const abort of left) abort();
  };
  port.on('close', abortAll);
  return abortAll;
}
