/**
 * The bundles resolver against Debian's docker-registry on loopback: Tekton bundles (OCI images whose layers
 * carry dev.tekton.image.* annotations and hold one object in a tar) pushed with the distribution API; by tag and
 * by digest, gzipped and plain layers; failures naming the reference: unknown object in the bundle, unknown tag,
 * digest mismatch, unreachable registry.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTar } from '../../src/controller/resolution/tar.js';
import { pushImage, registryMissing, startRegistry, type Registry } from '../catalog/fixtures/registry.js';
import { closedPort, params, startTestApi, taskYaml, type TestApi } from './api.js';

const missing = registryMissing();
if (missing) console.warn(`skipping bundles resolver tests: ${missing}`);

function layer(kind: string, name: string, yaml: string, gzip: boolean) {
  const tar = writeTar([{ name, data: Buffer.from(yaml) }]);
  return {
    data: gzip ? gzipSync(tar) : tar,
    mediaType: gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar',
    annotations: { 'dev.tekton.image.apiVersion': 'tekton.dev/v1', 'dev.tekton.image.kind': kind, 'dev.tekton.image.name': name },
  };
}

describe.skipIf(!!missing)('bundles resolver', () => {
  let t: TestApi;
  let registry: Registry;
  let digest: string;
  let bundle: string;

  beforeAll(async () => {
    t = await startTestApi();
    registry = await startRegistry(t.dir);
    const pipeline = 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: release}\nspec:\n  tasks: [{name: b, taskRef: {name: build}}]\n';
    digest = await pushImage(registry.host, 'catalog/bundle', 'v1', [
      layer('task', 'build', taskYaml('build', 'from-bundle'), true),
      layer('pipeline', 'release', pipeline, false),
    ]);
    bundle = `${registry.host}/catalog/bundle:v1`;
  });
  afterAll(async () => {
    await registry?.stop();
    await t?.close();
  });

  const req = (p: Record<string, string>, kind: 'task' | 'pipeline' = 'task') => ({ resolver: 'bundles', namespace: 'default', kind, params: params(p) });

  it('resolves a Task (gzip layer) and a Pipeline (plain tar) by tag, and by digest', async () => {
    const r = t.resolution();
    const task = await r.resolve(t.client, req({ bundle, name: 'build', kind: 'task' }));
    expect(task.ok && (task.object.spec as { steps: Array<{ script: string }> }).steps[0]?.script).toBe('echo from-bundle');
    expect(task.ok && task.source).toEqual({ uri: bundle, digest: { sha256: digest.slice(7) }, entryPoint: 'build' });
    const p = await r.resolve(t.client, req({ bundle, name: 'release', kind: 'pipeline' }, 'pipeline'));
    expect(p.ok && p.object.kind).toBe('Pipeline');
    const pinned = await r.resolve(t.client, req({ bundle: `${registry.host}/catalog/bundle@${digest}`, name: 'build' }));
    expect(pinned.ok).toBe(true);
  });

  it('fails naming the reference: unknown object, unknown tag, digest mismatch, unreachable registry', async () => {
    const r = t.resolution();
    const noObj = await r.resolve(t.client, req({ bundle, name: 'deploy' }));
    expect(!noObj.ok && noObj.message).toBe(`resolver "bundles" (bundle=${bundle}, name=deploy): no task "deploy" in bundle ${bundle} (it holds: task/build, pipeline/release)`);
    const noTag = await r.resolve(t.client, req({ bundle: `${registry.host}/catalog/bundle:v9`, name: 'build' }));
    expect(!noTag.ok && noTag.message).toContain(`image not found: ${registry.host}/catalog/bundle/manifests/v9`);
    const wrong = `sha256:${'0'.repeat(64)}`;
    const mismatch = await r.resolve(t.client, req({ bundle: `${registry.host}/catalog/bundle@${wrong}`, name: 'build' }));
    expect(!mismatch.ok && mismatch.message).toMatch(/image not found|digest mismatch/);
    const port = await closedPort();
    const down = await r.resolve(t.client, req({ bundle: `127.0.0.1:${port}/catalog/bundle:v1`, name: 'build' }));
    expect(!down.ok && down.message).toContain(`cannot reach registry 127.0.0.1:${port}: ECONNREFUSED`);
    const bad = await r.resolve(t.client, req({ bundle: 'UPPER/Case:x', name: 'build' }));
    expect(!bad.ok && bad.message).toContain('is not a valid image reference');
  });

  it('checks digests itself: a registry serving other content for a digest is refused', async () => {
    // a misbehaving registry: any manifest reference answers the same manifest, any blob the same bytes
    const manifest = JSON.stringify({ schemaVersion: 2, layers: [{ digest: `sha256:${'1'.repeat(64)}`, annotations: { 'dev.tekton.image.kind': 'task', 'dev.tekton.image.name': 'build' } }] });
    const liar = createServer((req, res) => {
      if (req.url?.includes('/manifests/')) return void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest);
      res.end('not the blob you asked for');
    });
    await new Promise<void>((ok) => liar.listen(0, '127.0.0.1', ok));
    const host = `127.0.0.1:${(liar.address() as AddressInfo).port}`;
    try {
      const r = t.resolution();
      const wrong = `sha256:${'0'.repeat(64)}`;
      const byDigest = await r.resolve(t.client, req({ bundle: `${host}/x/y@${wrong}`, name: 'build' }));
      expect(!byDigest.ok && byDigest.message).toContain(`digest mismatch: ${host}/x/y@${wrong} has manifest digest sha256:`);
      const blob = await r.resolve(t.client, req({ bundle: `${host}/x/y:v1`, name: 'build' }));
      expect(!blob.ok && blob.message).toContain(`blob sha256:${'1'.repeat(64)} of ${host}/x/y has digest sha256:`);
    } finally {
      liar.closeAllConnections();
      await new Promise<void>((ok) => liar.close(() => ok()));
    }
  });
});
