/**
 * Interactive commands of the runtimes (kubectl exec): a child with separate stdin, stdout and stderr pipes, and
 * with a terminal the step helper's `nsexec -tty` (src/entrypoint/nsexec.c) between it and the command: it
 * allocates the pseudo-terminal (inside the container for the host runtime) and reads "COLS ROWS" lines from
 * file descriptor 3 to resize it. Node has no pty of its own and node-pty is a native module we do not ship;
 * `script(1)` cannot resize its terminal from a pipe.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import type { ExecSession } from '../types.js';
import { exitCodeOf, signalGroup } from './proc.js';

/** How long output may keep flowing after the command exited (descendants holding the pipes open). */
const DRAIN_MS = 2000;
const DRAIN_TICK_MS = 250;

/** File descriptor of the resize lines in the child (`nsexec -resize_fd 3`). */
export const RESIZE_FD = 3;
/** File descriptor of the seccomp program in the child (`nsexec -seccomp_fd 4`). */
export const EXEC_SECCOMP_FD = 4;

/** Linux capability numbers by name (without CAP_). */
const CAPABILITY_NUMBERS: Record<string, number> = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7, SETPCAP: 8,
  LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10, NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13, IPC_LOCK: 14, IPC_OWNER: 15,
  SYS_MODULE: 16, SYS_RAWIO: 17, SYS_CHROOT: 18, SYS_PTRACE: 19, SYS_PACCT: 20, SYS_ADMIN: 21, SYS_BOOT: 22,
  SYS_NICE: 23, SYS_RESOURCE: 24, SYS_TIME: 25, SYS_TTY_CONFIG: 26, MKNOD: 27, LEASE: 28, AUDIT_WRITE: 29,
  AUDIT_CONTROL: 30, SETFCAP: 31, MAC_OVERRIDE: 32, MAC_ADMIN: 33, SYSLOG: 34, WAKE_ALARM: 35, BLOCK_SUSPEND: 36,
  AUDIT_READ: 37, PERFMON: 38, BPF: 39, CHECKPOINT_RESTORE: 40,
};

/** The `nsexec -caps` value of a capability list: a hex mask, or `all`. Unknown names are left out. */
export function capabilityMask(caps: string[]): string {
  if (caps.includes('ALL')) return 'all';
  let mask = 0n;
  for (const c of caps) {
    const n = CAPABILITY_NUMBERS[c.toUpperCase().replace(/^CAP_/, '')];
    if (n !== undefined) mask |= 1n << BigInt(n);
  }
  return mask.toString(16);
}

/**
 * Starts `argv` (detached, in its own process group) with the streams an exec session needs. With `tty` the
 * child's stderr (the helper's own messages) is delivered on stdout, where the terminal's output goes.
 * `seccomp`: a file opened as file descriptor 4 of the child.
 */
export function spawnSession(argv: string[], opts: { env: NodeJS.ProcessEnv; stdin: boolean; tty: boolean; seccomp?: string }): ExecSession {
  const fd = opts.seccomp ? openSync(opts.seccomp, 'r') : undefined;
  const stdio: unknown[] = [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', opts.tty ? 'pipe' : 'ignore'];
  if (fd !== undefined) stdio.push(fd);
  const [cmd, ...args] = argv;
  const child = spawn(cmd ?? 'false', args, { detached: true, env: opts.env, stdio: stdio as StdioOptions });
  if (fd !== undefined) closeSync(fd);
  const stdout = new PassThrough();
  const stderr = opts.tty ? undefined : new PassThrough();
  let open = 2;
  let drained: () => void = () => undefined;
  const ended = (): void => {
    if (--open > 0) return;
    stdout.end();
    stderr?.end();
    drained();
  };
  // pipe() passes backpressure on: a slow client pauses the command's output instead of filling memory
  let lastData = Date.now();
  const seen = (): void => { lastData = Date.now(); };
  child.stdout?.on('data', seen);
  child.stderr?.on('data', seen);
  child.stdout?.pipe(stdout, { end: false });
  child.stdout?.on('close', ended);
  child.stderr?.pipe(stderr ?? stdout, { end: false });
  child.stderr?.on('close', ended);
  const resize = child.stdio[RESIZE_FD] as Writable | null | undefined;
  resize?.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      stdout.end(`tektite: cannot start ${cmd ?? ''}: ${err.message}\n`);
      stderr?.end();
      resolve(127);
    });
    child.on('exit', (code, sig) => {
      // output still in the pipes is delivered; a descendant that keeps them open holds the end at most DRAIN_MS of
      // silence (time the client makes us wait does not count: the pipes are paused then)
      let quiet = 0;
      const t = setInterval(() => {
        const paused = stdout.writableNeedDrain || (stderr?.writableNeedDrain ?? false);
        quiet = paused || Date.now() - lastData < DRAIN_TICK_MS ? 0 : quiet + DRAIN_TICK_MS;
        if (quiet < DRAIN_MS) return;
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, DRAIN_TICK_MS);
      drained = () => {
        clearInterval(t);
        resolve(exitCodeOf(code, sig));
      };
      if (open === 0) drained();
    });
  });
  const pid = child.pid ?? -1;
  return {
    ...(child.stdin ? { stdin: child.stdin } : {}),
    stdout,
    ...(stderr ? { stderr } : {}),
    resize: (cols, rows) => {
      if (resize && !resize.destroyed && cols > 0 && rows > 0) resize.write(`${Math.floor(cols)} ${Math.floor(rows)}\n`);
    },
    exited,
    kill: () => {
      signalGroup(pid, 'SIGTERM');
      const t = setTimeout(() => signalGroup(pid, 'SIGKILL'), 2000);
      void exited.then(() => clearTimeout(t));
    },
  };
}
