/**
 * Runs a command with a timeout and captures its output (used for the git CLI). Never goes through a shell.
 */
import { spawn } from 'node:child_process';

/** How a command ended. */
export interface ExecResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs `cmd args`; a timeout kills it and answers code 124. Output beyond `maxBytes` is dropped. */
export function execCapture(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string; maxBytes?: number }): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    const max = opts.maxBytes ?? 16 * 1024 * 1024;
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes <= max) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 64 * 1024) err += c.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout: Buffer.alloc(0), stderr: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 124 : code ?? 1, stdout: Buffer.concat(out), stderr: err });
    });
  });
}
