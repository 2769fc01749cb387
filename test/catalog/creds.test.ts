/**
 * Credentials from the run's ServiceAccount, end to end (embedded mode, host runtime, real controllers and kubelet):
 * the catalog git-clone Task clones a private repository over HTTP basic auth (git http-backend behind an
 * Authorization check) and over SSH (a real sshd on loopback) with no credentials in the YAML — only an annotated
 * Secret listed by the ServiceAccount. Steps see ~/.gitconfig, ~/.git-credentials, ~/.ssh and
 * ~/.docker/config.json, and $(credentials.path). disable-creds-init and require-git-ssh-secret-known-hosts act.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { defaultFeatureFlags } from '../../src/controller/config.js';
import { stringify } from 'yaml';
import { tkt } from '../cli/helpers/io.js';
import { Cluster, explain, hostRuntimeMissing, loadYaml, repoRoot } from './harness.js';
import { makeBareRepo } from './fixtures/git.js';
import { startGitHttp, type GitHttpServer } from './fixtures/git-http.js';
import { sshdMissing, startSshd, type Sshd } from './fixtures/sshd.js';

const missing = hostRuntimeMissing();
if (missing) console.warn(`skipping credential tests: ${missing}`);
const noSshd = missing ?? sshdMissing();
if (!missing && noSshd) console.warn(`skipping git-over-SSH credential test: ${noSshd}`);

const USER = 'alice';
const PASSWORD = 's3cret:token';
const basicHeader = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const secret = (name: string, type: string, annotations: Record<string, string>, stringData: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, annotations }, type, stringData } as KubeObject);
const serviceAccount = (name: string, secrets: string[]): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, secrets: secrets.map((s) => ({ name: s })) } as KubeObject);

/** A TaskRun whose one step prints what credential initialisation left in $HOME and /tekton/creds. */
function inspectRun(name: string, serviceAccountName: string): KubeObject {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
    spec: {
      serviceAccountName,
      taskSpec: {
        steps: [{
          name: 'show', image: 'alpine', env: [{ name: 'HOME', value: '/home/builder' }],
          script: '#!/bin/sh\necho "path=$(credentials.path)"\nls -A /tekton/creds 2>/dev/null | sed "s/^/creds: /"\n' +
            'for f in .gitconfig .git-credentials .docker/config.json; do [ -f "$HOME/$f" ] && sed "s|^|$f: |" "$HOME/$f"; done\necho done',
        }],
      },
    },
  } as KubeObject;
}

