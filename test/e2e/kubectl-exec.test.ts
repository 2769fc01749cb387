/**
 * kubectl exec / attach and `tkt tr exec` against embedded mode with the host runtime (issue 17, "debugging a
 * running step"): the real kubectl over WebSocket (v5, its default) and over SPDY (its fallback), exit codes,
 * stdin, a terminal with its size, attach to a container's output and stdin, and the sandbox: an exec'd command
 * sees the container (its files, processes, hostname) and gets exactly the container's privileges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, TaskRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { applyYaml, ensureHelper, NS, POD, waitFor, waitForRun } from '../integration/helpers.js';
import { COMPARE_PRIVILEGES, kubectl, kubectlLine, onTerminal, runProgram, sleeperPod, talkerPod, tkt, tktLine, waitRunning, works } from './exec-harness.js';

const hasKubectl = works('kubectl', ['version', '--client']);
const hasBwrap = works('bwrap', ['--ro-bind', '/', '/', 'true']);
const hasScript = works('script', ['-qec', 'true', '/dev/null']);

let world: Embedded | undefined;

beforeAll(async () => {
  if (!hasKubectl || !hasBwrap) return;
  ensureHelper();
  world = await startEmbedded({ runtime: 'host', memory: true, eventListeners: false });
  await world.client.create(sleeperPod('sleeper', 'busybox'));
  await world.client.create(sleeperPod('sleeper-1000', 'busybox', { securityContext: { runAsUser: 1000, runAsGroup: 1000, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }));
  await world.client.create(talkerPod('talker', 'busybox'));
  await Promise.all(['sleeper', 'sleeper-1000', 'talker'].map((n) => waitRunning(world as Embedded, n)));
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const skipReason = !hasKubectl ? 'kubectl is not installed' : !hasBwrap ? 'bubblewrap cannot create a sandbox here' : '';
if (skipReason) console.warn(`SKIP kubectl exec tests (host runtime): ${skipReason}`);

describe.skipIf(skipReason !== '')('kubectl exec into a host-runtime container', () => {
  const w = (): Embedded => world as Embedded;

  for (const spdy of [false, true]) {
    it(`passes stdout, stderr and the exit code (${spdy ? 'SPDY' : 'WebSocket'})`, async () => {
      const r = await kubectl(w(), ['exec', 'sleeper', '-c', 'main', '--', 'sh', '-c', 'echo hi; cat /tmp/marker; echo oops >&2; exit 3'], { spdy });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('hi\nmarker\n');
      expect(r.stderr).toContain('oops');
      expect(r.stderr).toContain('command terminated with exit code 3');
      const ok = await kubectl(w(), ['exec', 'sleeper', '--', 'true'], { spdy });
      expect(ok).toMatchObject({ code: 0, stdout: '' });
    }, 60_000);

    it(`pipes stdin to the command and ends it (${spdy ? 'SPDY' : 'WebSocket'})`, async () => {
      const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
      const r = await kubectl(w(), ['exec', '-i', 'sleeper', '--', 'sh', '-c', 'wc -l; echo end'], { input: `${lines}\n`, spdy });
      expect(r.stdout.trim().split(/\s+/)).toEqual(['2000', 'end']);
      expect(r.code).toBe(0);
    }, 60_000);
  }

  it('streams large output intact', async () => {
    const r = await kubectl(w(), ['exec', 'sleeper', '--', 'sh', '-c', 'i=0; while [ $i -lt 20000 ]; do echo "row $i"; i=$((i+1)); done']);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toHaveLength(20000);
    expect(rows[19999]).toBe('row 19999');
  }, 60_000);

  it('a slow reader gets everything; a background process holding the output does not hold the exec', async () => {
    const slow = await runProgram(['sh', '-c', `${kubectlLine(w(), ['exec', 'sleeper', '--', 'head', '-c', '20000000', '/dev/zero'])} | (sleep 3; wc -c)`]);
    expect(slow.stdout.trim()).toBe('20000000');
    const bg = await kubectl(w(), ['exec', 'sleeper', '--', 'sh', '-c', 'sleep 601 & echo started']);
    expect(bg).toMatchObject({ code: 0, stdout: 'started\n' });
    // what the command left running stays in the container, as in Kubernetes
    const left = await kubectl(w(), ['exec', 'sleeper', '--', 'sh', '-c', 'cat /proc/[0-9]*/cmdline | tr "\\0" " " | grep -o "sleep 601" | head -n 1']);
    expect(left.stdout).toBe('sleep 601\n');
  }, 60_000);

  it('runs in the container: its files, processes and hostname', async () => {
    const r = await kubectl(w(), ['exec', 'sleeper', '--', 'sh', '-c', 'hostname; cat /tmp/marker; grep -q "^sleep" /proc/1/cmdline /proc/2/cmdline && echo sees-the-step; test -e /work && echo host-visible; true']);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['sleeper', 'marker', 'sees-the-step']);
    expect(r.stdout).not.toContain('host-visible');
  }, 60_000);

  it('gets exactly the privileges of the container, never more', async () => {
    for (const pod of ['sleeper', 'sleeper-1000']) {
      const r = await kubectl(w(), ['exec', pod, '--', 'sh', '-c', COMPARE_PRIVILEGES]);
      const [mine, container] = r.stdout.split('===\n');
      expect(mine, `${pod}: ${r.stderr}`).toContain('NoNewPrivs:\t1');
      expect(mine).toMatch(/Seccomp:\t2/);
      expect(mine).toBe(container);
    }
    const user = await kubectl(w(), ['exec', 'sleeper-1000', '--', 'sh', '-c', 'id -u; id -g; grep CapEff /proc/self/status']);
    expect(user.stdout).toBe('1000\n1000\nCapEff:\t0000000000000001\n');
    // the seccomp filter and the missing capabilities hold in the exec'd command as in the step
    const escape = await kubectl(w(), ['exec', 'sleeper', '--', 'sh', '-c', 'cat /etc/shadow; unshare -U true && echo unshared; mount -t tmpfs none /mnt && echo mounted; true']);
    expect(escape.stdout).not.toMatch(/root:|unshared|mounted/);
    expect(escape.stderr).toMatch(/unshare.*(not permitted|denied)/i);
  }, 60_000);

  it('answers errors as kubectl expects them', async () => {
    const missing = await kubectl(w(), ['exec', 'sleeper', '-c', 'nope', '--', 'true']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('container nope is not valid for pod sleeper');
    const notFound = await kubectl(w(), ['exec', 'sleeper', '--', 'no-such-program']);
    expect(notFound.code).toBe(127);
    expect(notFound.stderr).toContain('executable file not found');
  }, 60_000);

  it.skipIf(!hasScript)('kubectl exec -it gives the command a terminal of the client\'s size', async () => {
    const r = await onTerminal(kubectlLine(w(), ['exec', '-it', 'sleeper', '--', 'sh', '-c', 'tty; stty size; echo "TERM=$TERM"; exit 7']), { cols: 91, rows: 37, holdMs: 4000 });
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+\r\n37 91\r\nTERM=xterm\r\n/);
    expect(r.stdout).toContain('command terminated with exit code 7');
    expect(r.code).toBe(7);
  }, 60_000);
});

