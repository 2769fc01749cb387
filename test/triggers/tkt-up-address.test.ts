/**
 * `tkt up` itself (a child process) restarted on the same data dir keeps each EventListener's sink address:
 * one listener's port comes from `--el-port`, the other's from `--el-port-range`; after SIGTERM and a new
 * `tkt up`, both are served at the same URLs, which `tkt el list` shows.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';
import { repoRoot } from '../helpers/conformance.js';
import { stablePort } from '../helpers/ports.js';
import { postEvent, waitFor } from './harness.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'tkt-up-el-'));
const procs: ChildProcess[] = [];
const tkt = path.join(repoRoot, 'bin', 'tkt.js');
const EL_REF = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };

afterAll(async () => {
  for (const p of procs) await stop(p);
  rmSync(dir, { recursive: true, force: true });
});

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGTERM'); });
}

async function up(apiPort: number, elArgs: string[]): Promise<{ proc: ChildProcess; kubeconfig: string }> {
  const args = [tkt, 'up', '--data-dir', path.join(dir, 'data'), '--port', String(apiPort), '--runtime', 'noop', '--no-controllers', ...elArgs];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
  const kubeconfig = await waitFor(async () => /export KUBECONFIG=(\S+)/.exec(out)?.[1], `tkt up to start: ${out}`, 60_000);
  return { proc, kubeconfig };
}

const listener = (name: string): KubeObject => ({
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name, namespace: 'default' },
  spec: { triggers: [{ name: 't', bindings: [{ name: 'v', value: '$(body.v)' }], template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { v: '$(tt.params.v)' } }] } } }] },
});

async function servedUrls(client: KubeClient): Promise<Record<string, string>> {
  return waitFor(async () => {
    const out: Record<string, string> = {};
    for (const n of ['fixed', 'ranged']) {
      const u = (await client.get<EventListener>(EL_REF, 'default', n)).status?.address?.url;
      if (!u || !(await fetch(`${u}/live`).then((r) => r.ok, () => false))) return undefined;
      out[n] = u;
    }
    return out;
  }, 'both sinks served', 60_000);
}

describe('tkt up restarted', () => {
  it('serves every EventListener at the same address again', async () => {
    const [apiPort, fixed, rangeFrom] = [await stablePort(), await stablePort(), await stablePort()];
    const elArgs = ['--el-port', `fixed=${fixed}`, '--el-port-range', `${rangeFrom}-${rangeFrom}`];
    let cur = await up(apiPort, elArgs);
    let client = new KubeClient(loadKubeConfig({ kubeconfig: cur.kubeconfig }));
    await client.create(listener('fixed'));
    await client.create(listener('ranged'));
    const before = await servedUrls(client);
    expect(before).toEqual({ fixed: `http://127.0.0.1:${fixed}`, ranged: `http://127.0.0.1:${rangeFrom}` });
    await stop(cur.proc);

    cur = await up(apiPort, elArgs);
    client = new KubeClient(loadKubeConfig({ kubeconfig: cur.kubeconfig }));
    expect(await servedUrls(client)).toEqual(before);
    expect((await postEvent(before.ranged as string, '{"v":"after-restart"}', {})).status).toBe(202);
    const { stdout } = await run(process.execPath, [tkt, 'el', 'list', '--kubeconfig', cur.kubeconfig], { timeout: 60_000 });
    expect(stdout).toContain(before.fixed);
    expect(stdout).toContain(before.ranged);
    await stop(cur.proc);
  }, 180_000);
});
