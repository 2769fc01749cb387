/**
 * The kubelet's streaming side of `pods/exec` and `pods/attach`: finds the running container of a pod on this
 * node and starts a command in it (the runtime's `stream`), or attaches to it: its output from now on, and its
 * standard input when its spec has `stdin: true` (closed after the first client when `stdinOnce`).
 */
import { PassThrough } from 'node:stream';
import type { ExecSession, StreamOptions } from './types.js';
import type { PodRunner } from './pod-runner.js';

/** A request the kubelet cannot serve; `status` is the HTTP status the API server answers. */
export class StreamError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** What the API server asks of the kubelet. */
export interface PodStreams {
  exec(namespace: string, pod: string, container: string, command: string[], opts: StreamOptions): ExecSession;
  attach(namespace: string, pod: string, container: string, opts: StreamOptions): ExecSession;
}

function runningContainer(runner: PodRunner | undefined, pod: string, container: string): NonNullable<ReturnType<PodRunner['running']>> {
  const handle = runner?.running(container);
  if (!runner) throw new StreamError(400, `pod ${pod} is not running on this node`);
  if (!handle) throw new StreamError(400, `container not found ("${container}"): it is not running`);
  return handle;
}

/** The streams of the pods `find` answers (the kubelet's running pods). */
export function podStreams(find: (namespace: string, pod: string) => PodRunner | undefined): PodStreams {
  return {
    exec(namespace, pod, container, command, opts) {
      const handle = runningContainer(find(namespace, pod), pod, container);
      if (!handle.stream) throw new StreamError(400, `this node's container runtime cannot run commands in containers`);
      if (command.length === 0) throw new StreamError(400, 'you must specify at least one command for the container');
      return handle.stream(command, opts);
    },
    attach(namespace, pod, container, opts) {
      const runner = find(namespace, pod);
      const handle = runningContainer(runner, pod, container);
      const spec = runner?.spec.spec.containers.find((c) => c.name === container) as { stdin?: boolean; stdinOnce?: boolean; tty?: boolean } | undefined;
      return attachSession(handle, (l) => (runner as PodRunner).listen(container, l), { ...opts, stdinOnce: spec?.stdinOnce === true });
    },
  };
}

function attachSession(
  handle: ReturnType<typeof runningContainer>,
  listen: (l: (chunk: string) => void) => () => void,
  opts: StreamOptions & { stdinOnce: boolean },
): ExecSession {
  const stdout = new PassThrough();
  const unlisten = listen((chunk) => stdout.write(chunk));
  let done: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    done = (code) => {
      unlisten();
      stdout.end();
      resolve(code);
    };
  });
  void handle.exited.then((info) => done(info.exitCode));
  const target = handle.stdin;
  let stdin: PassThrough | undefined;
  if (opts.stdin && target) {
    stdin = new PassThrough();
    stdin.on('data', (b: Buffer) => target.write(b));
    // the container's input outlives a client unless the spec says stdinOnce
    stdin.on('end', () => {
      if (opts.stdinOnce) target.end();
    });
  }
  return { ...(stdin ? { stdin } : {}), stdout, resize: () => undefined, exited, kill: () => done(0) };
}