describe.skipIf(skipReason !== '')('kubectl attach to a host-runtime container', () => {
  const w = (): Embedded => world as Embedded;

  it('streams the container\'s output from now on', async () => {
    const r = await kubectl(w(), ['attach', 'talker'], { holdMs: 60_000, timeoutMs: 3500 });
    expect(r.stdout).toMatch(/tick \d+\n/);
    // only new output: the first ticks were printed before the attach
    expect(r.stdout).not.toMatch(/^tick 0$/m);
  }, 30_000);

  it('passes stdin to a stdin: true container, and ends with it', async () => {
    const r = await kubectl(w(), ['attach', '-i', 'talker'], { input: 'hello\nquit\n', holdMs: 30_000 });
    expect(r.stdout).toMatch(/got hello\n(tick \d+\n)*got quit/);
    const pod = await waitFor('talker ended', async () => {
      const p = await w().client.get<Pod>(POD, NS, 'talker');
      return p.status?.containerStatuses?.[0]?.state?.terminated ? p : undefined;
    });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(4);
  }, 60_000);
});

const WAITER = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: waiter}
spec:
  taskSpec:
    steps:
    - name: first
      image: busybox
      script: echo first
    - name: wait
      image: busybox
      script: |
        echo waiting
        while [ ! -f /tmp/go ]; do sleep 0.1; done
        echo "released by $(cat /tmp/go)"
    - name: last
      image: busybox
      script: echo last
`;

describe.skipIf(skipReason !== '')('tkt tr exec', () => {
  const w = (): Embedded => world as Embedded;

  it('enters the running step (or the one named), passes stdin, and exits with the command\'s code', async () => {
    await applyYaml(w().client, WAITER);
    await waitForRun(w().client, 'TaskRun', NS, 'waiter', { until: (tr: TaskRun) => tr.status?.steps?.find((s) => s.name === 'first')?.terminated !== undefined });
    const here = await tkt(w(), ['tr', 'exec', 'waiter', '--', 'sh', '-c', 'ls /tekton/scripts | wc -l; exit 5']);
    expect(here).toMatchObject({ code: 5, stdout: '3\n' });
    const named = await tkt(w(), ['tr', 'exec', 'waiter', '-s', 'last', '--', 'sh', '-c', 'test -f /tmp/go || echo "no go in last"']);
    expect(named).toMatchObject({ code: 0, stdout: 'no go in last\n' });
    const unknown = await tkt(w(), ['tr', 'exec', 'waiter', '-s', 'nope', '--', 'true']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('TaskRun waiter has no step "nope"; its steps: first, wait, last');
    // the running step is "wait": writing its release file through stdin lets the TaskRun finish
    const release = await tkt(w(), ['tr', 'exec', 'waiter', '-i', '--', 'sh', '-c', 'cat > /tmp/go'], { input: 'tkt\n' });
    expect(release.code).toBe(0);
    const done = await waitForRun(w().client, 'TaskRun', NS, 'waiter');
    expect(done.status?.conditions?.[0]?.reason).toBe('Succeeded');
    const logs = await kubectl(w(), ['logs', done.status?.podName ?? '', '-c', 'step-wait']);
    expect(logs.stdout).toContain('released by tkt');
    const after = await tkt(w(), ['tr', 'exec', 'waiter', '--', 'true']);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/TaskRun waiter has finished/);
  }, 120_000);

  it.skipIf(!hasScript)('-it runs the command on a terminal of this terminal\'s size', async () => {
    await applyYaml(w().client, WAITER.replace('name: waiter', 'name: waiter-tty'));
    await waitForRun(w().client, 'TaskRun', NS, 'waiter-tty', { until: (tr: TaskRun) => tr.status?.steps?.find((s) => s.name === 'first')?.terminated !== undefined });
    const r = await onTerminal(tktLine(w(), ['tr', 'exec', 'waiter-tty', '-it', '--', 'sh', '-c', 'tty; stty size; touch /tmp/go; exit 6']), { cols: 50, rows: 20, holdMs: 4000 });
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+\r\n20 50\r\n/); // one CR: the local terminal does not add another
    expect(r.code).toBe(6);
    await waitForRun(w().client, 'TaskRun', NS, 'waiter-tty');
  }, 120_000);
});
