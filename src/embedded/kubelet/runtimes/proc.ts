/** Process helpers shared by the runtimes: merged-output children in their own process group, captured commands. */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';

/** A child process started by {@link spawnMerged}. */
export interface Spawned {
  pid: number;
  /** Exit code once the process ended and its output was read (128+n when killed by signal n). */
  exited: Promise<number>;
  /** Signals the whole process group; ignores "no such process". */
  signal(sig: NodeJS.Signals): void;
}

/** Exit code of a child from Node's (code, signal) pair, shell style. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return 128 + (n ?? 9);
}

/**
 * Starts `argv` in a new process group with stdout and stderr merged into one pipe (so their order is kept),
 * delivering decoded text to `onOutput`. The merge is done by `/bin/sh` which then execs the command.
 */
export function spawnMerged(argv: string[], opts: { env: NodeJS.ProcessEnv; onOutput: (chunk: string) => void }): Spawned {
  const child = spawn('/bin/sh', ['-c', 'exec 2>&1; exec "$@"', 'sh', ...argv], {
    detached: true,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const decoder = new StringDecoder('utf8');
  child.stdout.on('data', (b: Buffer) => {
    const s = decoder.write(b);
    if (s) opts.onOutput(s);
  });
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      opts.onOutput(`tektite: cannot start ${argv[0] ?? ''}: ${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code, sig) => {
      const rest = decoder.end();
      if (rest) opts.onOutput(rest);
      resolve(exitCodeOf(code, sig));
    });
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    exited,
    signal(sig) {
      if (pid <= 0) return;
      try {
        process.kill(-pid, sig);
      } catch {
        // already gone
      }
    },
  };
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
export function runCapture(argv: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Captured> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(cmd ?? 'false', args, { detached: true, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
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
