/**
 * The contract of an API server that runs in the same process as its client (embedded mode): a request is handed
 * to the server's request handler directly, with no socket, no HTTP framing and no TLS. The server side is
 * src/embedded/apiserver/in-process.ts; the client side is KubeClient (client.ts). Everything else — the bearer
 * token, impersonation headers, authorization, admission, the JSON bodies — is what the HTTP API has.
 */
import type { WatchEventType } from './client.js';
import { ApiError } from './errors.js';
import { watchLine } from './watch-stream.js';

/** One request as the client sends it. */
export interface InProcessRequest {
  method: string;
  /** Path and query, as on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * A JSON body as the value itself, in place of `body` (a JSON content type only): a copy made for this request
   * (json-copy.ts), which the server keeps or changes as it likes. Saves serialising and parsing it.
   */
  value?: unknown;
}

/** What the server answers, in order: the head once, chunks of the body, then the end (err when it broke off). */
export interface InProcessResponse {
  head(status: number): void;
  data(chunk: string): void;
  end(err?: Error): void;
  /**
   * When present, the server may answer a JSON body as the value itself instead of its text (once, in place of
   * data): a deep-frozen stored object, or one made for this answer alone. Saves serialising and parsing it.
   */
  value?(body: unknown): void;
  /** When present, the server may hand watch events over as values (same rules as `value`) instead of JSON lines. */
  event?(type: WatchEventType, obj: unknown): void;
}

/**
 * Runs one request through the server. The response's callbacks are called asynchronously (never inside the
 * caller's or the server's own call stack). Answers a function that aborts the exchange, as a client closing
 * its connection would (a watch stops).
 */
export type InProcessHttp = (req: InProcessRequest, res: InProcessResponse) => () => void;

/**
 * Sends one request in process; answers the body's text, or — when `values` and the server hands one over — the
 * value itself. Throws ApiError for non-2xx statuses (as over HTTP) and when the server is gone.
 */
function exchange(send: InProcessHttp, req: InProcessRequest, values: boolean): Promise<{ text: string } | { value: unknown }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let given: { value: unknown } | undefined;
    const chunks: string[] = [];
    send(req, {
      head: (code) => { status = code; },
      data: (chunk) => { chunks.push(chunk); },
      ...(values ? { value: (body: unknown) => { given = { value: body }; } } : {}),
      end: (err) => {
        const text = chunks.length === 1 ? (chunks[0] ?? '') : chunks.join('');
        if (err) reject(ApiError.unreachable('in-process API server', err));
        else if (status < 200 || status >= 300) reject(ApiError.fromResponse(status, text, `${req.method} ${req.path}`));
        else resolve(given ?? { text });
      },
    });
  });
}

/** Sends one request in process; answers the body text, throws ApiError for non-2xx statuses (as over HTTP). */
export async function inProcessText(send: InProcessHttp, req: InProcessRequest): Promise<string> {
  return ((await exchange(send, req, false)) as { text: string }).text;
}

/**
 * Sends one request in process; answers the parsed body (undefined for an empty one) — or the value itself when the
 * server hands one over (a deep-frozen stored object: read it, copy it to change it). Throws ApiError like HTTP.
 */
export async function inProcessValue<T>(send: InProcessHttp, req: InProcessRequest): Promise<T> {
  const answer = await exchange(send, req, true);
  if ('value' in answer) return answer.value as T;
  return (answer.text ? JSON.parse(answer.text) : undefined) as T;
}

/**
 * Opens a watch in process: each chunk the server writes holds whole events (one JSON document per line).
 * `finish` is called once, when the server ends the stream or it fails. Answers the function that stops it.
 */
export function inProcessWatch<T>(send: InProcessHttp, req: InProcessRequest, onEvent: (type: WatchEventType, obj: T) => void, finish: (err?: unknown) => void): () => void {
  let status = 0;
  const errorText: string[] = [];
  return send(req, {
    head: (code) => { status = code; },
    data: (chunk) => {
      if (status >= 300) {
        errorText.push(chunk);
        return;
      }
      for (let from = 0; from < chunk.length;) {
        let nl = chunk.indexOf('\n', from);
        if (nl < 0) nl = chunk.length;
        watchLine(chunk.slice(from, nl), onEvent);
        from = nl + 1;
      }
    },
    event: (type, obj) => {
      if (obj) onEvent(type, obj as T);
    },
    end: (err) => {
      if (status >= 300) finish(ApiError.fromResponse(status, errorText.join(''), `${req.method} ${req.path}`));
      else finish(err);
    },
  });
}
