/**
 * Reads one container's whole log, following it until the container ends. The API server keeps logs after a
 * container finished, so a step that ended before we attached is still read in full. If the stream breaks
 * before the server ends it, it is reopened and the part already read is skipped, so no line is printed
 * twice or dropped.
 */
import type { KubeClient } from '../../kube/client.js';
import { ApiError, isNotFound } from '../../kube/errors.js';
import { LineBuffer } from './lines.js';

/** Options of {@link readContainerLog}. */
export interface ContainerLogOptions {
  follow: boolean;
  timestamps?: boolean;
  /** Called for every complete line (and the unterminated last one at the end). */
  onLine: (line: string) => void;
}

const MAX_REOPEN = 5;

async function readOnce(client: KubeClient, ns: string, pod: string, container: string, opts: ContainerLogOptions, skip: number, consume: (text: string) => void): Promise<void> {
  let toSkip = skip;
  const onData = (chunk: string): void => {
    if (toSkip >= chunk.length) {
      toSkip -= chunk.length;
      return;
    }
    consume(toSkip > 0 ? chunk.slice(toSkip) : chunk);
    toSkip = 0;
  };
  await client.podLog(ns, pod, { container, follow: opts.follow, timestamps: opts.timestamps }, onData);
}

/**
 * Reads a container's log into `onLine`, line by line. Answers false when the log does not exist (pod or
 * container unknown to the server), true otherwise.
 */
export async function readContainerLog(client: KubeClient, ns: string, pod: string, container: string, opts: ContainerLogOptions): Promise<boolean> {
  const buffer = new LineBuffer();
  let consumed = 0;
  const consume = (text: string): void => {
    consumed += text.length;
    for (const line of buffer.push(text)) opts.onLine(line);
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await readOnce(client, ns, pod, container, opts, consumed, consume);
      break;
    } catch (err) {
      if (isNotFound(err) || (err instanceof ApiError && err.code === 400)) {
        if (consumed === 0) return false;
        break;
      }
      if (attempt >= MAX_REOPEN) throw err;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
  const rest = buffer.flush();
  if (rest !== undefined) opts.onLine(rest);
  return true;
}
