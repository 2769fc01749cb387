/**
 * `tkt pr logs -f` / `tkt tr logs -f` against a hand-driven world: TaskRuns and pods created while the follower
 * runs, output appended through the log store. Every line must appear exactly once, with its prefix, in order
 * per step — including a step that finished before the follower attached, partial lines split across chunks,
 * parallel tasks, and streams dropped by the server mid-step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tkt, testIO, type TestIO } from './helpers/io.js';
import { main } from '../../src/cli/main.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';
import { World } from './helpers/world.js';

let srv: CliTestServer;
beforeEach(async () => {
  srv = await startCliServer();
});
afterEach(async () => srv?.close());

/** Starts `tkt <args>` in-process; answers its IO and the exit-code promise. */
function spawnTkt(args: string[]): { io: TestIO; done: Promise<number> } {
  const io = testIO();
  return { io, done: main([...args, '--kubeconfig', srv.kubeconfig], io) };
}

const lines = (text: string): string[] => text.split('\n');
const withPrefix = (text: string, prefix: string): string[] => lines(text).filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));

describe('pipelinerun logs -f', () => {
  it('shows every line once, prefixed, per-step order kept, parallel tasks interleaved, exit 0', async () => {
    const w = new World(srv, 'demo', ['fetch', 'build', 'test']);
    await w.start();
    const fetch = await w.task('fetch', ['clone', 'list']);
    w.log('demo-fetch-pod', 'clone', 'Cloning into /workspace\nHEAD is now at 8d3f2a1\n');
    await w.endStep('demo-fetch-pod', 'clone');
    w.log('demo-fetch-pod', 'list', 'README.md\nsrc');

    const { io, done } = spawnTkt(['pr', 'logs', 'demo', '-f']);
    await io.out.until((t) => t.includes('[fetch : list] README.md\n'));
    w.log('demo-fetch-pod', 'list', '/\nMakefile\n');
    await io.out.until((t) => t.includes('[fetch : list] Makefile\n'));
    await w.endStep('demo-fetch-pod', 'list');
    await w.endTask(fetch);

    const build = await w.task('build', ['compile']);
    const test = await w.task('test', ['unit', 'race']);
    for (let i = 1; i <= 3; i++) {
      w.log('demo-build-pod', 'compile', `c${i}\n`);
      await io.out.until((t) => t.includes(`[build : compile] c${i}\n`));
      w.log('demo-test-pod', 'unit', `u${i}\n`);
      await io.out.until((t) => t.includes(`[test : unit] u${i}\n`));
    }
    await w.endStep('demo-build-pod', 'compile');
    await w.endStep('demo-test-pod', 'unit');
    w.log('demo-test-pod', 'race', 'no races\nok');
    await w.endStep('demo-test-pod', 'race');
    await w.endTask(build);
    await w.endTask(test);
    await w.end(true);

    expect(await done).toBe(0);
    const out = io.out.text;
    expect(withPrefix(out, '[fetch : clone] ')).toEqual(['Cloning into /workspace', 'HEAD is now at 8d3f2a1']);
    expect(withPrefix(out, '[fetch : list] ')).toEqual(['README.md', 'src/', 'Makefile']);
    expect(withPrefix(out, '[build : compile] ')).toEqual(['c1', 'c2', 'c3']);
    expect(withPrefix(out, '[test : unit] ')).toEqual(['u1', 'u2', 'u3']);
    expect(withPrefix(out, '[test : race] ')).toEqual(['no races', 'ok']);
    const all = lines(out);
    expect(all.filter((l) => l !== '')).toHaveLength(13);
    expect(all.filter((l) => l === '')).toHaveLength(5 + 1);
    expect(all.indexOf('[test : unit] u1')).toBeLessThan(all.indexOf('[build : compile] c3'));
    expect(all.indexOf('[fetch : clone] HEAD is now at 8d3f2a1')).toBeLessThan(all.indexOf('[fetch : list] README.md'));
    expect(io.errOut.text).toBe('');
  });

  it('loses and repeats nothing when the server drops every stream mid-step', async () => {
    const w = new World(srv, 'drop', ['a']);
    await w.start();
    const a = await w.task('a', ['one', 'two']);
    const { io, done } = spawnTkt(['pr', 'logs', 'drop', '-f']);
    for (let i = 0; i < 5; i++) {
      w.log('drop-a-pod', 'one', `line ${i}\n`);
      await io.out.until((t) => t.includes(`[a : one] line ${i}\n`));
      srv.api.dropWatches();
    }
    w.log('drop-a-pod', 'one', 'last\n');
    await w.endStep('drop-a-pod', 'one');
    srv.api.dropWatches();
    w.log('drop-a-pod', 'two', 'second step\n');
    await w.endStep('drop-a-pod', 'two');
    await w.endTask(a);
    srv.api.dropWatches();
    await w.end(true);
    expect(await done).toBe(0);
    expect(withPrefix(io.out.text, '[a : one] ')).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'last']);
    expect(withPrefix(io.out.text, '[a : two] ')).toEqual(['second step']);
  });

  it('a failed run exits 1 and reports the failed task and the run message on stderr', async () => {
    const w = new World(srv, 'bad', ['unit']);
    await w.start();
    const unit = await w.task('unit', ['go-test']);
    const { io, done } = spawnTkt(['pr', 'logs', '-f', 'bad']);
    w.log('bad-unit-pod', 'go-test', 'FAIL: TestX\n');
    await w.endStep('bad-unit-pod', 'go-test', 1);
    await w.endTask(unit, false, '"step-go-test" exited with code 1');
    await w.end(false, 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0');
    expect(await done).toBe(1);
    expect(io.out.text).toBe('[unit : go-test] FAIL: TestX\n\n');
    expect(io.errOut.text).toBe('task unit has failed: "step-go-test" exited with code 1\nTasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0\n');
  });

  it('-t shows only the named tasks', async () => {
    const w = new World(srv, 'sel', ['a', 'b']);
    await w.start();
    const a = await w.task('a', ['s']);
    const b = await w.task('b', ['s']);
    w.log('sel-a-pod', 's', 'from a\n');
    w.log('sel-b-pod', 's', 'from b\n');
    await w.endStep('sel-a-pod', 's');
    await w.endStep('sel-b-pod', 's');
    const { io, done } = spawnTkt(['pr', 'logs', 'sel', '-f', '-t', 'b']);
    await io.out.until((t) => t.includes('from b'));
    await w.endTask(a);
    await w.endTask(b);
    await w.end(true);
    expect(await done).toBe(0);
    expect(io.out.text).toBe('[b : s] from b\n\n');
  });

  it('follows a retried TaskRun through both of its pods', async () => {
    const w = new World(srv, 'retry', ['flaky']);
    await w.start();
    const tr = await w.task('flaky', ['try'], 'retry-flaky-pod');
    const { io, done } = spawnTkt(['pr', 'logs', 'retry', '-f']);
    w.log('retry-flaky-pod', 'try', 'attempt 1\n');
    await w.endStep('retry-flaky-pod', 'try', 1);
    await w.pod('retry-flaky-pod-retry1', ['try']);
    await srv.setStatus({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: tr, namespace: 'default' } }, { podName: 'retry-flaky-pod-retry1', retriesStatus: [{ podName: 'retry-flaky-pod' }] });
    w.log('retry-flaky-pod-retry1', 'try', 'attempt 2\n');
    await w.endStep('retry-flaky-pod-retry1', 'try');
    await w.endTask(tr);
    await w.end(true);
    expect(await done).toBe(0);
    expect(withPrefix(io.out.text, '[flaky : try] ')).toEqual(['attempt 1', 'attempt 2']);
    expect(io.out.text).toBe('[flaky : try] attempt 1\n\n--- task flaky: retry 1 (pod retry-flaky-pod-retry1) ---\n[flaky : try] attempt 2\n\n');
    const again = await tkt(['pr', 'logs', 'retry', '--kubeconfig', srv.kubeconfig]);
    expect(again.stdout).toBe(io.out.text);
  });
});

