/** Unit tests of the kubelet's pure pieces: $(VAR) expansion, status model, restart status, argument builders. */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { fieldValue, formatMap } from './downward.js';
import { expandVars } from './env.js';
import { restartedStatus } from './restart.js';
import { createEnv, runArgs } from './runtimes/cli.js';
import { bwrapArgs } from './runtimes/host.js';
import { declaredResults, noopMessage } from './runtimes/noop.js';
import { PodStatusModel } from './status.js';
import type { ContainerLaunch } from './types.js';

const launch: ContainerLaunch = {
  pod: { namespace: 'ns', name: 'p', uid: 'u1', dir: '/tmp/x' }, name: 'step-a', image: 'alpine', command: ['sh'], args: ['-c', 'true'],
  env: [['SECRET', 's3'], ['PATH', '/bin']], workingDir: '/w', mounts: [{ hostPath: '/h/ws', containerPath: '/workspace', readOnly: true }],
  termination: { hostPath: '/h/term', containerPath: '/tekton/termination' }, helperPath: '/h/helper', init: false, runAsUser: 1001,
};

describe('expandVars', () => {
  const vars = new Map([['A', 'x'], ['B', '$(A)']]);
  it.each([
    ['$(A)', 'x'], ['a$(A)b', 'axb'], ['$(MISSING)', '$(MISSING)'], ['$$(A)', '$(A)'], ['$$', '$'], ['$', '$'],
    ['$(A', '$(A'], ['$(B)', '$(A)'], ['cost $5', 'cost $5'],
  ])('%s → %s', (input, want) => expect(expandVars(input, vars)).toBe(want));
});

describe('downward API values', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', uid: 'u', labels: { b: '2', a: '1' }, annotations: { 'tekton.dev/ready': 'READY' } }, spec: { containers: [] } } as Pod;
  it('reads names, keyed labels and annotations, and formats maps sorted', () => {
    expect(fieldValue(pod, "metadata.annotations['tekton.dev/ready']", 'n1')).toBe('READY');
    expect(fieldValue(pod, 'metadata.labels[a]', 'n1')).toBe('1');
    expect(fieldValue(pod, "metadata.labels['zz']", 'n1')).toBe('');
    expect(fieldValue(pod, 'spec.nodeName', 'n1')).toBe('n1');
    expect(fieldValue(pod, 'metadata.bogus', 'n1')).toBeUndefined();
    expect(formatMap(pod.metadata.labels)).toBe('a="1"\nb="2"');
  });
});

describe('PodStatusModel', () => {
  it('goes Pending → Running → Failed/Succeeded by container states', () => {
    const m = new PodStatusModel({ initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b' }] });
    expect(m.phase()).toBe('Pending');
    expect(m.render().containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    m.initDone = true;
    const [a, b] = m.main;
    if (!a || !b) throw new Error('records');
    a.state = { running: { startedAt: 't' } };
    a.ready = true;
    expect(m.phase()).toBe('Running');
    expect(m.render().conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    a.state = { terminated: { exitCode: 0 } };
    b.state = { terminated: { exitCode: 1 } };
    expect(m.phase()).toBe('Failed');
    b.state = { terminated: { exitCode: 0 } };
    expect(m.phase()).toBe('Succeeded');
    expect(m.render().conditions?.find((c) => c.type === 'Ready')?.reason).toBe('PodCompleted');
  });

  it('reports a pod-level failure only once no container runs', () => {
    const m = new PodStatusModel({ containers: [{ name: 'a' }] });
    const [a] = m.main;
    if (!a) throw new Error('record');
    a.state = { running: {} };
    m.failure = { reason: 'DeadlineExceeded', message: 'too long' };
    expect(m.phase()).toBe('Running');
    expect(m.render().reason).toBeUndefined();
    a.state = { terminated: { exitCode: 137 } };
    expect(m.render()).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'too long' });
  });
});

describe('restartedStatus', () => {
  it('fails the pod and terminates running containers with 137', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] }, status: {
      phase: 'Running', containerStatuses: [
        { name: 'a', ready: true, restartCount: 0, state: { running: { startedAt: 'T0' } } },
        { name: 'b', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } },
      ] } } as Pod;
    const s = restartedStatus(pod, new Date('2026-01-01T00:00:00Z'));
    expect(s).toMatchObject({ phase: 'Failed', reason: 'NodeRestarted' });
    expect(s.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, startedAt: 'T0', finishedAt: '2026-01-01T00:00:00Z' });
    expect(s.containerStatuses?.[1]?.state?.terminated?.exitCode).toBe(0);
  });
});

describe('runtime argument builders', () => {
  it('bwrap: user namespace for runAsUser, ro binds, termination bind, chdir, command after --', () => {
    const a = bwrapArgs(launch, ['sh', '-c', 'true']);
    expect(a.join(' ')).toContain('--unshare-user --uid 1001 --gid 0');
    expect(a.join(' ')).toContain('--ro-bind /h/ws /workspace');
    expect(a.join(' ')).toContain('--bind /h/term /tekton/termination');
    expect(a.join(' ')).not.toContain('--bind / /');
    expect(a.slice(-5)).toEqual(['/w', '--', 'sh', '-c', 'true']);
  });

  it('podman/docker run: env by name except engine variables, volumes, entrypoint as JSON', () => {
    const a = runArgs(launch, []);
    expect(a[0]).toBe('run');
    expect(a.join(' ')).toContain('--network host');
    expect(a).toContain('SECRET');
    expect(a).not.toContain('SECRET=s3');
    expect(a).toContain('PATH=/bin');
    expect(a).toContain('/h/ws:/workspace:ro');
    expect(a.slice(-4)).toEqual(['sh', 'alpine', '-c', 'true']);
    expect(a).toContain('--pull=missing');
    const multi = runArgs({ ...launch, command: ['/bin/sh', '-c'], args: ['echo hi'], imagePullPolicy: 'Never' }, [], ['--network', 'ns:/run/netns/tkt-x']);
    expect(multi.join(' ')).toContain('--network ns:/run/netns/tkt-x');
    expect(multi.join(' ')).not.toContain('--network host');
    expect(multi.slice(-5)).toEqual(['--entrypoint', '/bin/sh', 'alpine', '-c', 'echo hi']);
    expect(multi).toContain('--pull=never');
    expect(createEnv(launch).SECRET).toBe('s3');
    expect(createEnv(launch).PATH).toBe(process.env.PATH);
  });

  it('noop: declares the -results of a step and StartedAt', () => {
    expect(declaredResults(['-post_file', 'x', '-results', 'a,b', '--results=c', '--', '-results', 'no'])).toEqual(['a', 'b', 'c']);
    const msg = JSON.parse(noopMessage({ ...launch, args: ['-results', 'digest'] }, new Date('2026-01-01T00:00:00Z'))) as unknown;
    expect(msg).toEqual([{ key: 'digest', value: '', type: 1 }, { key: 'StartedAt', value: '2026-01-01T00:00:00.000Z', type: 3 }]);
  });
});
