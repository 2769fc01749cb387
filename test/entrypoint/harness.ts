/** Shared harness for the step helper tests: builds the binary once and runs it as a child process. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of the built helper. */
export const HELPER = join(root, 'dist', 'entrypoint', 'entrypoint');

/** Builds dist/entrypoint/entrypoint when its sources are newer. */
export function buildHelper(): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-entrypoint.mjs')], { stdio: 'inherit' });
}

/** Outcome of one helper run. */
export interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running helper with its collected output. */
export interface Running {
  child: ChildProcess;
  done: Promise<RunOutcome>;
  /** Resolves once stdout contains the text. */
  sawStdout(text: string): Promise<void>;
}

/** Starts the helper with the given arguments. */
export function startHelper(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Running {
  const child = spawn(HELPER, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.filter((x) => stdout.includes(x.text))) w.resolve();
  });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<RunOutcome>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const sawStdout = (text: string): Promise<void> =>
    stdout.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }));
  return { child, done, sawStdout };
}

/** Runs the helper to completion. */
export function runHelper(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunOutcome> {
  return startHelper(args, opts).done;
}

/** One termination message entry. */
export interface Entry { key: string; value: string; type: number }

/** Parses a termination message file. */
export function readMessage(path: string): Entry[] {
  return JSON.parse(readFileSync(path, 'utf8')) as Entry[];
}

/** Value of a key in a termination message, or undefined. */
export function entry(msg: Entry[], key: string): Entry | undefined {
  return msg.find((e) => e.key === key);
}

/** A temporary directory removed by the returned cleanup function. */
export function tempDir(prefix = 'tkt-ep-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Flags of step i in a layout rooted at dir (the /tekton tree of a pod). */
export function stepFlags(dir: string, i: number, extra: string[] = []): string[] {
  const wait = i > 0 ? ['-wait_file', join(dir, 'run', String(i - 1), 'out')] : [];
  return [
    ...wait,
    '-post_file', join(dir, 'run', String(i), 'out'),
    '-termination_path', join(dir, `termination-${i}`),
    '-step_metadata_dir', join(dir, 'run', String(i), 'status'),
    '-results_dir', join(dir, 'results'),
    '-steps_dir', join(dir, 'steps'),
    ...extra,
  ];
}

/** Resolves once the path exists (polled every 5 ms; the test's own timeout bounds it). */
export async function waitForPath(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 5));
}
