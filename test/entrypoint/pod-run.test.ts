/**
 * The pod builder and the step helper together: buildPod's pod is run the way the host runtime does
 * (bubblewrap over the host's /usr, one directory per volume bound at each mount path, the helper at
 * /tektite/entrypoint), prepare first, then all step containers at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Pod, TaskRun, TaskSpec } from '../../src/api/types.js';
import { buildPod, builtinImageEntrypoints } from '../../src/pod/index.js';
import { buildHelper, HELPER, tempDir, type Entry } from './harness.js';

const reason = spawnSync('bwrap', ['--ro-bind', '/', '/', '--', 'true']).status === 0 ? undefined : 'bwrap cannot run here';
if (reason) console.log(`skipping pod run test: ${reason}`);

/** Host userland, read-only: /usr plus the /bin, /lib... entries (symlinks on merged-/usr systems). */
function userland(): string[] {
  const args = ['--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc'];
  for (const d of ['bin', 'sbin', 'lib', 'lib64']) {
    const p = `/${d}`;
    if (!existsSync(p)) continue;
    if (lstatSync(p).isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else args.push('--ro-bind', p, p);
  }
  return args;
}

interface Ran { name: string; code: number | null; stdout: string; stderr: string; message?: Entry[] }

/** Runs one container of the pod in bwrap; volumes are directories under root/volumes. */
function runContainer(root: string, c: Container): Promise<Ran> {
  const args = ['--tmpfs', '/', ...userland(), '--dev', '/dev', '--proc', '/proc', '--ro-bind', HELPER, '/tektite/entrypoint'];
  for (const m of c.volumeMounts ?? []) args.push(m.readOnly ? '--ro-bind' : '--bind', join(root, 'volumes', m.name), m.mountPath);
  const term = join(root, 'termination', c.name);
  writeFileSync(term, '');
  if (c.terminationMessagePath) args.push('--bind', term, c.terminationMessagePath);
  if (c.workingDir) args.push('--chdir', c.workingDir);
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin' };
  for (const e of c.env ?? []) env[e.name] = e.value ?? '';
  const child = spawn('bwrap', [...args, '--', ...(c.command ?? []), ...(c.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => {
    const text = readFileSync(term, 'utf8');
    resolve({ name: c.name, code, stdout, stderr, message: text ? (JSON.parse(text) as Entry[]) : undefined });
  }));
}

async function runPod(root: string, pod: Pod): Promise<Map<string, Ran>> {
  for (const v of pod.spec.volumes ?? []) mkdirSync(join(root, 'volumes', v.name), { recursive: true });
  mkdirSync(join(root, 'termination'), { recursive: true });
  const out = new Map<string, Ran>();
  for (const c of pod.spec.initContainers ?? []) out.set(c.name, await runContainer(root, c));
  const ran = await Promise.all(pod.spec.containers.map((c) => runContainer(root, c)));
  for (const r of ran) out.set(r.name, r);
  return out;
}

const taskRun: TaskRun = {
  apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'demo', namespace: 'default', uid: 'u-1' },
  spec: { timeout: '1m', workspaces: [{ name: 'src', emptyDir: {} }] },
};

const spec: TaskSpec = {
  workspaces: [{ name: 'src' }],
  results: [{ name: 'greeting' }],
  steps: [
    {
      name: 'first', image: 'alpine', workingDir: 'src/app', results: [{ name: 'msg' }],
      script: 'pwd > ../where\nprintf \'hello "pod"\' > /tekton/results/greeting\nprintf from-first > /tekton/steps/step-first/results/msg',
    },
    { name: 'second', image: 'busybox', args: ['-c', 'echo "second got $1" > /workspace/src/second', 'sh', '$(steps.first.results.msg)'] },
    { name: 'third', image: 'alpine', command: ['sh', '-c', 'exit 3'], onError: 'continue' },
    { name: 'fourth', image: 'alpine', script: '#!/bin/sh\nexit 5' },
    { name: 'fifth', image: 'alpine', command: ['touch', '/workspace/src/fifth-ran'] },
  ],
};

describe.skipIf(reason !== undefined)('a built pod runs in order with the helper', () => {
  let tmp = { dir: '', cleanup: (): void => {} };
  let results = new Map<string, Ran>();

  beforeAll(async () => {
    buildHelper();
    tmp = tempDir('tkt-pod-run-');
    const built = buildPod({
      taskRun, spec, podName: 'demo-pod',
      config: { entrypointImage: 'unused', awaitSidecarReadiness: true, managedBy: 'tekton-pipelines', imageEntrypoint: builtinImageEntrypoints },
    });
    if (!built.ok) throw new Error(built.message);
    results = await runPod(tmp.dir, built.pod);
  });
  afterAll(() => tmp.cleanup());

  const ws = (): string => join(tmp.dir, 'volumes', 'ws-ngxqx');

  it('prepares scripts, links and working dirs', () => {
    expect(results.get('prepare')?.code).toBe(0);
    expect(readFileSync(join(ws(), 'where'), 'utf8')).toBe('/workspace/src/app\n');
  });

  it('passes task results, step results and exit codes through', () => {
    expect(results.get('step-first')?.code).toBe(0);
    const msg = results.get('step-first')?.message ?? [];
    expect(msg).toContainEqual({ key: 'greeting', value: 'hello "pod"', type: 1 });
    expect(msg).toContainEqual({ key: 'msg', value: 'from-first', type: 4 });
    expect(readFileSync(join(ws(), 'second'), 'utf8')).toBe('second got from-first\n');
    expect(results.get('step-third')?.code).toBe(0);
    expect(results.get('step-third')?.message).toContainEqual({ key: 'ExitCode', value: '3', type: 3 });
  });

  it('fails at the failing step and skips the rest', () => {
    expect(results.get('step-fourth')?.code).toBe(5);
    expect(results.get('step-fifth')?.code).toBe(1);
    expect(results.get('step-fifth')?.message).toContainEqual({ key: 'Reason', value: 'Skipped', type: 3 });
    expect(existsSync(join(ws(), 'fifth-ran'))).toBe(false);
  });
});
