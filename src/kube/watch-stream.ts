/** Reading a watch response over HTTP (newline-delimited JSON events). */
import type http from 'node:http';
import { ApiError } from './errors.js';
import type { WatchEventType } from './client.js';

/** Hands one line of a watch response to `onEvent` (blank and malformed lines, and lines without an object, skipped). */
export function watchLine<T>(line: string, onEvent: (type: WatchEventType, obj: T) => void): void {
  if (!line.trim()) return;
  let ev: { type?: WatchEventType; object?: T };
  try {
    ev = JSON.parse(line) as { type?: WatchEventType; object?: T };
  } catch {
    return;
  }
  if (ev.type && ev.object) onEvent(ev.type, ev.object);
}

/** Reads a watch response: newline-delimited JSON events until the server ends the stream; non-2xx → ApiError. */
export function readWatchStream<T>(res: http.IncomingMessage, what: string, onEvent: (type: WatchEventType, obj: T) => void, finish: (err?: unknown) => void): void {
  const status = res.statusCode ?? 0;
  if (status >= 300) {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => finish(ApiError.fromResponse(status, Buffer.concat(chunks).toString('utf8'), what)));
    return;
  }
  res.setEncoding('utf8');
  let buf = '';
  res.on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      watchLine(line, onEvent);
    }
  });
  res.on('end', () => finish());
  res.on('error', (err) => finish(err));
  res.on('close', () => finish());
}
