import { describe, expect, it } from 'vitest';
import type { TaskRun } from '../../api/types.js';
import { PinnedSpecs } from './pinned.js';
import type { Fetched } from './resolve.js';

const run = (uid: string): TaskRun => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r', namespace: 'ns', uid }, spec: {} });
const ok = (word: string): Fetched => ({ ok: true, spec: { steps: [{ name: word, image: 'busybox' }] }, stepActions: new Map() });

describe('PinnedSpecs', () => {
  it('fetches once per run, again for a new run of the same name, and not after a failed fetch', async () => {
    const pins = new PinnedSpecs();
    let fetches = 0;
    const fetch = (f: Fetched) => async () => { fetches += 1; return f; };
    const first = await pins.fetched('ns/r', run('a'), fetch(ok('one')));
    expect(await pins.fetched('ns/r', run('a'), fetch(ok('two')))).toBe(first);
    expect(fetches).toBe(1);
    // the same name, another run (deleted and created again): fetched anew
    const other = await pins.fetched('ns/r', run('b'), fetch(ok('three')));
    expect(other.ok && other.spec.steps?.[0]?.name).toBe('three');
    const failed: Fetched = { ok: false, reason: 'TaskRunResolutionFailed', message: 'gone' };
    pins.forget('ns/r');
    await pins.fetched('ns/r', run('c'), fetch(failed));
    expect(pins.size).toBe(0);
    expect(fetches).toBe(3);
  });

  it('resolves once per attempt, frozen; unpinned runs resolve every time', async () => {
    const pins = new PinnedSpecs();
    const fetched = await pins.fetched('ns/r', run('a'), async () => ok('one'));
    let resolves = 0;
    const resolve = () => { resolves += 1; return { ok: true as const, spec: { steps: [{ name: `attempt-${resolves}`, image: 'busybox' }] } }; };
    const a0 = pins.resolved('ns/r', run('a'), fetched, 0, resolve);
    expect(pins.resolved('ns/r', run('a'), fetched, 0, resolve)).toBe(a0);
    expect(Object.isFrozen(a0.ok && a0.spec.steps)).toBe(true);
    const a1 = pins.resolved('ns/r', run('a'), fetched, 1, resolve);
    expect(a1).not.toBe(a0);
    expect(resolves).toBe(2);
    pins.resolved('ns/other', run('z'), ok('x'), 0, resolve);
    pins.resolved('ns/other', run('z'), ok('x'), 0, resolve);
    expect(resolves).toBe(4);
  });
});
