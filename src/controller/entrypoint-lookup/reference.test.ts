import { describe, expect, it } from 'vitest';
import { keyHost, secretAuths } from './credentials.js';
import { parseImageReference, pinnedReference } from './reference.js';
import { parseChallenge } from './registry.js';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseImageReference', () => {
  it.each([
    ['busybox', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/busybox', tag: 'latest' }],
    ['busybox:1.36', { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' }],
    ['docker.io/tekton/x:v1', { registry: 'docker.io', repository: 'tekton/x', tag: 'v1' }],
    ['index.docker.io/library/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['gcr.io/p/img', { registry: 'gcr.io', apiHost: 'gcr.io', repository: 'p/img', tag: 'latest' }],
    ['localhost/x', { registry: 'localhost', repository: 'x' }],
    ['127.0.0.1:5000/team/app:2', { registry: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', repository: 'team/app', tag: '2' }],
    [`ghcr.io/o/r@${D}`, { registry: 'ghcr.io', repository: 'o/r', digest: D }],
    [`ghcr.io/o/r:1@${D}`, { registry: 'ghcr.io', repository: 'o/r', digest: D, tag: '1' }],
  ])('%s', (image, want) => {
    expect(parseImageReference(image)).toMatchObject(want);
  });

  it('has no tag for digest references and rejects bad ones with the image named', () => {
    expect(parseImageReference(`x@${D}`).tag).toBeUndefined();
    expect(() => parseImageReference('Upper/Case')).toThrow(/image "Upper\/Case": invalid repository/);
    expect(() => parseImageReference('x@sha256:short')).toThrow(/invalid digest/);
  });

  it('pins to registry/repository@digest', () => {
    expect(pinnedReference(parseImageReference('busybox:1'), D)).toBe(`docker.io/library/busybox@${D}`);
  });
});

describe('parseChallenge', () => {
  it('reads Bearer parameters, quoted commas included', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"')).toEqual({
      scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('docker config secrets', () => {
  const secret = (key: string, json: unknown) => ({ apiVersion: 'v1', kind: 'Secret', metadata: {}, data: { [key]: Buffer.from(JSON.stringify(json)).toString('base64') } });
  it('reads dockerconfigjson (auth, or username/password) and dockercfg, keyed by host', () => {
    const auths = secretAuths(secret('.dockerconfigjson', { auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') },
      'registry.example.com:5000': { username: 'u', password: 'p' },
    } }));
    expect(auths.get('docker.io')).toEqual({ username: 'hub', password: 'pw:with:colons' });
    expect(auths.get('registry.example.com:5000')).toEqual({ username: 'u', password: 'p' });
    expect(secretAuths(secret('.dockercfg', { 'http://q.io/v2': { auth: Buffer.from('a:b').toString('base64') } })).get('q.io')).toEqual({ username: 'a', password: 'b' });
    expect(secretAuths({ apiVersion: 'v1', kind: 'Secret', metadata: {}, data: { '.dockerconfigjson': 'bm90IGpzb24=' } }).size).toBe(0);
    expect(keyHost('https://REGISTRY-1.docker.io/v1/')).toBe('docker.io');
  });
});
