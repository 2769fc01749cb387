/**
 * Reads one container's whole log, following it until the container ends. The API server keeps logs after a
 * container finished, so a step that ended before we attached is still read in full. A follow stream can end
 * early (server restart, dropped connection, load shedding) and that looks like a normal end, so in follow
 * mode the end is only accepted once `ended()` confirms the container stopped; otherwise the stream is
 * reopened and the part already read is skipped. No line is printed twice or dropped.
 */
import type { KubeClient } from '../../kube/client.js';
import { ApiError, isNotFound, isUnreachable } from '../../kube/errors.js';
import { LineBuffer } from './lines.js';

/** Options of {@link readContainerLog}. */
export interface ContainerLogOptions {
  follow: boolean;
  timestamps?: boolean;
  /** Called for every complete line (and the unterminated last one at the end). */
  onLine: (line: string) => void;
  /** Follow mode: true once the container has stopped (terminated, pod ended or gone). Default: always true. */
  ended?: () => boolean;
  /** Aborted: the stream is closed and reading ends (what was read is kept). */
  signal?: AbortSignal;
}

const MAX_FAILURES = 8;
const REOPEN_DELAY_MS = 50;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads a stream once, passing on what comes after the first `skip` characters. */
async function readFrom(client: KubeClient, ns: string, pod: string, container: string, opts: ContainerLogOptions, follow: boolean, skip: number, consume: (text: string) => void): Promise<void> {
  let toSkip = skip;
  const onData = (chunk: string): void => {
    if (toSkip >= chunk.length) {
      toSkip -= chunk.length;
      return;
    }
    consume(toSkip > 0 ? chunk.slice(toSkip) : chunk);
    toSkip = 0;
  };
  await client.podLog(ns, pod, { container, follow, timestamps: opts.timestamps, ...(opts.signal ? { signal: opts.signal } : {}) }, onData);
}

const gone = (err: unknown): boolean => isNotFound(err) || (err instanceof ApiError && err.code === 400);

/**
 * Reads a container's log into `onLine`, line by line. Answers false when the server has no such log (pod or
 * container unknown), true otherwise.
 */
export async function readContainerLog(client: KubeClient, ns: string, pod: string, container: string, opts: ContainerLogOptions): Promise<boolean> {
  const buffer = new LineBuffer();
  let consumed = 0;
  let failures = 0;
  let reopened = 0;
  const consume = (text: string): void => {
    consumed += text.length;
    for (const line of buffer.push(text)) opts.onLine(line);
  };
  for (;;) {
    if (opts.signal?.aborted) return finish(buffer, opts, true);
    try {
      await readFrom(client, ns, pod, container, opts, opts.follow, consumed, consume);
    } catch (err) {
      if (gone(err)) return finish(buffer, opts, consumed > 0);
      if (++failures > MAX_FAILURES && isUnreachable(err)) throw err;
      await sleep(REOPEN_DELAY_MS * failures);
      continue;
    }
    if (!opts.follow || !opts.ended || opts.ended() || opts.signal?.aborted) break;
    // The stream ended before the watch reported the container stopped: usually the status is a moment behind the
    // log's end, so look again soon, then less often.
    await sleep(Math.min(REOPEN_DELAY_MS, 5 * 2 ** reopened++));
  }
  if (opts.follow && opts.ended && !opts.signal?.aborted) await readFrom(client, ns, pod, container, opts, false, consumed, consume).catch(() => undefined);
  return finish(buffer, opts, true);
}

function finish(buffer: LineBuffer, opts: ContainerLogOptions, found: boolean): boolean {
  const rest = buffer.flush();
  if (rest !== undefined) opts.onLine(rest);
  return found;
}