describe('logs of finished runs and TaskRuns', () => {
  it('a finished PipelineRun is printed task by task in execution order, without -f', async () => {
    const w = new World(srv, 'old', ['first', 'second']);
    await w.start();
    const second = await w.task('second', ['x'], 'old-second-pod');
    const first = await w.task('first', ['y'], 'old-first-pod');
    await srv.setStatus({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: first, namespace: 'default' } }, { startTime: '2026-03-01T11:00:00Z' });
    w.log('old-second-pod', 'x', 'two\n');
    w.log('old-first-pod', 'y', 'one\n');
    await w.endStep('old-second-pod', 'x');
    await w.endStep('old-first-pod', 'y');
    await w.endTask(first);
    await w.endTask(second);
    await w.end(true);
    const r = await tkt(['pr', 'logs', 'old', '--kubeconfig', srv.kubeconfig]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[first : y] one\n\n[second : x] two\n\n');
  });

  it('taskrun logs -f prefixes lines with [step]', async () => {
    const w = new World(srv, 'solo', []);
    const tr = await w.task('t', ['build', 'push'], 'solo-pod', 'solo-tr');
    const { io, done } = spawnTkt(['tr', 'logs', 'solo-tr', '-f']);
    w.log('solo-pod', 'build', 'built\n');
    await w.endStep('solo-pod', 'build');
    w.log('solo-pod', 'push', 'pushed\n');
    await w.endStep('solo-pod', 'push');
    await w.endTask(tr);
    expect(await done).toBe(0);
    expect(io.out.text).toBe('[build] built\n\n[push] pushed\n\n');
  });
});
