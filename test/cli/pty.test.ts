/**
 * Colours on a terminal, none in a pipe: `tkt` runs as a child process, under `script` (a pseudo-terminal) and
 * with a plain pipe, against a seeded API server.
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineRuns, taskRuns } from './fixtures.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';
import { World } from './helpers/world.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tkt.js');
const ESC = '\u001b[';
const works = (cmd: string, args: string[]): boolean => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const hasScript = works('script', ['-qec', 'true', '/dev/null']);
const hasBwrap = works('bwrap', ['--ro-bind', '/', '/', 'true']);

let srv: CliTestServer;
beforeAll(async () => {
  srv = await startCliServer();
  await srv.seed(...pipelineRuns.slice(0, 3), ...taskRuns);
  const w = new World(srv, 'colored', ['t']);
  await w.start();
  const tr = await w.task('t', ['s']);
  w.log('colored-t-pod', 's', 'hello\n');
  await w.endStep('colored-t-pod', 's');
  await w.endTask(tr);
  await w.end(true);
});
afterAll(async () => srv?.close());

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function runTkt(args: string[], opts: { tty: boolean; env?: Record<string, string>; server?: boolean }): Promise<string> {
  const argv = [process.execPath, BIN, ...args, ...(opts.server === false ? [] : ['--kubeconfig', srv.kubeconfig])];
  const env: Record<string, string | undefined> = { ...process.env, TKT_FROM_SOURCE: '1', TERM: 'xterm-256color' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  Object.assign(env, opts.env);
  const [cmd, cmdArgs] = opts.tty ? ['script', ['-qec', argv.map(shellQuote).join(' '), '/dev/null']] : [argv[0] ?? 'node', argv.slice(1)];
  return new Promise((resolve, reject) => {
    execFile(cmd as string, cmdArgs as string[], { env, timeout: 120_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

describe.skipIf(!hasScript)('colours follow the terminal', () => {
  it('pr list: coloured STATUS on a TTY, plain in a pipe, plain with NO_COLOR', async () => {
    const tty = await runTkt(['pr', 'list'], { tty: true });
    expect(tty).toContain(`${ESC}92mSucceeded${ESC}39m`);
    expect(tty).toContain(`${ESC}91mFailed${ESC}39m`);
    const pipe = await runTkt(['pr', 'list'], { tty: false });
    expect(pipe).not.toContain(ESC);
    expect(pipe).toContain('build-run-1   10 minutes ago'.slice(0, 11));
    expect(await runTkt(['pr', 'list'], { tty: true, env: { NO_COLOR: '1' } })).not.toContain(ESC);
    expect(await runTkt(['pr', 'list', '--no-color'], { tty: true })).not.toContain(ESC);
  });

  it('logs: bold coloured prefixes on a TTY only', async () => {
    const tty = await runTkt(['pr', 'logs', 'colored'], { tty: true });
    expect(tty).toContain(`${ESC}1m${ESC}92m[t : s] ${ESC}39m${ESC}22mhello`);
    const pipe = await runTkt(['pr', 'logs', 'colored'], { tty: false });
    expect(pipe).toBe('[t : s] hello\n\n');
  });

  it('describe: emoji headings on a TTY only', async () => {
    expect(await runTkt(['pr', 'describe', 'build-run-1'], { tty: true })).toContain('🌡️');
    expect(await runTkt(['pr', 'describe', 'build-run-1'], { tty: false })).not.toContain('🌡️');
  });

  it.skipIf(!hasBwrap)('tkt run: coloured prefixes and a progress line on a TTY, neither in a pipe', async () => {
    const args = ['run', '-f', path.join(ROOT, 'test', 'cli', 'fixtures', 'pipeline-fails.yaml'), '-p', 'code=0', '--runtime', 'host'];
    const tty = await runTkt(args, { tty: true, server: false });
    expect(tty).toContain(`${ESC}1m${ESC}92m[a : s1] `);
    expect(tty).toContain('⏳ running: ');
    const pipe = await runTkt(args, { tty: false, server: false });
    expect(pipe).not.toContain(ESC);
    expect(pipe).not.toContain('⏳');
    expect(pipe).toContain('[a : s1] one\n');
  });
});
