import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { OwnWrites, sameMetadata } from './own-writes.js';

const obj = (name: string, rv?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', ...(rv ? { resourceVersion: rv } : {}), ...extra } }) as KubeObject;

describe('OwnWrites: echoes of a controller\'s own writes', () => {
  it('an added object is own while its create is in flight and at the version the create answered, once', async () => {
    const own = new OwnWrites();
    let release: (o: KubeObject) => void = () => undefined;
    const creating = own.create(obj('a'), () => new Promise<KubeObject>((r) => (release = r)));
    // the watch delivered it before the answer came
    expect(own.isOwnCreate(obj('a', '5'))).toBe(true);
    release(obj('a', '5'));
    await creating;
    const b = own.create(obj('b'), async () => obj('b', '7'));
    await b;
    expect(own.isOwnCreate(obj('b', '8'))).toBe(false);
    await own.create(obj('c'), async () => obj('c', '9'));
    expect(own.isOwnCreate(obj('c', '9'))).toBe(true);
    expect(own.isOwnCreate(obj('c', '9'))).toBe(false);
    expect(own.isOwnCreate(obj('unknown', '1'))).toBe(false);
  });

  it('a failed create is forgotten and its error passed on', async () => {
    const own = new OwnWrites();
    await expect(own.create(obj('a'), async () => { throw new Error('AlreadyExists'); })).rejects.toThrow('AlreadyExists');
    expect(own.isOwnCreate(obj('a', '1'))).toBe(false);
  });

  it('remembers the last two statuses written per object, compared as JSON; forget drops them', () => {
    const own = new OwnWrites();
    own.writingStatus('ns/a', { phase: 1 });
    own.writingStatus('ns/a', { phase: 2, list: [1] });
    own.writingStatus('ns/a', { phase: 3 });
    expect(own.isOwnStatus('ns/a', { phase: 1 })).toBe(false);
    expect(own.isOwnStatus('ns/a', { list: [1], phase: 2 })).toBe(true);
    expect(own.isOwnStatus('ns/a', { phase: 3 })).toBe(true);
    expect(own.isOwnStatus('ns/b', { phase: 3 })).toBe(false);
    own.forget('ns/a');
    expect(own.isOwnStatus('ns/a', { phase: 3 })).toBe(false);
  });

  it('sameMetadata: what a status write leaves alone', () => {
    const a = obj('a', '1', { labels: { x: '1' }, generation: 1 });
    expect(sameMetadata(obj('a', '2', { labels: { x: '1' }, generation: 1 }), a)).toBe(true);
    expect(sameMetadata(obj('a', '2', { labels: { x: '2' }, generation: 1 }), a)).toBe(false);
    expect(sameMetadata(obj('a', '2', { labels: { x: '1' }, generation: 2 }), a)).toBe(false);
    expect(sameMetadata(obj('a', '2', { labels: { x: '1' }, generation: 1, deletionTimestamp: 'now' }), a)).toBe(false);
  });
});
