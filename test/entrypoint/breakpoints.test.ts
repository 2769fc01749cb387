/**
 * Debug breakpoints in the step helper (Tekton's -breakpoint_on_failure and -debug_before_step): a failed step
 * waits for `<post>.breakpointexit` and exits with the code written there, writing no post file itself; with the
 * flag, a failed earlier step does not skip the next one; a before-step breakpoint holds the step until
 * `<post>.beforestepexit` (run) or `<post>.beforestepexit.err` (fail without running).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHelper, entry, readMessage, runHelper, startHelper, stepFlags, tempDir } from './harness.js';

let dir = '';
let cleanup = (): void => {};

beforeAll(() => buildHelper());
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'results'));
});
afterEach(() => cleanup());

const post = (i: number): string => join(dir, 'run', String(i), 'out');

/** Resolves once the helper's stderr contains `text`. */
async function stderrShows(run: ReturnType<typeof startHelper>, text: string): Promise<void> {
  let err = '';
  await new Promise<void>((resolve) => {
    const check = (d: Buffer): void => {
      err += d.toString();
      if (err.includes(text)) resolve();
    };
    run.child.stderr?.on('data', check);
  });
}

describe('onFailure breakpoint', () => {
  it('keeps a failed step running until debug-continue, then exits 0; the next step runs', async () => {
    const step0 = startHelper([...stepFlags(dir, 0, ['-breakpoint_on_failure']), '--', 'sh', '-c', 'echo failing; exit 3']);
    const step1 = startHelper([...stepFlags(dir, 1, ['-breakpoint_on_failure']), '--', 'sh', '-c', `echo ran > ${join(dir, 'ran-1')}`]);
    await stderrShows(step0, '/tekton/debug/scripts/debug-continue');
    // at the breakpoint: no post file yet, the termination message is written, the next step waits
    expect(existsSync(post(0))).toBe(false);
    expect(existsSync(`${post(0)}.err`)).toBe(false);
    expect(entry(readMessage(join(dir, 'termination-0')), 'StartedAt')).toBeDefined();
    expect(existsSync(join(dir, 'ran-1'))).toBe(false);
    // what /tekton/debug/scripts/debug-continue writes
    writeFileSync(post(0), '');
    writeFileSync(`${post(0)}.breakpointexit`, '0\n');
    const [o0, o1] = await Promise.all([step0.done, step1.done]);
    expect(o0.code).toBe(0);
    expect(o0.stderr).toContain('debug onFailure breakpoint has taken effect');
    expect(o1.code).toBe(0);
    expect(existsSync(join(dir, 'ran-1'))).toBe(true);
  });

  it('debug-fail-continue: the failed step exits 1, and the next step still runs (debugging goes on)', async () => {
    const step0 = startHelper([...stepFlags(dir, 0, ['-breakpoint_on_failure']), '--', 'sh', '-c', 'exit 5']);
    const step1 = startHelper([...stepFlags(dir, 1, ['-breakpoint_on_failure']), '--', 'sh', '-c', `echo ran > ${join(dir, 'ran-1')}`]);
    await stderrShows(step0, 'debug-fail-continue');
    writeFileSync(`${post(0)}.err`, '');
    writeFileSync(`${post(0)}.breakpointexit`, '1\n');
    const [o0, o1] = await Promise.all([step0.done, step1.done]);
    expect(o0.code).toBe(1);
    expect(o1.code).toBe(0);
    expect(readFileSync(join(dir, 'ran-1'), 'utf8')).toBe('ran\n');
  });

  it('does not stop a step that succeeds, nor one that times out', async () => {
    const ok = await runHelper([...stepFlags(dir, 0, ['-breakpoint_on_failure']), '--', 'true']);
    expect(ok.code).toBe(0);
    expect(existsSync(post(0))).toBe(true);
    const slow = await runHelper([...stepFlags(dir, 1, ['-breakpoint_on_failure', '-timeout', '200ms']), '--', 'sleep', '5']);
    expect(slow.code).toBe(1);
    expect(existsSync(`${post(1)}.err`)).toBe(true);
    expect(entry(readMessage(join(dir, 'termination-1')), 'Reason')?.value).toBe('TimeoutExceeded');
  });

  it('ends at once on SIGTERM while at the breakpoint', async () => {
    const step0 = startHelper([...stepFlags(dir, 0, ['-breakpoint_on_failure']), '--', 'sh', '-c', 'exit 2']);
    await stderrShows(step0, 'debug-continue');
    step0.child.kill('SIGTERM');
    expect((await step0.done).code).toBe(143);
  });
});

describe('before-step breakpoint', () => {
  it('holds the step until debug-beforestep-continue, then runs it', async () => {
    const step0 = startHelper([...stepFlags(dir, 0, ['-debug_before_step']), '--', 'sh', '-c', `echo ran > ${join(dir, 'ran-0')}`]);
    await stderrShows(step0, '/tekton/debug/scripts/debug-beforestep-continue');
    expect(existsSync(join(dir, 'ran-0'))).toBe(false);
    writeFileSync(`${post(0)}.beforestepexit`, '0\n');
    const o = await step0.done;
    expect(o.code).toBe(0);
    expect(existsSync(join(dir, 'ran-0'))).toBe(true);
    expect(existsSync(post(0))).toBe(true);
  });

  it('debug-beforestep-fail-continue: the step does not run and fails (later steps are skipped)', async () => {
    const step0 = startHelper([...stepFlags(dir, 0, ['-debug_before_step']), '--', 'sh', '-c', `echo ran > ${join(dir, 'ran-0')}`]);
    const step1 = startHelper([...stepFlags(dir, 1), '--', 'true']);
    await stderrShows(step0, 'debug-beforestep-fail-continue');
    writeFileSync(`${post(0)}.beforestepexit.err`, '1\n');
    const [o0, o1] = await Promise.all([step0.done, step1.done]);
    expect(o0.code).toBe(1);
    expect(o0.stderr).toContain('Skipping execute step script because before step breakpoint fail-continue');
    expect(existsSync(join(dir, 'ran-0'))).toBe(false);
    expect(existsSync(`${post(0)}.err`)).toBe(true);
    expect(o1.code).toBe(1);
    expect(o1.stderr).toContain('Skipping step because a previous step failed');
  });
});