describe.skipIf(!!missing)('credentials from the ServiceAccount', () => {
  let cluster: Cluster;
  let dir: string;
  let http: GitHttpServer;
  let sshd: Sshd | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-creds-'));
    makeBareRepo(dir, 'private', { 'README.md': 'private readme\n' });
    http = await startGitHttp(dir, { authorization: basicHeader });
    if (!noSshd) sshd = await startSshd(join(dir, 'sshd'));
    cluster = await Cluster.start({ hostPorts: [Number(new URL(http.url).port), ...(sshd ? [sshd.port] : [])] });
    await cluster.apply(loadYaml('catalog/task/git-clone/0.1/git-clone.yaml'));
    await cluster.apply([
      secret('git-basic', 'kubernetes.io/basic-auth', { 'tekton.dev/git-0': http.url }, { username: USER, password: PASSWORD }),
      secret('registry', 'kubernetes.io/dockerconfigjson', {}, { '.dockerconfigjson': JSON.stringify({ auths: { 'registry.local:5000': { auth: 'dTpw' } } }) }),
      serviceAccount('git-bot', ['git-basic', 'registry', 'not-created']),
    ]);
    if (sshd) {
      await cluster.apply([
        secret('git-ssh', 'kubernetes.io/ssh-auth', { 'tekton.dev/git-0': `127.0.0.1:${sshd.port}` }, { 'ssh-privatekey': sshd.privateKey, known_hosts: sshd.knownHosts }),
        serviceAccount('ssh-bot', ['git-ssh']),
      ]);
    }
  });
  afterAll(async () => {
    await cluster?.stop();
    await http?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function clone(name: string, url: string, serviceAccountName?: string) {
    const out = join(dir, `out-${name}`);
    const claimName = await cluster.hostDirClaim(out);
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: {
        ...(serviceAccountName ? { serviceAccountName } : {}),
        taskRef: { name: 'git-clone' },
        params: [{ name: 'url', value: url }],
        workspaces: [{ name: 'output', persistentVolumeClaim: { claimName } }],
      },
    });
    return { f, out };
  }

  it('clones a private repository over HTTP with only an annotated basic-auth Secret on the ServiceAccount', async () => {
    const url = `${http.url}/private.git`;
    const { f, out } = await clone('http-with-sa', url, 'git-bot');
    expect(f.succeeded, explain(f)).toBe(true);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('private readme\n');
    expect(f.logs).not.toContain(PASSWORD);
    // the same run without the ServiceAccount is refused by the server
    const anonymous = await clone('http-anonymous', url);
    expect(anonymous.f.succeeded).toBe(false);
  });

  it('gives steps ~/.gitconfig, ~/.git-credentials, ~/.docker/config.json and $(credentials.path)', async () => {
    const f = await cluster.runTask(inspectRun('inspect-creds', 'git-bot'));
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.logs).toContain('path=/tekton/creds');
    expect(f.logs).toContain('creds: .git-credentials');
    expect(f.logs).toContain(`.gitconfig: [credential "${http.url}"]`);
    expect(f.logs).toContain(`.git-credentials: http://${USER}:s3cret%3Atoken@${http.url.slice('http://'.length)}`);
    expect(f.logs).toContain('.docker/config.json: {"auths":{"registry.local:5000":{"auth":"dTpw"}}}');
    // Tekton's pod shape: secret volumes and flags, never the values
    const pod = await cluster.client.get<Pod>({ apiVersion: 'v1', kind: 'Pod' }, 'default', f.run.status?.podName ?? '');
    expect(JSON.stringify(pod)).not.toContain(PASSWORD);
    expect(pod.spec.volumes).toContainEqual({ name: 'tekton-creds-init-home-0', emptyDir: { medium: 'Memory' } });
    expect(pod.spec.volumes?.filter((v) => v.secret).map((v) => v.secret?.secretName)).toEqual(['git-basic', 'registry']);
    expect(pod.spec.containers[0]?.args).toEqual(expect.arrayContaining([`-basic-git=git-basic=${http.url}`, '-docker-config=registry']));
  });

  it('tkt run: a PipelineRun with taskRunTemplate.serviceAccountName clones with the Secret from the same files', async () => {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, [
      stringify(secret('git-basic', 'kubernetes.io/basic-auth', { 'tekton.dev/git-0': http.url }, { username: USER, password: PASSWORD })),
      stringify(serviceAccount('git-bot', ['git-basic'])),
      stringify({
        apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'clone-private' },
        spec: {
          taskRunTemplate: { serviceAccountName: 'git-bot' },
          workspaces: [{ name: 'src', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } }],
          pipelineSpec: {
            workspaces: [{ name: 'src' }],
            tasks: [
              { name: 'fetch', taskRef: { name: 'git-clone' }, params: [{ name: 'url', value: `${http.url}/private.git` }], workspaces: [{ name: 'output', workspace: 'src' }] },
              { name: 'show', runAfter: ['fetch'], workspaces: [{ name: 'src', workspace: 'src' }],
                taskSpec: { workspaces: [{ name: 'src' }], steps: [{ name: 'cat', image: 'alpine', script: 'cat $(workspaces.src.path)/README.md' }] } },
            ],
          },
        },
      }),
    ].join('---\n'));
    const r = await tkt(['run', '--runtime', 'host', '--host-port', new URL(http.url).port, '-f', join(repoRoot, 'catalog/task/git-clone/0.1/git-clone.yaml'), '-f', file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('[show : cat] private readme');
  });

  it('mounts only the credentials the ServiceAccount provides (an ssh-auth Secret: no docker or basic-auth files)', async () => {
    await cluster.apply([
      secret('phony-ssh', 'kubernetes.io/ssh-auth', { 'tekton.dev/git-0': 'localhost' }, { 'ssh-privatekey': 'not a key\n', known_hosts: 'localhost ssh-ed25519 AAAA\n' }),
      serviceAccount('phony-ssh-bot', ['phony-ssh']),
    ]);
    const f = await cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'only-provided' },
      spec: {
        serviceAccountName: 'phony-ssh-bot',
        taskSpec: { steps: [{ name: 'check', image: 'alpine', script: '#!/bin/sh\nset -xe\ntest -f $HOME/.ssh/id_phony-ssh\ngrep -q "Host localhost" $HOME/.ssh/config\n' +
          'test ! -d $HOME/.docker\ntest ! -f $HOME/.git-credentials\ntest ! -f $HOME/.gitconfig\n' }] },
      },
    });
    expect(f.succeeded, explain(f)).toBe(true);
  });

  it.skipIf(!!noSshd)('clones over SSH with an ssh-auth Secret (private key and known_hosts) on the ServiceAccount', async () => {
    const url = `ssh://${sshd?.user ?? 'root'}@127.0.0.1:${sshd?.port ?? 0}${dir}/private.git`;
    const { f, out } = await clone('ssh-with-sa', url, 'ssh-bot');
    expect(f.succeeded, explain(f)).toBe(true);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('private readme\n');
    const anonymous = await clone('ssh-anonymous', url);
    expect(anonymous.f.succeeded).toBe(false);
  });
});

describe.skipIf(!!missing)('credential feature flags', () => {
  const objects = [
    secret('git-basic', 'kubernetes.io/basic-auth', { 'tekton.dev/git-0': 'https://git.example' }, { username: 'u', password: 'p' }),
    secret('git-ssh', 'kubernetes.io/ssh-auth', { 'tekton.dev/git-0': 'git.example' }, { 'ssh-privatekey': 'KEY\n' }),
    serviceAccount('bot', ['git-basic', 'git-ssh']),
  ];

  it('disable-creds-init: no /tekton/creds and nothing in $HOME', async () => {
    const cluster = await Cluster.start({ controllerConfig: { features: defaultFeatureFlags({ disableCredsInit: true }) } });
    try {
      await cluster.apply(objects);
      const f = await cluster.runTask(inspectRun('inspect-disabled', 'bot'));
      expect(f.succeeded, explain(f)).toBe(true);
      expect(f.logs).toContain('done');
      expect(f.logs).not.toContain('creds:');
      expect(f.logs).not.toContain('.git-credentials:');
    } finally {
      await cluster.stop();
    }
  });

  it('require-git-ssh-secret-known-hosts: an ssh-auth Secret without known_hosts fails the run', async () => {
    const cluster = await Cluster.start({ controllerConfig: { features: defaultFeatureFlags({ requireGitSshSecretKnownHosts: true }) } });
    try {
      await cluster.apply(objects);
      const f = await cluster.runTask(inspectRun('inspect-known-hosts', 'bot'));
      expect(f.succeeded).toBe(false);
      expect(f.reason).toBe('TaskRunValidationFailed');
      expect(f.message).toContain('Git SSH Secret must have "known_hosts" included');
    } finally {
      await cluster.stop();
    }
  });
});
