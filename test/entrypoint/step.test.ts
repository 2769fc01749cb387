import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHelper, entry, readMessage, runHelper, startHelper, stepFlags, tempDir, waitForPath } from './harness.js';

let dir = '';
let cleanup = (): void => {};

beforeAll(() => buildHelper());
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'results'));
});
afterEach(() => cleanup());

const log = (): string => join(dir, 'order.log');
const append = (name: string): string[] => ['sh', '-c', `echo ${name} >> "$0"`, log()];

describe('step ordering through wait and post files', () => {
  it('runs three steps in order even when started in reverse', async () => {
    const runs = [2, 1, 0].map((i) => runHelper([...stepFlags(dir, i), '--', ...append(`step${i}`)]));
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => o.code)).toEqual([0, 0, 0]);
    expect(readFileSync(log(), 'utf8')).toBe('step0\nstep1\nstep2\n');
    for (const i of [0, 1, 2]) {
      expect(existsSync(join(dir, 'run', String(i), 'out'))).toBe(true);
      expect(readFileSync(join(dir, 'run', String(i), 'status', 'exitCode'), 'utf8')).toBe('0');
      expect(existsSync(join(dir, 'run', String(i), 'status', 'results'))).toBe(true);
      const started = entry(readMessage(join(dir, `termination-${i}`)), 'StartedAt');
      expect(started?.type).toBe(3);
      expect(started?.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('skips the steps after a failing step and passes the exit code through', async () => {
    const runs = [0, 1, 2].map((i) =>
      runHelper([...stepFlags(dir, i), '--', 'sh', '-c', i === 0 ? 'exit 4' : `echo ran > ${join(dir, `ran-${i}`)}`]));
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => o.code)).toEqual([4, 1, 1]);
    expect(outcomes[1]?.stderr).toContain('Skipping step because a previous step failed');
    expect(readFileSync(join(dir, 'run', '0', 'status', 'exitCode'), 'utf8')).toBe('4');
    for (const i of [0, 1, 2]) expect(existsSync(join(dir, 'run', String(i), 'out.err'))).toBe(true);
    for (const i of [1, 2]) {
      expect(existsSync(join(dir, `ran-${i}`))).toBe(false);
      const msg = readMessage(join(dir, `termination-${i}`));
      expect(entry(msg, 'Reason')).toEqual({ key: 'Reason', value: 'Skipped', type: 3 });
      expect(entry(msg, 'StartedAt')).toBeDefined();
    }
  });

  it('waits for non-empty content with -wait_file_content (sidecar-ready gate)', async () => {
    const ready = join(dir, 'downward', 'ready');
    mkdirSync(join(dir, 'downward'));
    writeFileSync(ready, '');
    const run = startHelper([...stepFlags(dir, 0), '-wait_file', ready, '-wait_file_content', '--', 'true']);
    const before = new Date();
    before.setMilliseconds(before.getMilliseconds() - 1);
    writeFileSync(ready, 'READY');
    expect((await run.done).code).toBe(0);
    const started = entry(readMessage(join(dir, 'termination-0')), 'StartedAt')?.value ?? '';
    expect(Date.parse(started)).toBeGreaterThanOrEqual(Math.floor(before.getTime()));
  });
});

