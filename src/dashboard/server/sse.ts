/**
 * Server-sent events to the browser: a stream whose sends are coalesced (at most one per `intervalMs`, the
 * latest value wins) and dropped when the browser does not read (a slow client is cut, not buffered without end).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Unsent bytes after which a stream is closed (the browser reconnects and gets a fresh snapshot). */
const MAX_BUFFERED = 4 * 1024 * 1024;
const HEARTBEAT_MS = 20_000;

export interface EventStream {
  /** Queues `data` as event `event`; sends the latest at most every interval. */
  send(event: string, data: unknown): void;
  /** Sends now, bypassing the coalescing. */
  sendNow(event: string, data: unknown): void;
  close(): void;
  /** Called once when the browser goes away or the stream is closed. */
  onClose(fn: () => void): void;
}

/** Opens an event stream on `res`. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, intervalMs = 250): EventStream {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const closers: Array<() => void> = [];
  let closed = false;
  let pending: { event: string; data: unknown } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastSent = 0;
  const write = (event: string, data: unknown): void => {
    if (closed) return;
    if (res.writableLength > MAX_BUFFERED) {
      close();
      return;
    }
    lastSent = Date.now();
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const flush = (): void => {
    timer = undefined;
    if (pending) {
      const p = pending;
      pending = undefined;
      write(p.event, p.data);
    }
  };
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
    for (const fn of closers.splice(0)) fn();
    res.end();
  };
  req.on('close', close);
  res.on('close', close);
  return {
    send(event, data) {
      pending = { event, data };
      if (timer) return;
      const wait = Math.max(0, lastSent + intervalMs - Date.now());
      timer = setTimeout(flush, wait);
    },
    sendNow: write,
    close,
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
  };
}
