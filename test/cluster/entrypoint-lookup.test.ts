/**
 * Entrypoint lookup against a real registry on loopback (Debian's docker-registry) holding images pushed by
 * podman: Tekton's ENTRYPOINT/CMD rule, image indexes (linux/amd64 picked), digest pinning and the cache, pull
 * secrets from the service account (htpasswd Basic auth and a Bearer token realm), and clear failures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { ImageLookupError, makeRegistryLookup, prefetchImageEntrypoints, type RegistryLookup } from '../../src/controller/entrypoint-lookup/index.js';
import { imageCommand } from '../../src/pod/image-entrypoints.js';
import { busyboxRootfs, has, htpasswdLine, podman, run, startRegistry, startTokenFront, type Registry, type TokenFront } from './registry-fixture.js';
import { startTestApi, type TestApi } from './helpers.js';

const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
const missing = [!BUSYBOX && 'busybox', ...(await Promise.all(['docker-registry', 'podman'].map(async (c) => ((await has(c)) ? undefined : c))))].filter(Boolean);
if (missing.length) console.log(`skipping entrypoint lookup registry tests: ${missing.join(', ')} not installed`);

let dir: string;
let open: Registry;
let locked: Registry | undefined;
let front: TokenFront;
let t: TestApi;
let lookup: RegistryLookup;
const digests: Record<string, string> = {};
const ctx = { namespace: 'default', serviceAccountName: 'builder' };

async function buildImages(pm: (a: string[]) => Promise<string>, rootfsTar: string): Promise<void> {
  await pm(['import', '--change', 'ENTRYPOINT ["/bin/sh", "-c"]', '--change', 'CMD ["echo from-cmd"]', rootfsTar, 'localhost/ep:1']);
  await pm(['import', '--change', 'CMD ["/bin/sh"]', rootfsTar, 'localhost/cmd:1']);
  await pm(['import', rootfsTar, 'localhost/bare:1']);
  await pm(['manifest', 'create', 'localhost/multi:1']);
  await pm(['manifest', 'add', '--os', 'linux', '--arch', 'arm64', 'localhost/multi:1', 'containers-storage:localhost/cmd:1']);
  await pm(['manifest', 'add', '--os', 'linux', '--arch', 'amd64', 'localhost/multi:1', 'containers-storage:localhost/ep:1']);
}

async function push(pm: (a: string[]) => Promise<string>, host: string, creds?: string): Promise<void> {
  const auth = creds ? ['--creds', creds] : [];
  const file = path.join(dir, 'digest');
  for (const [img, format] of [['ep', 'oci'], ['cmd', 'v2s2'], ['bare', 'oci']] as const) {
    await pm(['push', '--tls-verify=false', ...auth, '--format', format, '--digestfile', file, `localhost/${img}:1`, `${host}/${img}:1`]);
    digests[`${host}/${img}`] = fs.readFileSync(file, 'utf8').trim();
  }
  await pm(['manifest', 'push', '--all', '--tls-verify=false', ...auth, '--digestfile', file, 'localhost/multi:1', `docker://${host}/multi:1`]);
  digests[`${host}/multi`] = fs.readFileSync(file, 'utf8').trim();
}

function pullSecret(name: string, host: string, user: string, password: string): KubeObject {
  const cfg = { auths: { [host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } };
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(cfg)).toString('base64') } };
}

beforeAll(async () => {
  if (missing.length) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-registry-'));
  const rootfsTar = path.join(dir, 'rootfs.tar');
  await run('tar', ['-C', busyboxRootfs(dir, BUSYBOX!), '-cf', rootfsTar, '.']);
  const pm = podman(dir);
  await buildImages(pm, rootfsTar);
  open = await startRegistry(path.join(dir, 'open'));
  await push(pm, open.host);
  const line = await htpasswdLine('alice', 's3cret');
  if (line) {
    fs.writeFileSync(path.join(dir, 'htpasswd'), `${line}\n`);
    locked = await startRegistry(path.join(dir, 'locked'), path.join(dir, 'htpasswd'));
    await push(pm, locked.host, 'alice:s3cret');
  } else {
    console.log('skipping the htpasswd pull-secret case: neither htpasswd (apache2-utils) nor python3 crypt can make a bcrypt hash');
  }
  front = await startTokenFront(open.host, 'bob', 'hunter2');
  t = await startTestApi();
  lookup = makeRegistryLookup({ client: t.client, insecureRegistries: [open.host, front.host, ...(locked ? [locked.host] : [])] });
}, 180_000);

afterAll(async () => {
  if (missing.length) return;
  await front?.close();
  await Promise.all([open?.stop(), locked?.stop()]);
  await t?.close();
  await run('podman', ['--root', path.join(dir, 'storage'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs', 'system', 'reset', '--force']).catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing.length > 0)('entrypoint lookup against docker-registry', () => {
  it('reads ENTRYPOINT and CMD; with ENTRYPOINT, step args replace CMD', async () => {
    const info = await lookup(`${open.host}/ep:1`, ctx);
    expect(info).toMatchObject({ entrypoint: ['/bin/sh', '-c'], cmd: ['echo from-cmd'], digest: digests[`${open.host}/ep`], pinned: `${open.host}/ep@${digests[`${open.host}/ep`]}` });
    expect(imageCommand(info!, [])).toEqual(['/bin/sh', '-c', 'echo from-cmd']);
    expect(imageCommand(info!, ['echo mine'])).toEqual(['/bin/sh', '-c', 'echo mine']);
  });

  it('with CMD only (a Docker v2 schema 2 manifest), step args are appended to CMD', async () => {
    const info = await lookup(`${open.host}/cmd:1`, ctx);
    expect(info).toMatchObject({ cmd: ['/bin/sh'] });
    expect(info?.entrypoint).toBeUndefined();
    expect(imageCommand(info!, ['-c', 'echo hi'])).toEqual(['/bin/sh', '-c', 'echo hi']);
    const bare = await lookup(`${open.host}/bare:1`, ctx);
    expect(bare?.entrypoint).toBeUndefined();
    expect(bare?.cmd).toBeUndefined();
    expect(imageCommand(bare!, ['x'])).toBeUndefined();
  });

  it('picks linux/amd64 from an image index and pins the index digest', async () => {
    const info = await lookup(`${open.host}/multi:1`, ctx);
    expect(info).toMatchObject({ entrypoint: ['/bin/sh', '-c'], digest: digests[`${open.host}/multi`] });
    const arm = await makeRegistryLookup({ client: t.client, insecureRegistries: [open.host], platform: { os: 'linux', architecture: 'arm64' } })(`${open.host}/multi:1`, ctx);
    expect(arm).toMatchObject({ cmd: ['/bin/sh'] });
    expect(arm?.entrypoint).toBeUndefined();
    await expect(makeRegistryLookup({ client: t.client, insecureRegistries: [open.host], platform: { os: 'linux', architecture: 's390x' } })(`${open.host}/multi:1`, ctx))
      .rejects.toMatchObject({ reason: 'NoPlatform', message: expect.stringContaining('no linux/s390x entry') });
  });

  it('fails clearly for a missing image or tag', async () => {
    const err = await lookup(`${open.host}/nothing-here:1`, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageLookupError);
    expect(err).toMatchObject({ reason: 'NotFound' });
    expect((err as Error).message).toMatch(new RegExp(`image "${open.host}/nothing-here:1" not found: registry ${open.host} answered 404`));
    await expect(lookup(`${open.host}/ep:no-such-tag`, ctx)).rejects.toMatchObject({ reason: 'NotFound', message: expect.stringContaining('MANIFEST_UNKNOWN') });
  });

  it('answers a digest reference from the cache, and a known tag without fetching blobs again', async () => {
    const fresh = makeRegistryLookup({ client: t.client, insecureRegistries: [front.host] });
    await t.client.create(pullSecret('front-creds', front.host, 'bob', 'hunter2')).catch(() => undefined);
    await t.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'puller', namespace: 'default' }, imagePullSecrets: [{ name: 'front-creds' }] }).catch(() => undefined);
    const pctx = { namespace: 'default', serviceAccountName: 'puller' };
    const first = await fresh(`${front.host}/ep:1`, pctx);
    expect(first?.entrypoint).toEqual(['/bin/sh', '-c']);
    const n = front.requests.length;
    const byDigest = await fresh(`${front.host}/ep@${first!.digest}`, pctx);
    expect(byDigest).toEqual(first);
    expect(front.requests.length).toBe(n);
    await fresh(`${front.host}/ep:1`, pctx);
    expect(front.requests.slice(n).filter((r) => r.includes('/blobs/') || r.startsWith('GET'))).toEqual([]);
  });

  it('gets a Bearer token from the challenge realm with the pull secret\'s credentials', async () => {
    const fresh = makeRegistryLookup({ client: t.client, insecureRegistries: [front.host] });
    front.tokenRequests.length = 0;
    await expect(fresh(`${front.host}/cmd:1`, { namespace: 'default' })).rejects.toMatchObject({ reason: 'Unauthorized', message: expect.stringContaining('refused anonymous access') });
    const info = await fresh(`${front.host}/cmd:1`, { namespace: 'default', serviceAccountName: 'puller' });
    expect(info?.cmd).toEqual(['/bin/sh']);
    expect(front.tokenRequests.at(-1)).toEqual({ auth: `Basic ${Buffer.from('bob:hunter2').toString('base64')}`, scope: 'repository:cmd:pull', service: 'tektite-test' });
  });

  it('uses Basic credentials from the service account\'s imagePullSecrets (htpasswd registry)', async (c) => {
    if (!locked) return c.skip();
    const image = `${locked.host}/ep:1`;
    await expect(lookup(image, { namespace: 'default', serviceAccountName: 'nobody' })).rejects.toMatchObject({ reason: 'Unauthorized', message: expect.stringContaining('no credentials for this registry') });
    await t.client.create(pullSecret('wrong', locked.host, 'alice', 'nope'));
    await t.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'wrong-sa', namespace: 'default' }, imagePullSecrets: [{ name: 'wrong' }] });
    await expect(lookup(image, { namespace: 'default', serviceAccountName: 'wrong-sa' })).rejects.toMatchObject({ reason: 'Unauthorized', message: expect.stringContaining('credentials from imagePullSecrets were refused') });
    await t.client.create(pullSecret('regcred', locked.host, 'alice', 's3cret'));
    await t.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' }, imagePullSecrets: [{ name: 'unrelated' }, { name: 'regcred' }] });
    const info = await lookup(image, ctx);
    expect(info).toMatchObject({ entrypoint: ['/bin/sh', '-c'], cmd: ['echo from-cmd'] });
    // the TaskRun's podTemplate.imagePullSecrets are used too, before the ServiceAccount's (as Tekton)
    const fromTemplate = await lookup(image, { namespace: 'default', serviceAccountName: 'nobody', imagePullSecrets: ['regcred'] });
    expect(fromTemplate).toMatchObject({ entrypoint: ['/bin/sh', '-c'] });
  });

  it('prefetches the images of steps without command for buildPod, falling back to the built-in table', async () => {
    const spec = { steps: [
      { name: 'a', image: `${open.host}/cmd:1`, args: ['-c', 'echo a'] },
      { name: 'b', image: 'busybox' },
      { name: 'c', image: `${open.host}/nothing-here:1`, command: ['true'] },
      { name: 'd', image: `${open.host}/ep:1`, script: 'echo d' },
    ] };
    const seen: string[] = [];
    const counting: RegistryLookup = async (image, c) => { seen.push(image); return image === 'busybox' ? undefined : lookup(image, c); };
    const sync = await prefetchImageEntrypoints(spec as never, counting, ctx);
    expect(seen.sort()).toEqual([`${open.host}/cmd:1`, 'busybox']);
    expect(sync(`${open.host}/cmd:1`)).toEqual({ cmd: ['/bin/sh'] });
    expect(sync('busybox')).toEqual({ cmd: ['sh'] });
  });
});
