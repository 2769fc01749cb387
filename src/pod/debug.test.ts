import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod, TaskRun } from '../api/types.js';
import { buildPod } from './build.js';
import { builtinImageEntrypoints } from './image-entrypoints.js';

function podFor(debug: unknown): Pod {
  const taskRun: TaskRun = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr', namespace: 'ns', uid: 'u' }, spec: { ...(debug ? { debug } : {}) } };
  const spec = { steps: [{ name: 'a', image: 'busybox', script: 'exit 1' }, { name: 'b', image: 'busybox', command: ['true'] }] };
  const r = buildPod({ taskRun, spec, podName: 'tr-pod', config: { entrypointImage: 'img', awaitSidecarReadiness: true, managedBy: 'm', imageEntrypoint: builtinImageEntrypoints } });
  if (!r.ok) throw new Error(r.message);
  return r.pod;
}

function scriptsOf(pod: Pod): Record<string, string> {
  const cmd = pod.spec.initContainers?.[0]?.command ?? [];
  const out: Record<string, string> = {};
  cmd.forEach((arg, i) => {
    if (arg === '-script') out[cmd[i + 1] ?? ''] = Buffer.from(cmd[i + 2] ?? '', 'base64').toString('utf8');
  });
  return out;
}

describe('debug breakpoints in the pod (Tekton debug.md)', () => {
  it('adds nothing without spec.debug', () => {
    const pod = podFor(undefined);
    expect(JSON.stringify(pod)).not.toContain('debug');
  });

  it('onFailure: every step gets -breakpoint_on_failure, the scripts, and its own debug-info directory', () => {
    const pod = podFor({ breakpoints: { onFailure: 'enabled' } });
    const [a, b] = pod.spec.containers;
    expect(a?.args).toContain('-breakpoint_on_failure');
    expect(b?.args).toContain('-breakpoint_on_failure');
    expect(a?.args).not.toContain('-debug_before_step');
    expect(a?.args?.indexOf('-breakpoint_on_failure')).toBeLessThan(a?.args?.indexOf('--') ?? -1);
    expect(a?.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'tekton-internal-debug-scripts', mountPath: '/tekton/debug/scripts', readOnly: true },
      { name: 'tekton-internal-debug-info', mountPath: '/tekton/debug/info/0' },
    ]));
    expect(b?.volumeMounts).toEqual(expect.arrayContaining([{ name: 'tekton-internal-debug-info', mountPath: '/tekton/debug/info/1' }]));
    expect(pod.spec.volumes).toEqual(expect.arrayContaining([{ name: 'tekton-internal-debug-scripts', emptyDir: {} }, { name: 'tekton-internal-debug-info', emptyDir: {} }]));
    expect(pod.spec.initContainers?.[0]?.volumeMounts).toEqual(expect.arrayContaining([{ name: 'tekton-internal-debug-scripts', mountPath: '/tekton/debug/scripts' }]));
    expect(Object.keys(scriptsOf(pod)).filter((p) => p.startsWith('/tekton/debug/')).sort()).toEqual(['/tekton/debug/scripts/debug-continue', '/tekton/debug/scripts/debug-fail-continue']);
  });

  it('beforeSteps: only the named steps get -debug_before_step, and the before-step scripts are placed', () => {
    const pod = podFor({ breakpoints: { onFailure: 'enabled', beforeSteps: ['b'] } });
    const [a, b] = pod.spec.containers;
    expect(a?.args).not.toContain('-debug_before_step');
    expect(b?.args).toContain('-debug_before_step');
    expect(Object.keys(scriptsOf(pod)).filter((p) => p.startsWith('/tekton/debug/')).sort()).toEqual([
      '/tekton/debug/scripts/debug-beforestep-continue', '/tekton/debug/scripts/debug-beforestep-fail-continue',
      '/tekton/debug/scripts/debug-continue', '/tekton/debug/scripts/debug-fail-continue',
    ]);
  });

  it('the scripts find their step from /tekton/debug/info and write what the helper waits for', () => {
    const scripts = scriptsOf(podFor({ breakpoints: { onFailure: 'enabled', beforeSteps: ['a'] } }));
    const root = mkdtempSync(path.join(tmpdir(), 'tkt-debug-'));
    try {
      // run each script with /tekton replaced by a temp dir, as step 1 of 2
      mkdirSync(path.join(root, 'debug/info/1'), { recursive: true });
      mkdirSync(path.join(root, 'run/1'), { recursive: true });
      const run = (name: string): string => {
        const file = path.join(root, name);
        writeFileSync(file, (scripts[`/tekton/debug/scripts/${name}`] ?? '').replaceAll('/tekton/', `${root}/`));
        return execFileSync('sh', [file], { encoding: 'utf8' });
      };
      expect(run('debug-continue')).toBe('Executing step 1...\n');
      expect(existsSync(path.join(root, 'run/1/out'))).toBe(true);
      expect(readFileSync(path.join(root, 'run/1/out.breakpointexit'), 'utf8')).toBe('0\n');
      run('debug-fail-continue');
      expect(existsSync(path.join(root, 'run/1/out.err'))).toBe(true);
      expect(readFileSync(path.join(root, 'run/1/out.breakpointexit'), 'utf8')).toBe('1\n');
      run('debug-beforestep-continue');
      expect(readFileSync(path.join(root, 'run/1/out.beforestepexit'), 'utf8')).toBe('0\n');
      run('debug-beforestep-fail-continue');
      expect(readFileSync(path.join(root, 'run/1/out.beforestepexit.err'), 'utf8')).toBe('1\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
