import { describe, expect, it } from 'vitest';
import type { TaskRun } from '../api/types.js';
import { buildPod } from './build.js';
import { builtinImageEntrypoints } from './image-entrypoints.js';
import { credsPlan, hashedName, secretFlags, withCredArgs, type CredSecret } from './creds.js';

const basic = (name: string, annotations: Record<string, string>): CredSecret => ({ name, type: 'kubernetes.io/basic-auth', annotations, hasKnownHosts: false });

describe('secretFlags (Tekton annotation matching)', () => {
  it('turns basic-auth git and docker annotations into flags, docker first, values sorted', () => {
    const s = basic('bot', { 'tekton.dev/git-1': 'https://gitlab.com', 'tekton.dev/git-0': 'https://github.com', 'tekton.dev/docker-0': 'https://gcr.io', other: 'x' });
    expect(secretFlags(s)).toEqual(['-basic-docker=bot=https://gcr.io', '-basic-git=bot=https://github.com', '-basic-git=bot=https://gitlab.com']);
  });
  it('ssh-auth gives -ssh-git and ignores docker annotations; docker config types need no annotation', () => {
    expect(secretFlags({ name: 'k', type: 'kubernetes.io/ssh-auth', annotations: { 'tekton.dev/git-0': 'github.com', 'tekton.dev/docker-0': 'x' }, hasKnownHosts: true }))
      .toEqual(['-ssh-git=k=github.com']);
    expect(secretFlags({ name: 'j', type: 'kubernetes.io/dockerconfigjson', hasKnownHosts: false })).toEqual(['-docker-config=j']);
    expect(secretFlags({ name: 'c', type: 'kubernetes.io/dockercfg', hasKnownHosts: false })).toEqual(['-docker-cfg=c']);
  });
  it('ignores unannotated basic-auth, Opaque and other types', () => {
    expect(secretFlags(basic('a', {}))).toEqual([]);
    expect(secretFlags({ name: 'o', type: 'Opaque', annotations: { 'tekton.dev/git-0': 'https://github.com' }, hasKnownHosts: false })).toEqual([]);
    expect(secretFlags({ name: 't', type: 'kubernetes.io/tls', hasKnownHosts: false })).toEqual([]);
  });
});

describe('credsPlan', () => {
  it('mounts each matched Secret once under /tekton/creds-secrets with a hashed volume name', () => {
    const r = credsPlan({ secrets: [basic('bot', { 'tekton.dev/git-0': 'https://h' }), basic('bot', { 'tekton.dev/git-0': 'https://h' }), basic('plain', {})], disabled: false, requireKnownHosts: false });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.args).toEqual(['-basic-git=bot=https://h']);
    expect(r.plan.volumes).toEqual([{ name: hashedName('tekton-creds', 'bot'), secret: { secretName: 'bot' } }]);
    expect(r.plan.mounts).toEqual([{ name: hashedName('tekton-creds', 'bot'), mountPath: '/tekton/creds-secrets/bot' }]);
  });
  it('hashes like Go fnv32a, 8 hex digits', () => {
    // fnv32a("") = 811c9dc5, fnv32a("a") = e40c292c
    expect(hashedName('p', '')).toBe('p-811c9dc5');
    expect(hashedName('p', 'a')).toBe('p-e40c292c');
  });
  it('is empty when disable-creds-init is set', () => {
    const r = credsPlan({ secrets: [basic('bot', { 'tekton.dev/git-0': 'https://h' })], disabled: true, requireKnownHosts: false });
    expect(r).toEqual({ ok: true, plan: { args: [], volumes: [], mounts: [] } });
  });
  it('refuses an ssh-auth Secret without known_hosts under require-git-ssh-secret-known-hosts', () => {
    const ssh: CredSecret = { name: 'k', type: 'kubernetes.io/ssh-auth', annotations: { 'tekton.dev/git-0': 'github.com' }, hasKnownHosts: false };
    const r = credsPlan({ secrets: [ssh], disabled: false, requireKnownHosts: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('TaskRunValidationFailed');
    expect(r.message).toContain('Git SSH Secret must have "known_hosts" included');
    expect(credsPlan({ secrets: [{ ...ssh, hasKnownHosts: true }], disabled: false, requireKnownHosts: true }).ok).toBe(true);
  });
  it('inserts the flags after -step_metadata_dir', () => {
    expect(withCredArgs({ args: ['-post_file', 'p', '-step_metadata_dir', 'd', '-entrypoint', 'x', '--'] }, ['-basic-git=a=b']).args)
      .toEqual(['-post_file', 'p', '-step_metadata_dir', 'd', '-basic-git=a=b', '-entrypoint', 'x', '--']);
  });
});

describe('buildPod with credentials', () => {
  const taskRun: TaskRun = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr', namespace: 'ns', uid: 'u' }, spec: {} };
  const config = { entrypointImage: 'img', awaitSidecarReadiness: true, managedBy: 'tekton-pipelines', imageEntrypoint: builtinImageEntrypoints };
  const spec = { steps: [{ name: 'a', image: 'alpine', command: ['true'] }, { name: 'b', image: 'alpine', command: ['true'] }], sidecars: [{ name: 's', image: 'alpine', command: ['sleep'] }] };

  it('gives every step its own in-memory /tekton/creds and the Secret mounts; sidecars get neither', () => {
    const r = buildPod({ taskRun, spec, podName: 'tr-pod', config, credentials: { secrets: [basic('bot', { 'tekton.dev/git-0': 'https://h' })], disabled: false, requireKnownHosts: false } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b, s] = r.pod.spec.containers;
    expect(a?.args).toContain('-basic-git=bot=https://h');
    expect(a?.volumeMounts).toContainEqual({ name: 'tekton-creds-init-home-0', mountPath: '/tekton/creds' });
    expect(b?.volumeMounts).toContainEqual({ name: 'tekton-creds-init-home-1', mountPath: '/tekton/creds' });
    expect(b?.volumeMounts).toContainEqual({ name: hashedName('tekton-creds', 'bot'), mountPath: '/tekton/creds-secrets/bot' });
    expect(s?.volumeMounts ?? []).not.toContainEqual(expect.objectContaining({ mountPath: '/tekton/creds' }));
    expect(r.pod.spec.volumes).toContainEqual({ name: 'tekton-creds-init-home-1', emptyDir: { medium: 'Memory' } });
    expect(r.pod.spec.volumes).toContainEqual({ name: hashedName('tekton-creds', 'bot'), secret: { secretName: 'bot' } });
  });
  it('has no /tekton/creds at all with disable-creds-init', () => {
    const r = buildPod({ taskRun, spec, podName: 'tr-pod', config, credentials: { secrets: [basic('bot', { 'tekton.dev/git-0': 'https://h' })], disabled: true, requireKnownHosts: false } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.stringify(r.pod)).not.toContain('tekton-creds');
    expect(r.pod.spec.containers[0]?.args?.some((x) => x.startsWith('-basic-git'))).toBe(false);
  });
});
