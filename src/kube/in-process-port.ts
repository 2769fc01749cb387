/**
 * In-process requests (in-process.ts) across threads: a worker thread of the embedded process (the controllers)
 * sends its requests through a MessagePort to the thread that runs the API server, which hands them to the server's
 * in-process handler and sends the answer back the same way. Messages are batched per turn of the event loop in
 * each direction (one postMessage and one wake-up of the other thread for everything ready in that turn); the parts
 * of one answer keep their order. Everything else (token, authorization, admission, JSON) is the in-process contract.
 */
import type { MessagePort } from 'node:worker_threads';
import type { InProcessHttp, InProcessRequest, InProcessResponse } from './in-process.js';

/** Client → server: a request, or the client going away from one. */
type Ask = { t: 0; id: number; req: InProcessRequest } | { t: 1; id: number };
/** Server → client: [id, 0, status] head, [id, 1, chunk] data, [id, 2, error message or null] end. */
type Part = [number, 0, number] | [number, 1, string] | [number, 2, string | null];

/**
 * Collects items and sends them together: once per turn of the event loop (`immediate`), or once the current task
 * and its microtasks are done (`microtask`: everything one callback produced, without waiting for the next turn).
 */
export class Batcher<T> {
  private items: T[] = [];
  constructor(private readonly flush: (items: T[]) => void, private readonly when: 'immediate' | 'microtask' = 'immediate') {}

  push(item: T): void {
    if (this.items.push(item) > 1) return;
    const send = (): void => {
      const batch = this.items;
      this.items = [];
      this.flush(batch);
    };
    if (this.when === 'immediate') setImmediate(send);
    else queueMicrotask(send);
  }
}

/**
 * The client side: an InProcessHttp whose requests go to the server serving the other end of `port`
 * ({@link servePort}). When the port closes (that thread went away), every open exchange ends with an error.
 */
export function portHttp(port: MessagePort): InProcessHttp {
  let next = 0;
  const open = new Map<number, InProcessResponse>();
  const asks = new Batcher<Ask>((items) => port.postMessage(items), (process.env.TKT_ASK_BATCH as 'immediate' | undefined) ?? 'immediate');
  port.on('message', (parts: Part[]) => {
    for (const [id, kind, value] of parts) {
      const res = open.get(id);
      if (!res) continue; // aborted by the client meanwhile
      if (kind === 0) res.head(value);
      else if (kind === 1) res.data(value);
      else {
        open.delete(id);
        res.end(value === null ? undefined : new Error(value));
      }
    }
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
  const parts = new Batcher<Part>((items) => port.postMessage(items), (process.env.TKT_PART_BATCH as 'immediate' | undefined) ?? 'immediate');
  port.on('message', (asks: Ask[]) => {
    for (const a of asks) {
      if (a.t === 1) {
        aborts.get(a.id)?.();
        aborts.delete(a.id);
        continue;
      }
      const id = a.id;
      aborts.set(id, http(a.req, {
        head: (status) => parts.push([id, 0, status]),
        data: (chunk) => parts.push([id, 1, chunk]),
        end: (err) => {
          aborts.delete(id);
          parts.push([id, 2, err ? err.message : null]);
        },
      }));
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
