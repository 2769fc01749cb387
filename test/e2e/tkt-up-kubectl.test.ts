/**
 * The laptop story end to end: `tkt up` in the foreground, then a user's real kubectl creates a Pipeline and a
 * PipelineRun, waits for it with `kubectl wait --for=condition=Succeeded`, sees Tekton's columns in
 * `kubectl get`, and `tkt pr logs --last` prints the task logs. Then SIGTERM stops it cleanly.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/conformance.js';

const exec = promisify(execFile);
const tkt = join(repoRoot, 'bin', 'tkt.js');

describe('tkt up + real kubectl', () => {
  let dir: string;
  let up: ChildProcess;
  let kubeconfig: string;
  const kubectl = (args: string[]) => exec('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kcache'), ...args], { timeout: 90_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-up-'));
    up = spawn(process.execPath, [tkt, 'up', '--data-dir', join(dir, 'data'), '--runtime', 'host'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      up.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /export KUBECONFIG=(\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      up.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      up.on('exit', (code) => reject(new Error(`tkt up exited ${code}: ${err}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (up && up.exitCode === null) {
      up.kill('SIGTERM');
      await new Promise((r) => up.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl create → wait Succeeded → get columns → tkt pr logs', async () => {
    const created = await kubectl(['create', '-f', join(repoRoot, 'examples', 'hello-world.yaml')]);
    const prName = /pipelinerun\.tekton\.dev\/(\S+) created/.exec(created.stdout)?.[1];
    expect(prName, created.stdout).toBeTruthy();
    await kubectl(['wait', '--for=condition=Succeeded', `pipelinerun/${prName}`, '--timeout=60s']);
    const table = (await kubectl(['get', 'pipelineruns'])).stdout;
    expect(table).toMatch(/NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME/);
    expect(table).toMatch(new RegExp(`${prName}\\s+True\\s+Succeeded`));
    const trs = (await kubectl(['get', 'taskruns', '-l', `tekton.dev/pipelineRun=${prName}`, '-o', 'name'])).stdout.trim().split('\n');
    expect(trs.sort()).toEqual([`taskrun.tekton.dev/${prName}-hello`, `taskrun.tekton.dev/${prName}-louder`, `taskrun.tekton.dev/${prName}-report`]);
    const logs = await exec(process.execPath, [tkt, '--kubeconfig', kubeconfig, 'pr', 'logs', '--last'], { env: { ...process.env, NO_COLOR: '1' } });
    expect(logs.stdout).toContain('[louder : shout] HELLO, TEKTITE!');
  }, 120_000);

  it('rejects an invalid PipelineRun with the field path, and stops cleanly on SIGTERM', async () => {
    const bad = join(dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: bad}\nspec:\n  pipelineRef: {name: hello-world}\n  timeouts: {pipeline: "not-a-duration"}\n');
    const err = await kubectl(['create', '-f', bad]).then(() => '', (e: { stderr?: string }) => e.stderr ?? '');
    expect(err).toContain('spec.timeouts.pipeline');
    up.kill('SIGTERM');
    const code = await new Promise((r) => up.once('exit', r));
    expect(code).toBe(0);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('server: https://127.0.0.1:');
  }, 60_000);
});
