/**
 * Streamed commands in running containers (pods/exec), shared by the runtimes: the process, its pipes, the
 * terminal-resize pipe and the step helper's `pty` mode that gives the command a terminal.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import type { ExecProcess, ExecRequest } from '../types.js';
import { exitCodeOf } from './proc.js';

/** The step helper's path in every container (host and engine runtimes bind it there). */
export const HELPER_IN_CONTAINER = '/tektite/entrypoint';

/** The fd of the exec'd process that carries terminal sizes ("COLS ROWS" lines) to the helper's pty mode. */
export const RESIZE_FD = 3;

/** The command as run in the container: wrapped by the helper's pty mode when a terminal is asked for. */
export function execCommand(req: ExecRequest, resizable = true): string[] {
  if (!req.tty) return req.command;
  const size = req.size ? ['--size', `${req.size.cols}x${req.size.rows}`] : [];
  const resize = resizable ? ['--resize-fd', String(RESIZE_FD)] : [];
  return [HELPER_IN_CONTAINER, 'pty', ...size, ...resize, '--', ...req.command];
}

/**
 * Starts `argv` (a runtime's way into the container, ending with {@link execCommand}) in its own process group.
 * fd 3 is the resize pipe when `req.tty`; `seccomp` is a file opened as fd 4 (bwrap's --seccomp 4).
 */
export function spawnExec(argv: string[], req: ExecRequest, opts: { env: NodeJS.ProcessEnv; seccomp?: string }): ExecProcess {
  const fd = opts.seccomp ? openSync(opts.seccomp, 'r') : undefined;
  const stdio: unknown[] = [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', req.tty ? 'pipe' : 'ignore'];
  if (fd !== undefined) stdio.push(fd);
  const [cmd, ...args] = argv;
  const child = spawn(cmd ?? 'false', args, { detached: true, env: opts.env, stdio: stdio as StdioOptions });
  if (fd !== undefined) closeSync(fd);
  const resizePipe = req.tty ? (child.stdio[3] as Writable | null) : null;
  resizePipe?.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  // with a terminal the command's output is all on stdout; what the runtime itself says (nsenter's or podman's
  // errors) still reaches the caller there
  let stderr: NodeJS.ReadableStream | null = child.stderr;
  let stdout: NodeJS.ReadableStream = child.stdout ?? new PassThrough();
  if (req.tty) {
    const merged = new PassThrough();
    let open = 2;
    const end = (): void => { if (--open === 0) merged.end(); };
    for (const s of [child.stdout, child.stderr]) {
      if (!s) {
        end();
        continue;
      }
      s.on('data', (b: Buffer) => merged.write(b));
      s.on('end', end);
    }
    stdout = merged;
    stderr = null;
  }
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(127));
    child.on('close', (code, sig) => resolve(exitCodeOf(code, sig)));
  });
  return {
    stdin: child.stdin,
    stdout,
    stderr,
    resize: (cols, rows) => {
      if (resizePipe && !resizePipe.destroyed) resizePipe.write(`${Math.max(0, Math.floor(cols))} ${Math.max(0, Math.floor(rows))}\n`);
    },
    exited,
    kill: () => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // gone
      }
    },
  };
}