describe('onError and timeout', () => {
  it('continues after a failure with -on_error continue', async () => {
    const first = await runHelper([...stepFlags(dir, 0, ['-on_error', 'continue']), '--', 'sh', '-c', 'exit 3']);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'run', '0', 'out'))).toBe(true);
    expect(existsSync(join(dir, 'run', '0', 'out.err'))).toBe(false);
    expect(readFileSync(join(dir, 'run', '0', 'status', 'exitCode'), 'utf8')).toBe('3');
    expect(entry(readMessage(join(dir, 'termination-0')), 'ExitCode')).toEqual({ key: 'ExitCode', value: '3', type: 3 });
    const second = await runHelper([...stepFlags(dir, 1), '--', 'true']);
    expect(second.code).toBe(0);
  });

  it('kills the process group on -timeout and reports TimeoutExceeded', async () => {
    const pidFile = join(dir, 'bg.pid');
    const script = `sleep 300 & echo $! > ${pidFile}; wait`;
    const out = await runHelper([...stepFlags(dir, 0, ['-timeout', '300ms']), '--', 'sh', '-c', script]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('timed out');
    expect(existsSync(join(dir, 'run', '0', 'out.err'))).toBe(true);
    expect(entry(readMessage(join(dir, 'termination-0')), 'Reason')?.value).toBe('TimeoutExceeded');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(false);
  });

  it('rejects a malformed timeout and an unknown on_error value', async () => {
    expect((await runHelper(['-timeout', '5 minutes', '--', 'true'])).code).toBe(2);
    expect((await runHelper(['-on_error', 'maybe', '--', 'true'])).code).toBe(2);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie still answers kill(0); it is dead for our purpose
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('results in the termination message', () => {
  it('writes task and step results with JSON escaping', async () => {
    const tricky = 'quote " backslash \\ newline \n tab \t ctrl \u0001 html <a>&b é ü 日本 \u2028 end';
    writeFileSync(join(dir, 'results', 'tricky'), tricky);
    writeFileSync(join(dir, 'results', 'plain'), 'sha256:abc');
    const script = `printf step-value > ${join(dir, 'run', '0', 'status', 'results', 'sr')}`;
    const flags = stepFlags(dir, 0, ['-results', 'tricky,plain,missing', '-step_results', 'sr']);
    expect((await runHelper([...flags, '--', 'sh', '-c', script])).code).toBe(0);
    const raw = readFileSync(join(dir, 'termination-0'), 'utf8');
    expect(raw).not.toContain('<');
    const msg = readMessage(join(dir, 'termination-0'));
    expect(entry(msg, 'tricky')).toEqual({ key: 'tricky', value: tricky, type: 1 });
    expect(entry(msg, 'plain')).toEqual({ key: 'plain', value: 'sha256:abc', type: 1 });
    expect(entry(msg, 'missing')).toBeUndefined();
    expect(entry(msg, 'sr')).toEqual({ key: 'sr', value: 'step-value', type: 4 });
  });

  it('fails with TerminationMessageTooLarge when results exceed 4096 bytes', async () => {
    writeFileSync(join(dir, 'results', 'big'), 'x'.repeat(5000));
    const out = await runHelper([...stepFlags(dir, 0, ['-results', 'big']), '--', 'true']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('above max allowed size 4096');
    const raw = readFileSync(join(dir, 'termination-0'), 'utf8');
    expect(raw.length).toBeLessThanOrEqual(4096);
    expect(entry(JSON.parse(raw) as [], 'Reason')?.value).toBe('TerminationMessageTooLarge');
    expect(existsSync(join(dir, 'run', '0', 'out.err'))).toBe(true);
  });

  it('substitutes $(steps.<step>.results.<r>) in args and env at run time', async () => {
    mkdirSync(join(dir, 'steps', 'step-first', 'results'), { recursive: true });
    writeFileSync(join(dir, 'steps', 'step-first', 'results', 'digest'), 'sha256:1234');
    const env = { ...process.env, FROM_STEP: 'got $(steps.first.results.digest)' };
    const args = ['--', 'sh', '-c', 'echo "arg=$1 env=$FROM_STEP"', 'x', 'v=$(steps.first.results.digest)'];
    const out = await runHelper([...stepFlags(dir, 0), ...args], { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('arg=v=sha256:1234 env=got sha256:1234\n');
    const missing = await runHelper([...stepFlags(dir, 1), '--', 'echo', '$(steps.nope.results.r)']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('step-nope/results/r');
  });
});

describe('signals and output copies', () => {
  it('forwards SIGTERM to the child and exits 143', async () => {
    const run = startHelper([...stepFlags(dir, 0), '--', 'sh', '-c', 'echo started; exec sleep 300']);
    await run.sawStdout('started');
    run.child.kill('SIGTERM');
    const out = await run.done;
    expect(out.code).toBe(143);
    expect(existsSync(join(dir, 'run', '0', 'out.err'))).toBe(true);
  });

  it('exits 143 on SIGTERM while waiting for the previous step', async () => {
    const run = startHelper([...stepFlags(dir, 1), '--', 'true']);
    await waitForPath(join(dir, 'run', '1', 'status', 'results')); // created after the handler, before the wait
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(143);
  });

  it('copies stdout and stderr to files with -stdout_path/-stderr_path', async () => {
    const outPath = join(dir, 'logs', 'nested', 'out.txt');
    const errPath = join(dir, 'logs', 'err.txt');
    const flags = stepFlags(dir, 0, ['-stdout_path', outPath, '-stderr_path', errPath]);
    const out = await runHelper([...flags, '--', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 5']);
    expect(out.code).toBe(5);
    expect(out.stdout).toBe('to-out\n');
    expect(out.stderr).toContain('to-err\n');
    expect(readFileSync(outPath, 'utf8')).toBe('to-out\n');
    expect(readFileSync(errPath, 'utf8')).toBe('to-err\n');
  });

  it('uses -entrypoint as the command and finds it on PATH', async () => {
    const out = await runHelper(['-entrypoint', 'echo', '--', 'a', 'b']);
    expect(out).toMatchObject({ code: 0, stdout: 'a b\n' });
    const missing = await runHelper([...stepFlags(dir, 0), '--', 'no-such-command-xyz']);
    expect(missing.code).toBe(127);
    expect(existsSync(join(dir, 'run', '0', 'out.err'))).toBe(true);
  });
});
