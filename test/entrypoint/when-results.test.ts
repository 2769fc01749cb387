/**
 * The step helper's step `when` expressions (-when_expressions) and array/object step results ([*], [i], .key),
 * as Tekton's entrypoint evaluates and substitutes them after the previous step is done.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHelper, entry, readMessage, runHelper, stepFlags, tempDir } from './harness.js';

let dir = '';
let cleanup = (): void => {};

beforeAll(() => buildHelper());
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'results'));
  const res = join(dir, 'steps', 'step-produce', 'results');
  mkdirSync(res, { recursive: true });
  writeFileSync(join(res, 'arr'), '["a b", "c", "\\u00e9"]');
  writeFileSync(join(res, 'obj'), '{"url":"https://x/y","digest":"sha256:12"}');
  writeFileSync(join(res, 'str'), 'main');
  writeFileSync(join(res, 'quoted'), '"in quotes"');
});
afterEach(() => cleanup());

/** Flags of step i without waiting for step i-1 (each case is on its own). */
const alone = (i: number): string[] => (i > 0 ? stepFlags(dir, i).slice(2) : stepFlags(dir, i));
const when = (w: unknown[]): string[] => ['-when_expressions', JSON.stringify(w)];
const printArgs = ['--', 'sh', '-c', 'for a in "$@"; do echo "[$a]"; done', 'sh'];

describe('array and object step results', () => {
  it('expands [*] into separate arguments and substitutes [i] and .key', async () => {
    const out = await runHelper([...stepFlags(dir, 0), ...printArgs, '$(steps.produce.results.arr[*])', '$(steps.produce.results.arr[1])',
      'u=$(steps.produce.results.obj.url)', '$(steps.produce.results.str)-$(steps.produce.results.quoted)']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('[a b]\n[c]\n[é]\n[c]\n[u=https://x/y]\n[main-in quotes]\n');
    expect(out.code).toBe(0);
  });

  it('substitutes [i] and .key in environment values', async () => {
    const env = { ...process.env, E: '$(steps.produce.results.arr[0])/$(steps.produce.results.obj.digest)' };
    const out = await runHelper([...stepFlags(dir, 0), '--', 'sh', '-c', 'echo "$E"'], { env });
    expect(out.stdout).toBe('a b/sha256:12\n');
  });

  it('fails the step with a clear message on a bad reference', async () => {
    const cases: Array<[string, string]> = [
      ['x$(steps.produce.results.arr[*])', 'when using array results'],
      ['$(steps.produce.results.arr[7])', 'index 7 is out of range (the array has 3 items)'],
      ['$(steps.produce.results.obj.nope)', 'is not an object with key "nope"'],
      ['$(steps.produce.results.arr)', 'is an array; use [i], [*] or .key'],
      ['$(steps.other.results.r)', 'step "other" wrote no result "r"'],
    ];
    for (const [i, [arg, message]] of cases.entries()) {
      const out = await runHelper([...alone(i), '--', 'echo', arg]);
      expect(out.code, arg).toBe(1);
      expect(out.stderr, arg).toContain(message);
      expect(existsSync(join(dir, 'run', String(i), 'out.err'))).toBe(true);
    }
  });
});

describe('step when expressions', () => {
  it('skips a step whose expression is false: post file, exitCode 0, Reason=Skipped, exit 0', async () => {
    const out = await runHelper([...stepFlags(dir, 0, ['-step_results', 'r']), ...when([{ input: 'a', operator: 'in', values: ['b'] }]),
      '--', 'sh', '-c', 'echo ran; echo v > "$0"', join(dir, 'run', '0', 'status', 'results', 'r')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    expect(existsSync(join(dir, 'run', '0', 'out'))).toBe(true);
    expect(readFileSync(join(dir, 'run', '0', 'status', 'exitCode'), 'utf8')).toBe('0');
    const msg = readMessage(join(dir, 'termination-0'));
    expect(entry(msg, 'Reason')?.value).toBe('Skipped');
    expect(entry(msg, 'StartedAt')).toBeDefined();
    expect(msg.some((e) => e.type === 4 || e.type === 1)).toBe(false);
    // the next step runs
    const next = await runHelper([...stepFlags(dir, 1), '--', 'echo', 'next']);
    expect(next.stdout).toBe('next\n');
  });

  it('runs a step when every expression holds, with step results substituted in input and values', async () => {
    const w = [
      { input: '$(steps.produce.results.str)', operator: 'in', values: ['dev', 'main'] },
      { input: 'c', operator: 'in', values: ['$(steps.produce.results.arr[*])'] },
      { input: '$(steps.produce.results.obj.digest)', operator: 'notin', values: ['sha256:00'] },
    ];
    const out = await runHelper([...stepFlags(dir, 0), ...when(w), '--', 'echo', 'ran']);
    expect(out.stdout).toBe('ran\n');
    const skipped = await runHelper([...stepFlags(dir, 1), ...when([...w, { input: 'main', operator: 'notin', values: ['$(steps.produce.results.str)'] }]), '--', 'echo', 'ran']);
    expect(skipped.stdout).toBe('');
    expect(entry(readMessage(join(dir, 'termination-1')), 'Reason')?.value).toBe('Skipped');
  });

  it('fails the step when an expression cannot be evaluated', async () => {
    const out = await runHelper([...stepFlags(dir, 0), ...when([{ input: '$(steps.gone.results.r)', operator: 'in', values: ['x'] }]), '--', 'echo', 'ran']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('step "gone" wrote no result "r"');
    const bad = await runHelper([...alone(1), '-when_expressions', '[{"input":', '--', 'echo', 'ran']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a JSON list');
  });
});
