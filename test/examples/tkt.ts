/**
 * Runs the tkt CLI (`node bin/tkt.js`) as a child process, asynchronously (tests serve git over HTTP from their
 * own process, so a synchronous child would deadlock), and collects its exit code and output.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../catalog/harness.js';

/** How a tkt run ended. */
export interface TktResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/tkt.js <args>` in the repository root. */
export function tkt(args: string[], timeoutMs = 600_000): Promise<TktResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tkt.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
