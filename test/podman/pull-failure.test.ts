/**
 * Issue 12 item 5: an image that cannot be pulled (a loopback registry address where nothing listens, so the pull
 * is refused at once) under podman. The kubelet puts the container in ErrImagePull, then ImagePullBackOff with the
 * engine's message, with the kubelet's events; the TaskRun fails TaskRunImagePullFailed with Tekton's message
 * naming the step (or sidecar), the image and the registry's error; `tkt run --runtime auto` names the runtime it
 * picked, exits 1, shows the error in its summary and suggests --runtime host.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { tkt } from '../cli/helpers/io.js';
import { helperImageName } from '../../src/embedded/kubelet/helper-image.js';
import { helperPath, startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { applyYaml, ensureHelper, NS, succeeded, waitForRun } from '../integration/helpers.js';

let world: Embedded | undefined;
let skipReason: string | undefined;
let image = '';
let dir = '';

/** A loopback port nothing listens on (bound, then closed). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  ensureHelper();
  if (!(await engineAnswers('podman', 15_000))) {
    skipReason = 'podman is missing or `podman info` does not answer';
    return;
  }
  image = `127.0.0.1:${await freePort()}/nope:1`;
  dir = mkdtempSync(path.join(tmpdir(), 'tkt-pull-'));
  world = await startEmbedded({ runtime: 'podman', memory: true, eventListeners: false });
}, 120_000);

afterAll(async () => {
  await world?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Ev = KubeObject & { reason?: string; message?: string; type?: string; involvedObject?: { fieldPath?: string } };

describe('unpullable images (podman)', () => {
  it('a step: ErrImagePull then ImagePullBackOff, kubelet events, TaskRunImagePullFailed naming step, image and error', async (ctx) => {
    if (!world) {
      console.warn(`SKIP pull failure test: ${skipReason}`);
      return ctx.skip();
    }
    const { client } = world;
    await applyYaml(client, `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: pull-step}\nspec:\n  taskSpec:\n    steps:\n      - {name: greet, image: "${image}", command: [echo, hi]}\n`);
    const tr = await waitForRun(client, 'TaskRun', NS, 'pull-step', { timeoutMs: 60_000 });
    const c = succeeded(tr);
    expect(c?.reason).toBe('TaskRunImagePullFailed');
    expect(c?.message).toMatch(new RegExp(`^the step "greet" in TaskRun "pull-step" failed to pull the image "${image.replace(/[.]/g, '\\.')}"\\. The pod errored with the message: "Back-off pulling image \\\\?"${image.replace(/[.]/g, '\\.')}\\\\?": ErrImagePull: .*connection refused.*\\."$`));
    const events = (await client.list<Ev>({ apiVersion: 'v1', kind: 'Event' }, NS, { fieldSelector: 'involvedObject.name=pull-step-pod' })).items;
    const step = events.filter((e) => e.involvedObject?.fieldPath === 'spec.containers{step-greet}');
    expect(step.map((e) => e.reason)).toEqual(expect.arrayContaining(['Pulling', 'Failed', 'BackOff']));
    expect(step.find((e) => e.reason === 'Failed' && e.message?.startsWith('Failed to pull image'))?.message).toMatch(/connection refused/);
    expect(step.map((e) => e.message)).toEqual(expect.arrayContaining(['Error: ErrImagePull', 'Error: ImagePullBackOff', `Back-off pulling image "${image}"`]));
    // Events are written after the status, asynchronously (as client-go's recorder): wait for the TaskRun's
    let failed: Ev | undefined;
    for (let i = 0; i < 100 && !failed; i++) {
      const trEvents = (await client.list<Ev>({ apiVersion: 'v1', kind: 'Event' }, NS, { fieldSelector: 'involvedObject.kind=TaskRun,involvedObject.name=pull-step' })).items;
      failed = trEvents.find((e) => e.reason === 'Failed');
      if (!failed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).toMatchObject({ type: 'Warning', message: c?.message });
  }, 90_000);

  it('a sidecar: the same reason, naming the sidecar', async (ctx) => {
    if (!world) return ctx.skip();
    await applyYaml(world.client, `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: pull-sidecar}\nspec:\n  taskSpec:\n    sidecars:\n      - {name: db, image: "${image}", command: [sleep, "60"]}\n    steps:\n      - {name: greet, image: "${helperImageName(helperPath())}", command: [/tektite/entrypoint]}\n`);
    const tr = await waitForRun(world.client, 'TaskRun', NS, 'pull-sidecar', { timeoutMs: 60_000 });
    expect(succeeded(tr)?.reason).toBe('TaskRunImagePullFailed');
    expect(succeeded(tr)?.message).toMatch(/^the sidecar "db" in TaskRun "pull-sidecar" failed to pull the image "127\.0\.0\.1:\d+\/nope:1"\. The pod errored with the message: .*connection refused/);
  }, 90_000);

  it('tkt run --runtime auto: names the runtime, exits 1, shows the registry error, suggests --runtime host', async (ctx) => {
    if (!world) return ctx.skip();
    const file = path.join(dir, 'tr.yaml');
    writeFileSync(file, `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: cli-pull}\nspec:\n  taskSpec:\n    steps:\n      - {name: greet, image: "${image}", command: [echo, hi]}\n`);
    const r = await tkt(['run', '-f', file, '--runtime', 'auto']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^tkt: runtime auto picked (podman|docker)$/m);
    expect(r.stdout).toMatch(/TaskRun cli-pull\s+Failed\(TaskRunImagePullFailed\)\s+.*failed to pull the image .*connection refused/);
    expect(r.stderr).toMatch(/an image could not be pulled with runtime (podman|docker); --runtime host runs the steps on this machine/);
  }, 120_000);
});
