import { describe, expect, it } from 'vitest';
import { ResolutionCache } from './cache.js';
import { resolutionConfigFromEnv } from './config.js';
import type { ResolvedData, ResolveRequest } from './types.js';

const config = { ...resolutionConfigFromEnv(), ttlMs: 1000, immutableTtlMs: 10_000, maxEntries: 2 };
const req = (params: Record<string, string>): ResolveRequest => ({
  resolver: 'git', namespace: 'default', kind: 'task', params: Object.entries(params).map(([name, value]) => ({ name, value })),
});

function counter(data: Partial<ResolvedData> = {}) {
  let calls = 0;
  return { load: async () => { calls++; return { data: `v${calls}`, source: { uri: 'x' }, ...data }; }, calls: () => calls };
}

describe('ResolutionCache', () => {
  it('reuses an answer until its TTL passes; param order does not matter', async () => {
    let now = 0;
    const cache = new ResolutionCache(() => now);
    const c = counter();
    expect((await cache.lookup(req({ a: '1', b: '2' }), config, c.load)).data).toBe('v1');
    now = 999;
    expect((await cache.lookup(req({ b: '2', a: '1' }), config, c.load)).data).toBe('v1');
    now = 1001;
    expect((await cache.lookup(req({ a: '1', b: '2' }), config, c.load)).data).toBe('v2');
  });

  it('keeps immutable answers longer, and honours cache=never / cache=always', async () => {
    let now = 0;
    const cache = new ResolutionCache(() => now);
    const imm = counter({ immutable: true });
    await cache.lookup(req({ url: 'i' }), config, imm.load);
    now = 5000;
    await cache.lookup(req({ url: 'i' }), config, imm.load);
    expect(imm.calls()).toBe(1);
    const never = counter();
    await cache.lookup(req({ url: 'n', cache: 'never' }), config, never.load);
    await cache.lookup(req({ url: 'n', cache: 'never' }), config, never.load);
    expect(never.calls()).toBe(2);
  });

  it('shares one load between concurrent lookups and forgets failures', async () => {
    const cache = new ResolutionCache(() => 0);
    const c = counter();
    await Promise.all([cache.lookup(req({ u: '1' }), config, c.load), cache.lookup(req({ u: '1' }), config, c.load)]);
    expect(c.calls()).toBe(1);
    let fail = true;
    const flaky = async () => { if (fail) throw new Error('boom'); return { data: 'ok', source: { uri: 'x' } }; };
    await expect(cache.lookup(req({ u: 'f' }), config, flaky)).rejects.toThrow('boom');
    fail = false;
    expect((await cache.lookup(req({ u: 'f' }), config, flaky)).data).toBe('ok');
  });

  it('keeps at most maxEntries', async () => {
    const cache = new ResolutionCache(() => 0);
    for (const u of ['1', '2', '3']) await cache.lookup(req({ u }), config, counter().load);
    expect(cache.size).toBe(2);
  });

  it('serves the last answer when fetching again fails (stale-if-error), and tries again after the TTL', async () => {
    let now = 0;
    const cache = new ResolutionCache(() => now);
    let up = true;
    let calls = 0;
    const load = async () => { calls++; if (!up) throw new Error('server down'); return { data: `v${calls}`, source: { uri: 'x' } }; };
    expect((await cache.lookup(req({ u: 's' }), config, load)).data).toBe('v1');
    up = false;
    now = 2000;
    expect((await cache.lookup(req({ u: 's' }), config, load)).data).toBe('v1');
    expect(calls).toBe(2);
    up = true;
    now = 4000;
    expect((await cache.lookup(req({ u: 's' }), config, load)).data).toBe('v3');
    await expect(cache.lookup(req({ u: 'never-worked' }), config, async () => { throw new Error('down'); })).rejects.toThrow('down');
  });
});
