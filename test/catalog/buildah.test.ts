/**
 * catalog/task/buildah/0.1 run for real (embedded mode, host runtime): buildah builds from a base image made on
 * this machine (busybox, pushed to a docker-registry on loopback) and pushes to that registry. Checks the
 * IMAGE_DIGEST/IMAGE_URL results against the registry, BUILD_ARGS with spaces, and SKIP_PUSH.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, explain, hasCommand, hostRuntimeMissing, loadYaml } from './harness.js';
import { baseImageMissing, pushBusyboxBase } from './fixtures/base-image.js';
import { manifestDigest, registryMissing, startRegistry, tagsOf, type Registry } from './fixtures/registry.js';

/** Why buildah cannot be tested here, or undefined. */
export function buildahMissing(): string | undefined {
  if (!hasCommand('buildah')) return 'buildah is not installed';
  if (process.getuid?.() !== 0) return 'buildah in the host runtime needs root (no user-namespace storage setup here)';
  return hostRuntimeMissing() ?? registryMissing() ?? baseImageMissing();
}

const missing = buildahMissing();
if (missing) console.warn(`skipping buildah catalog tests: ${missing}`);

describe.skipIf(!!missing)('catalog buildah 0.1', () => {
  let cluster: Cluster;
  let dir: string;
  let registry: Registry;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-buildah-'));
    registry = await startRegistry(dir);
    base = await pushBusyboxBase(registry.host);
    cluster = await Cluster.start({ hostPorts: [Number(registry.host.split(':')[1])], allowPrivileged: true });
    await cluster.apply(loadYaml('catalog/task/buildah/0.1/buildah.yaml'));
  });
  afterAll(async () => {
    await cluster?.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function build(name: string, image: string, extra: Array<{ name: string; value: string | string[] }>) {
    const src = join(dir, name);
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nARG GREETING=none\nLABEL greeting="${GREETING}"\nCOPY app.txt /app/app.txt\nCMD ["/bin/sh"]\n');
    writeFileSync(join(src, 'app.txt'), `app ${name}\n`);
    const claimName = await cluster.hostDirClaim(src);
    return cluster.runTask({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name },
      spec: {
        taskRef: { name: 'buildah' },
        params: [{ name: 'IMAGE', value: image }, { name: 'TLSVERIFY', value: 'false' }, { name: 'STORAGE_DRIVER', value: 'vfs' }, ...extra],
        workspaces: [{ name: 'source', persistentVolumeClaim: { claimName } }],
      },
    });
  }

  it('builds and pushes; IMAGE_DIGEST is the digest the registry serves', async () => {
    const image = `${registry.host}/test/app:v1`;
    const f = await build('build-push', image, [{ name: 'BUILD_ARGS', value: [`BASE=${base}`, 'GREETING=hello world'] }]);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.IMAGE_URL).toBe(image);
    expect(f.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await manifestDigest(registry.host, 'test/app', 'v1')).toBe(f.results.IMAGE_DIGEST);
    const manifest = await (await fetch(`http://${registry.host}/v2/test/app/manifests/v1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json() as { config: { digest: string } };
    const config = await (await fetch(`http://${registry.host}/v2/test/app/blobs/${manifest.config.digest}`)).json() as { config: { Labels?: Record<string, string> } };
    expect(config.config.Labels?.greeting).toBe('hello world');
  });

  it('SKIP_PUSH builds without pushing', async () => {
    const f = await build('build-only', `${registry.host}/test/skipped:v1`, [{ name: 'BUILD_ARGS', value: [`BASE=${base}`] }, { name: 'SKIP_PUSH', value: 'true' }]);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.logs).toContain('Push skipped');
    expect(await tagsOf(registry.host, 'test/skipped')).toEqual([]);
  });

  it('fails when the base image is not in the registry', async () => {
    const f = await build('build-bad-base', `${registry.host}/test/bad:v1`, [{ name: 'BUILD_ARGS', value: [`BASE=${registry.host}/no/such:image`] }]);
    expect(f.succeeded).toBe(false);
  });
});
