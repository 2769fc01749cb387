/**
 * TaskRun debug breakpoints (alpha, Tekton's debug.md) end to end on the host runtime: a TaskRun halts at the
 * breakpoint, the user enters the step (real kubectl exec, or tkt taskrun exec), runs one of the scripts under
 * /tekton/debug/scripts, and the TaskRun ends as the script says. Validation of spec.debug is checked too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, TaskRun } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';

const TR = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const TKT = path.join(repoRoot, 'bin', 'tkt.js');

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function taskRun(name: string, debug: object, steps: Array<{ name: string; script: string }>) {
  return {
    ...TR, metadata: { name, namespace: 'default' },
    spec: { debug, timeout: '5m', taskSpec: { steps: steps.map((s) => ({ ...s, image: 'busybox' })) } },
  };
}

describe('debug breakpoints', () => {
  let world: Embedded;
  let dir: string;
  const kubectl = (args: string[]) => run('kubectl', ['--kubeconfig', world.kubeconfigPath, '--cache-dir', path.join(dir, 'kc'), ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tkt-debug-'));
    world = await startEmbedded({ runtime: 'host', dataDir: path.join(dir, 'data'), eventListeners: false, featureFlags: { 'enable-api-fields': 'alpha' } });
  }, 120_000);
  afterAll(async () => {
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until container `c` of the pod runs and its log contains `text` (the helper's breakpoint line). */
  async function halted(name: string, container: string, text: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const pod = await world.client.tryGet<Pod>(POD, 'default', `${name}-pod`);
      const st = ((pod?.status?.containerStatuses ?? []) as Array<{ name: string; state?: { running?: unknown } }>).find((s) => s.name === container);
      if (st?.state?.running) {
        const log = await kubectl(['logs', `${name}-pod`, '-c', container]);
        if (log.out.includes(text)) return;
      }
      await sleep(100);
    }
    throw new Error(`${name}: ${container} never halted`);
  }

  async function finished(name: string): Promise<TaskRun> {
    for (let i = 0; i < 600; i++) {
      const tr = await world.client.get<TaskRun>(TR, 'default', name);
      const c = tr.status?.conditions?.find((x) => x.type === 'Succeeded');
      if (c && c.status !== 'Unknown') return tr;
      await sleep(100);
    }
    throw new Error(`${name} never finished`);
  }

  const stepsOf = (tr: TaskRun) => (tr.status?.steps ?? []).map((s) => ({ name: s.name, exitCode: (s.terminated as { exitCode?: number } | undefined)?.exitCode }));

  it('onFailure halts a failed step; debug-continue marks it succeeded and the next step runs', async () => {
    await world.client.create(taskRun('onfail-go', { breakpoints: { onFailure: 'enabled' } }, [
      { name: 'broken', script: 'echo about to fail; exit 3' },
      { name: 'after', script: 'echo after ran' },
    ]));
    await halted('onfail-go', 'step-broken', 'debug onFailure breakpoint');
    const tr = await world.client.get<TaskRun>(TR, 'default', 'onfail-go');
    expect(tr.status?.conditions?.[0]?.status).toBe('Unknown');
    const r = await kubectl(['exec', 'onfail-go-pod', '-c', 'step-broken', '--', '/tekton/debug/scripts/debug-continue']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('debug-continue: step 0 marked succeeded');
    const done = await finished('onfail-go');
    expect(done.status?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(stepsOf(done)).toEqual([{ name: 'broken', exitCode: 0 }, { name: 'after', exitCode: 0 }]);
    expect((await kubectl(['logs', 'onfail-go-pod', '-c', 'step-after'])).out).toContain('after ran');
  }, 90_000);

  it('onFailure + debug-fail-continue: the step fails and later steps are skipped', async () => {
    await world.client.create(taskRun('onfail-stop', { breakpoints: { onFailure: 'enabled' } }, [
      { name: 'broken', script: 'exit 3' },
      { name: 'after', script: 'echo after ran' },
    ]));
    await halted('onfail-stop', 'step-broken', 'debug onFailure breakpoint');
    const r = await run(process.execPath, [TKT, '--kubeconfig', world.kubeconfigPath, 'tr', 'exec', 'onfail-stop', '--', '/tekton/debug/scripts/debug-fail-continue']);
    expect(r.code, r.out).toBe(0);
    const done = await finished('onfail-stop');
    expect(done.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'Failed' });
    expect(stepsOf(done)[0]).toEqual({ name: 'broken', exitCode: 1 });
    expect((await kubectl(['logs', 'onfail-stop-pod', '-c', 'step-after'])).out).not.toContain('after ran');
  }, 90_000);

  it('beforeSteps halts a step before it runs; continue runs it, fail-continue fails it unrun', async () => {
    await world.client.create(taskRun('before-go', { breakpoints: { onFailure: 'enabled', beforeSteps: ['second'] } }, [
      { name: 'first', script: 'echo first' },
      { name: 'second', script: 'echo second ran' },
    ]));
    await halted('before-go', 'step-second', 'debug beforeSteps breakpoint');
    expect((await kubectl(['logs', 'before-go-pod', '-c', 'step-second'])).out).not.toContain('second ran');
    expect((await kubectl(['exec', 'before-go-pod', '-c', 'step-second', '--', '/tekton/debug/scripts/debug-beforestep-continue'])).code).toBe(0);
    const ok = await finished('before-go');
    expect(ok.status?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect((await kubectl(['logs', 'before-go-pod', '-c', 'step-second'])).out).toContain('second ran');

    await world.client.create(taskRun('before-stop', { breakpoints: { onFailure: 'enabled', beforeSteps: ['second'] } }, [
      { name: 'first', script: 'echo first' },
      { name: 'second', script: 'echo second ran' },
    ]));
    await halted('before-stop', 'step-second', 'debug beforeSteps breakpoint');
    expect((await kubectl(['exec', 'before-stop-pod', '-c', 'step-second', '--', '/tekton/debug/scripts/debug-beforestep-fail-continue'])).code).toBe(0);
    const failed = await finished('before-stop');
    expect(failed.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'Failed' });
    expect((await kubectl(['logs', 'before-stop-pod', '-c', 'step-second'])).out).not.toContain('second ran');
  }, 120_000);

  it('validation as Tekton: onFailure must be enabled (also with beforeSteps), beforeSteps are distinct', async () => {
    const bad = [
      [{ breakpoints: { onFailure: 'yes-please' } }, 'spec.debug.breakpoints.onFailure'],
      [{ breakpoints: {} }, 'spec.debug.breakpoints.onFailure'],
      [{ breakpoints: { beforeSteps: ['a'] } }, 'spec.debug.breakpoints.onFailure'],
      [{ breakpoints: { beforeSteps: ['a', 'a'] } }, 'spec.debug.breakpoints.beforeSteps[1]'],
    ] as const;
    for (const [debug, field] of bad) {
      const err = await world.client.create(taskRun('invalid', debug, [{ name: 'a', script: 'true' }])).then(() => undefined, (e: Error) => e);
      expect(err?.message).toContain(field);
    }
  });
});
