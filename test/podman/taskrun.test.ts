/**
 * TaskRuns with real images under podman (issue 4 "Done when"): embedded mode in-process (API server, real
 * controllers, kubelet with the podman runtime over runc), images built locally with no registry. The `prepare`
 * init container runs in the helper image that startEmbedded makes (localhost/tektite-helper:<hash>); that image
 * is tested here too (one file, so that no other test file removes it while a pod uses it).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, TaskRun } from '../../src/api/types.js';
import { ensureHelperImage, HELPER_IMAGE_REPOSITORY, helperImageName, withHelperImage } from '../../src/embedded/kubelet/helper-image.js';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { helperPath, startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { applyYaml, ensureHelper, logsOf, NS, podOf, succeeded, waitForRun } from '../integration/helpers.js';
import { buildBusyboxImage, buildNoShellImage, imageExists, removeImages, run } from './images.js';

// `busybox` is a name the built-in ENTRYPOINT/CMD table knows (cmd ["sh"]), whatever the registry and tag
const BUSYBOX = `localhost/busybox:tektite-podman-${process.pid}`;
const NOSHELL = `localhost/tektite-noshell:${process.pid}`;

let world: Embedded | undefined;
let skipReason: string | undefined;
let helperImage = '';
let helperImageWasThere = true;
let podman = false;

beforeAll(async () => {
  ensureHelper();
  helperImage = helperImageName(helperPath());
  podman = await engineAnswers('podman', 15_000);
  if (!podman) {
    skipReason = 'podman is missing or `podman info` does not answer';
    return;
  }
  helperImageWasThere = imageExists(helperImage);
  skipReason = buildBusyboxImage(BUSYBOX);
  if (skipReason) return;
  world = await startEmbedded({ runtime: 'podman', memory: true, eventListeners: false });
}, 120_000);

afterAll(async () => {
  await world?.stop();
  removeImages(BUSYBOX, NOSHELL);
  // the helper image is a cache kept across runs; remove it only when this test made it (never forced)
  if (podman && !helperImageWasThere) run(['podman', 'rmi', helperImage]);
});

const leftContainers = (pod: Pod | undefined) => run(['podman', 'ps', '-a', '-q', '--filter', `label=tektite.dev/pod-uid=${pod?.metadata.uid ?? 'none'}`]).out;

describe('TaskRuns in podman (embedded mode)', () => {
  it('runs a two-step TaskRun with an emptyDir workspace and a result in a local busybox image', async (ctx) => {
    if (!world) {
      console.warn(`SKIP podman TaskRun test: ${skipReason}`);
      return ctx.skip();
    }
    const { client } = world;
    expect(world.runtime).toBe('podman');
    await applyYaml(client, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: pm-two-steps}
spec:
  workspaces:
    - {name: src, emptyDir: {}}
  taskSpec:
    workspaces: [{name: src}]
    results: [{name: greeting}]
    steps:
      - name: write
        image: ${BUSYBOX}
        script: |
          #!/bin/sh
          echo written-by-step-one > $(workspaces.src.path)/msg
          printf 'hello podman' > $(results.greeting.path)
          echo write-done
      # no command: the image's CMD (sh) from the built-in table, with these args
      - name: read
        image: ${BUSYBOX}
        args: [-c, 'echo "read: $(cat $(workspaces.src.path)/msg)"']
`);
    const tr = await waitForRun(client, 'TaskRun', NS, 'pm-two-steps', { timeoutMs: 120_000 });
    expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(tr.status?.steps?.map((s) => [s.name, s.terminated?.exitCode, s.terminationReason])).toEqual([['write', 0, 'Completed'], ['read', 0, 'Completed']]);
    expect(tr.status?.results).toEqual([{ name: 'greeting', type: 'string', value: 'hello podman' }]);
    expect(await logsOf(client, NS, 'pm-two-steps-pod', 'step-write')).toBe('write-done\n');
    expect(await logsOf(client, NS, 'pm-two-steps-pod', 'step-read')).toBe('read: written-by-step-one\n');
    const pod = await podOf(client, NS, 'pm-two-steps-pod');
    const prepare = pod?.spec?.initContainers?.[0];
    expect(prepare?.image).toBe(helperImage);
    expect(prepare?.image?.startsWith(`${HELPER_IMAGE_REPOSITORY}:`)).toBe(true);
    expect(pod?.status?.containerStatuses?.every((s) => s.containerID?.startsWith('podman://'))).toBe(true);
    await expect.poll(() => leftContainers(pod), { timeout: 30_000 }).toBe('');
  }, 180_000);

  it('runs a step in an image with no shell through the static helper', async (ctx) => {
    if (!world) {
      console.warn(`SKIP podman no-shell test: ${skipReason}`);
      return ctx.skip();
    }
    const why = buildNoShellImage(NOSHELL);
    if (why) {
      console.warn(`SKIP podman no-shell test: ${why}`);
      return ctx.skip();
    }
    expect(run(['podman', 'run', '--rm', '--pull=never', '--network', 'none', '--entrypoint', '/bin/sh', NOSHELL, '-c', 'true']).ok).toBe(false);
    const { client } = world;
    await applyYaml(client, `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: pm-no-shell}
spec:
  taskSpec:
    steps:
      - {name: hello, image: ${NOSHELL}, command: [/hello]}
      - {name: again, image: ${NOSHELL}, command: [/hello]}
`);
    const tr: TaskRun = await waitForRun(client, 'TaskRun', NS, 'pm-no-shell', { timeoutMs: 120_000 });
    expect(succeeded(tr)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(tr.status?.steps?.map((s) => [s.name, s.terminated?.exitCode])).toEqual([['hello', 0], ['again', 0]]);
    expect(await logsOf(client, NS, 'pm-no-shell-pod', 'step-hello')).toBe('hello from an image with no shell\n');
    expect(await logsOf(client, NS, 'pm-no-shell-pod', 'step-again')).toBe('hello from an image with no shell\n');
  }, 180_000);
});

describe('helper image (localhost/tektite-helper)', () => {
  it('leaves the configuration alone for other runtimes and for images the caller set', async () => {
    expect(helperImage).toMatch(/^localhost\/tektite-helper:[0-9a-f]{12}$/);
    expect(await withHelperImage('host', '/nonexistent', { workers: 2 })).toEqual({ workers: 2 });
    expect(await withHelperImage('noop', '/nonexistent')).toEqual({});
    const set = { entrypointImage: 'registry.example/tektite:1', nopImage: 'registry.example/nop:1' };
    expect(await withHelperImage('podman', '/nonexistent', set)).toEqual(set);
  });

  it('is made once, reused, and runs the helper without any bind mount', async (ctx) => {
    if (!podman) {
      console.warn(`SKIP podman helper image test: ${skipReason}`);
      return ctx.skip();
    }
    expect(await ensureHelperImage('podman', helperPath())).toBe(helperImage);
    const id = run(['podman', 'image', 'inspect', '--format', '{{.Id}}', helperImage]).out;
    expect(await ensureHelperImage('podman', helperPath())).toBe(helperImage);
    expect(run(['podman', 'image', 'inspect', '--format', '{{.Id}}', helperImage]).out).toBe(id);
    expect(await withHelperImage('podman', helperPath(), { nopImage: 'mine' })).toMatchObject({ entrypointImage: helperImage, nopImage: 'mine' });
    const out = mkdtempSync(path.join(tmpdir(), 'tkt-helper-img-'));
    try {
      // the prepare container's job, with the helper from the image itself: copy it into a volume
      const r = run(['podman', 'run', '--rm', '--pull=never', '--network', 'none', '-v', `${out}:/tekton/bin`, helperImage, 'init', '/tektite/entrypoint', '/tekton/bin/entrypoint']);
      expect(r).toMatchObject({ ok: true });
      expect(statSync(path.join(out, 'entrypoint')).size).toBe(statSync(helperPath()).size);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
