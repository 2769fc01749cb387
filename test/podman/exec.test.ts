/**
 * kubectl exec / attach with the podman runtime (issue 17): the command runs through `podman exec` in the pod's
 * container (a local busybox image built here, no registry), with exit codes, stdin, a terminal of the client's
 * size (podman runs on a pseudo-terminal of the step helper's `nsexec -tty` and passes the size on), and attach
 * to a `stdin: true` container.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { COMPARE_PRIVILEGES, kubectl, kubectlLine, onTerminal, sleeperPod, talkerPod, waitRunning, works } from '../e2e/exec-harness.js';
import { ensureHelper, NS, POD, waitFor } from '../integration/helpers.js';
import { buildBusyboxImage, removeImages } from './images.js';

const IMAGE = `localhost/busybox:tektite-exec-${process.pid}`;
const hasScript = works('script', ['-qec', 'true', '/dev/null']);

let world: Embedded | undefined;
let skipReason: string | undefined;

beforeAll(async () => {
  if (!works('kubectl', ['version', '--client'])) {
    skipReason = 'kubectl is not installed';
    return;
  }
  if (!(await engineAnswers('podman', 15_000))) {
    skipReason = 'podman is missing or `podman info` does not answer';
    return;
  }
  skipReason = buildBusyboxImage(IMAGE);
  if (skipReason) return;
  ensureHelper();
  world = await startEmbedded({ runtime: 'podman', memory: true, eventListeners: false });
  const pods = [sleeperPod('sleeper', IMAGE), talkerPod('talker', IMAGE)];
  for (const p of pods) p.spec.containers[0]!.imagePullPolicy = 'Never';
  for (const p of pods) await world.client.create(p);
  await Promise.all(pods.map((p) => waitRunning(world as Embedded, p.metadata.name ?? '')));
}, 180_000);

afterAll(async () => {
  // podman serialises its commands on a lock shared with every other podman user of the machine: allow for waiting
  await world?.stop();
  if (!skipReason) removeImages(IMAGE);
}, 180_000);

describe('kubectl exec and attach with the podman runtime', () => {
  const w = (ctx: { skip: () => void }): Embedded => {
    if (!world) {
      console.warn(`SKIP podman exec test: ${skipReason}`);
      ctx.skip();
    }
    return world as Embedded;
  };

  it('passes output, exit code and stdin over WebSocket and SPDY', async (ctx) => {
    const world = w(ctx);
    for (const spdy of [false, true]) {
      const r = await kubectl(world, ['exec', 'sleeper', '--', 'sh', '-c', 'cat /tmp/marker; echo oops >&2; exit 3'], { spdy });
      expect(r).toMatchObject({ code: 3, stdout: 'marker\n' });
      expect(r.stderr).toContain('oops');
      const piped = await kubectl(world, ['exec', '-i', 'sleeper', '--', 'sh', '-c', 'wc -l'], { input: 'a\nb\nc\n', spdy });
      expect(piped).toMatchObject({ code: 0 });
      expect(piped.stdout.trim()).toBe('3');
    }
  }, 120_000);

  it('gets the container\'s privileges', async (ctx) => {
    const r = await kubectl(w(ctx), ['exec', 'sleeper', '--', 'sh', '-c', COMPARE_PRIVILEGES]);
    const [mine, container] = r.stdout.split('===\n');
    expect(mine, r.stderr).toMatch(/CapEff:/);
    expect(mine).toBe(container);
  }, 60_000);

  it.skipIf(!hasScript)('kubectl exec -it gives a terminal of the client\'s size', async (ctx) => {
    const r = await onTerminal(kubectlLine(w(ctx), ['exec', '-it', 'sleeper', '--', 'sh', '-c', 'tty; stty size; exit 7']), { cols: 91, rows: 37, holdMs: 5000 });
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+\r\n37 91\r\n/);
    expect(r.code).toBe(7);
  }, 60_000);

  it('kubectl attach -i passes stdin to a stdin: true container', async (ctx) => {
    const world = w(ctx);
    const r = await kubectl(world, ['attach', '-i', 'talker'], { input: 'hello\nquit\n', holdMs: 30_000 });
    expect(r.stdout).toMatch(/got hello\n(tick \d+\n)*got quit/);
    const pod = await waitFor('talker ended', async () => {
      const p = await world.client.get<Pod>(POD, NS, 'talker');
      return p.status?.containerStatuses?.[0]?.state?.terminated ? p : undefined;
    });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(4);
  }, 60_000);
});
