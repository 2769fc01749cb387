/**
 * An authenticated registry push with credentials only on the ServiceAccount (embedded mode, host runtime): the
 * catalog buildah Task builds FROM scratch and pushes to a docker-registry on loopback that demands htpasswd basic
 * auth. The only credentials are a kubernetes.io/dockerconfigjson Secret (or a basic-auth Secret annotated
 * tekton.dev/docker-0) listed by the run's ServiceAccount; creds-init writes ~/.docker/config.json, which
 * buildah reads.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { Cluster, explain, hasCommand, hostRuntimeMissing, loadYaml } from './harness.js';
import { registryMissing, startRegistry, type Registry } from './fixtures/registry.js';

function missingHere(): string | undefined {
  if (!hasCommand('buildah')) return 'buildah is not installed';
  if (!hasCommand('htpasswd')) return 'htpasswd is not installed (Debian package apache2-utils)';
  if (process.getuid?.() !== 0) return 'buildah in the host runtime needs root (no user-namespace storage setup here)';
  return hostRuntimeMissing() ?? registryMissing();
}

const missing = missingHere();
if (missing) console.warn(`skipping authenticated registry push tests: ${missing}`);

const USER = 'pusher';
const PASSWORD = 'push-s3cret';
const authHeader = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe.skipIf(!!missing)('registry push with the ServiceAccount\'s docker credentials', () => {
  let cluster: Cluster;
  let dir: string;
  let registry: Registry;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-creds-reg-'));
    const htpasswd = join(dir, 'htpasswd');
    writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', USER, PASSWORD]));
    registry = await startRegistry(dir, { htpasswd });
    cluster = await Cluster.start({ hostPorts: [Number(registry.host.split(':')[1])], allowPrivileged: true });
    await cluster.apply(loadYaml('catalog/task/buildah/0.1/buildah.yaml'));
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await cluster.apply([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': JSON.stringify({ auths: { [registry.host]: { username: USER, password: PASSWORD, auth } } }) } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regbasic', annotations: { 'tekton.dev/docker-0': `http://${registry.host}` } },
        type: 'kubernetes.io/basic-auth', stringData: { username: USER, password: PASSWORD } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'json-pusher' }, secrets: [{ name: 'regcred' }] },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'basic-pusher' }, secrets: [{ name: 'regbasic' }] },
    ] as KubeObject[]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function push(name: string, serviceAccountName: string, repo: string) {
    const src = join(dir, name);
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    writeFileSync(join(src, 'app.txt'), `${name}\n`);
    const claimName = await cluster.hostDirClaim(src);
    return cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: {
        serviceAccountName,
        taskRef: { name: 'buildah' },
        params: [{ name: 'IMAGE', value: `${registry.host}/${repo}:v1` }, { name: 'TLSVERIFY', value: 'false' }, { name: 'STORAGE_DRIVER', value: 'vfs' }],
        workspaces: [{ name: 'source', persistentVolumeClaim: { claimName } }],
      },
    } as KubeObject);
  }

  async function manifestStatus(repo: string, authorization?: string): Promise<number> {
    const res = await fetch(`http://${registry.host}/v2/${repo}/manifests/v1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json', ...(authorization ? { authorization } : {}) },
    });
    return res.status;
  }

  it('pushes with a dockerconfigjson Secret; the registry refuses anonymous requests', async () => {
    const f = await push('push-json', 'json-pusher', 'creds/json');
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await manifestStatus('creds/json', authHeader)).toBe(200);
    expect(await manifestStatus('creds/json')).toBe(401);
    expect(f.logs).not.toContain(PASSWORD);
  });

  it('pushes with a basic-auth Secret annotated tekton.dev/docker-0', async () => {
    const f = await push('push-basic', 'basic-pusher', 'creds/basic');
    expect(f.succeeded, explain(f)).toBe(true);
    expect(await manifestStatus('creds/basic', authHeader)).toBe(200);
  });

  it('fails to push without the ServiceAccount', async () => {
    const f = await push('push-anonymous', 'default', 'creds/anonymous');
    expect(f.succeeded).toBe(false);
    expect(await manifestStatus('creds/anonymous', authHeader)).toBe(404);
  });
});
