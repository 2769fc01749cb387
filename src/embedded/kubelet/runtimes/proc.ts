/** Process helpers shared by the runtimes: merged-output children in their own process group, captured commands. */
import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A child process started by {@link spawnMerged}. */
export interface Spawned {
  pid: number;
  /** Exit code once the process ended and its output was read (128+n when killed by signal n). */
  exited: Promise<number>;
  /** Signals the whole process group; ignores "no such process". */
  signal(sig: NodeJS.Signals): void;
  /** The process's standard input, when started with `stdin` (otherwise it reads nothing). */
  stdin?: Writable;
}

/** Exit code of a child from Node's (code, signal) pair, shell style. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return 128 + (n ?? 9);
}

/** How long output may keep flowing after the process exited (descendants holding the pipe open). */
const DRAIN_MS = 2000;

/**
 * Starts `argv` in a new process group with stdout and stderr merged into one pipe (so their order is kept),
 * delivering decoded text to `onOutput`. The merge is done by `/bin/sh` which then execs the command. With
 * `onInfo`, file descriptor 3 of the command is a pipe whose text so far is delivered there after each chunk
 * (bwrap's --info-fd); with `seccomp`, that file is open as file descriptor 4 (bwrap's --seccomp 4).
 * `exited` resolves once the process has exited and its output is drained (at most DRAIN_MS later, so a
 * descendant that keeps the pipe open cannot hold it up).
 */
export function spawnMerged(argv: string[], opts: { env: NodeJS.ProcessEnv; onOutput: (chunk: string) => void; onInfo?: (text: string) => void; seccomp?: string; stdin?: boolean }): Spawned {
  const fd = opts.seccomp ? openSync(opts.seccomp, 'r') : undefined;
  const input = opts.stdin ? 'pipe' : 'ignore';
  const stdio: StdioOptions = opts.onInfo || fd !== undefined ? [input, 'pipe', 'ignore', opts.onInfo ? 'pipe' : 'ignore'] : [input, 'pipe', 'ignore'];
  if (fd !== undefined) (stdio as unknown[]).push(fd);
  const child = spawn('/bin/sh', ['-c', 'exec 2>&1; exec "$@"', 'sh', ...argv], { detached: true, env: opts.env, stdio });
  if (fd !== undefined) closeSync(fd);
  const decoder = new StringDecoder('utf8');
  const out = child.stdout;
  out?.on('data', (b: Buffer) => {
    const s = decoder.write(b);
    if (s) opts.onOutput(s);
  });
  const info = child.stdio[3];
  if (info && opts.onInfo) readAll(info, opts.onInfo);
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      opts.onOutput(`tektite: cannot start ${argv[0] ?? ''}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, sig) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        const rest = decoder.end();
        if (rest) opts.onOutput(rest);
        resolve(exitCodeOf(code, sig));
      };
      if (!out || out.readableEnded || out.destroyed) return finish();
      const t = setTimeout(() => { out.destroy(); finish(); }, DRAIN_MS);
      out.once('close', () => { clearTimeout(t); finish(); });
    });
  });
  child.stdin?.on('error', () => undefined);
  return { pid: child.pid ?? -1, exited, signal: (sig) => signalGroup(child.pid ?? -1, sig), ...(child.stdin ? { stdin: child.stdin } : {}) };
}

/** Delivers the text read so far after every chunk (the writer may keep the pipe open). */
function readAll(stream: Readable | Writable, onText: (textSoFar: string) => void): void {
  let text = '';
  stream.on('data', (b: Buffer) => {
    text += b.toString('utf8');
    onText(text);
  });
  stream.on('error', () => undefined);
}

/** Signals a process group; ignores "no such process". */
export function signalGroup(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/** Result of {@link runCapture}. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and captures its output. With `timeoutMs` the process group is killed when the
 * time is up (code 124 then). Never rejects: a missing program gives code 127.
 */
export function runCapture(argv: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; seccomp?: string } = {}): Promise<Captured> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    // `seccomp`: a file opened as fd 4 of the command (bwrap --seccomp 4)
    const fd = opts.seccomp ? openSync(opts.seccomp, 'r') : undefined;
    const stdio: unknown[] = ['ignore', 'pipe', 'pipe', ...(fd !== undefined ? ['ignore', fd] : [])];
    const child = spawn(cmd ?? 'false', args, { detached: true, env: opts.env ?? process.env, stdio: stdio as StdioOptions });
    if (fd !== undefined) closeSync(fd);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
    child.stderr?.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // gone
      }
    }, opts.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + err.message });
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      resolve({ code: timedOut ? 124 : exitCodeOf(code, sig), stdout, stderr });
    });
  });
}
