/**
 * Pod Security admission in the embedded API server (issue 14), with real kubectl: `baseline` enforced by default
 * with Kubernetes' messages, namespace labels `pod-security.kubernetes.io/enforce|warn` honoured, and the node's own
 * check behind it (a namespace labelled privileged still cannot run a hostPath pod on a node started without
 * --allow-privileged).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { podSecurityViolations } from '../../src/embedded/apiserver/pod-security.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-psa-'));
let emb: Embedded;

async function kubectl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = run('kubectl', ['--kubeconfig', emb.kubeconfigPath, '--cache-dir', path.join(dir, 'cache'), ...args]);
  if (stdin !== undefined) { p.child.stdin?.write(stdin); p.child.stdin?.end(); }
  try {
    const r = await p;
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const pod = (name: string, ns: string, spec: Record<string, unknown>): string => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }], ...spec },
});
const hostPathSpec = { volumes: [{ name: 'data', hostPath: { path: '/etc' } }] };

beforeAll(async () => {
  emb = await startEmbedded({ dataDir: path.join(dir, 'data'), runtime: 'host', eventListeners: false, controllers: false });
}, 60_000);
afterAll(async () => {
  await emb?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Pod Security admission', () => {
  it('enforces baseline by default with Kubernetes\' message', async () => {
    const r = await kubectl(['create', '-f', '-'], pod('hp', 'default', { ...hostPathSpec, hostNetwork: true, containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (Forbidden): error when creating "STDIN": pods "hp" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "c" must not set securityContext.privileged=true), hostPath volumes (volume "data")');
    expect((await kubectl(['get', 'pod', 'hp'])).code).toBe(1);
  });

  it('honours enforce and warn labels on the namespace', async () => {
    await kubectl(['create', 'namespace', 'strict']);
    expect((await kubectl(['label', 'namespace', 'strict', 'pod-security.kubernetes.io/enforce=restricted'])).code).toBe(0);
    const refused = await kubectl(['create', '-f', '-'], pod('plain', 'strict', {}));
    expect(refused.stderr).toContain('violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');

    await kubectl(['create', 'namespace', 'warned']);
    await kubectl(['label', 'namespace', 'warned', 'pod-security.kubernetes.io/warn=restricted']);
    const warned = await kubectl(['create', '-f', '-'], pod('plain', 'warned', {}));
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false');
  });

  it('a namespace labelled privileged passes admission, but the node still refuses what it does not grant', async () => {
    await kubectl(['create', 'namespace', 'open']);
    await kubectl(['label', 'namespace', 'open', 'pod-security.kubernetes.io/enforce=privileged']);
    const r = await kubectl(['create', '-f', '-'], pod('hp', 'open', hostPathSpec));
    expect(r.code, r.stderr).toBe(0);
    let phase = '';
    let message = '';
    for (let i = 0; i < 200 && phase !== 'Failed'; i++) {
      const got = await kubectl(['get', 'pod', 'hp', '-n', 'open', '-o', 'json']);
      const status = (JSON.parse(got.stdout) as { status?: { phase?: string; message?: string; reason?: string } }).status ?? {};
      phase = status.phase ?? '';
      message = `${status.reason ?? ''}: ${status.message ?? ''}`;
      if (phase !== 'Failed') await new Promise((res) => setTimeout(res, 50));
    }
    expect(phase).toBe('Failed');
    expect(message).toContain('Forbidden: pod "hp" asks for what this node does not grant: hostPath volume "data"');
  }, 30_000);

  it('restricted accepts a pod set up as the standard asks', () => {
    const ok = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok' }, spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }],
      volumes: [{ name: 'v', emptyDir: {} }],
    } };
    expect(podSecurityViolations(ok as never, 'restricted')).toEqual([]);
    expect(podSecurityViolations({ ...ok, spec: { ...ok.spec, volumes: [{ name: 'h', hostPath: { path: '/' } }] } } as never, 'restricted'))
      .toEqual(['hostPath volumes (volume "h")', 'restricted volume types (volume "h" uses restricted volume type "hostPath")']);
  });
});
