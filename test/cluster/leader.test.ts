/**
 * Leader election against the real (embedded) API server: one holder at a time, handover on release, takeover
 * after a crashed leader's lease expires, and a leader that stops its work when it loses the Lease.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEASE, LeaderElector, type Lease } from '../../src/controller/leader/index.js';
import { startTestApi, waitFor, type TestApi } from './helpers.js';

let t: TestApi;
const electors: LeaderElector[] = [];
beforeEach(async () => { t = await startTestApi(); });
afterEach(async () => {
  for (const e of electors.splice(0)) await e.stop({ release: false });
  await t.close();
});

/** Tracks how many replicas run their leader work at once. */
class Work {
  active = new Set<string>();
  maxActive = 0;
  starts: string[] = [];
  stops: string[] = [];
  start(id: string) {
    return async () => {
      this.active.add(id);
      this.starts.push(id);
      this.maxActive = Math.max(this.maxActive, this.active.size);
      return { stop: async () => { this.active.delete(id); this.stops.push(id); } };
    };
  }
}

const fast = { leaseDurationSeconds: 2, renewDeadlineMs: 1200, retryPeriodMs: 200 };

function elector(work: Work, identity: string, extra: { onLostLeadership?: () => void } = {}): LeaderElector {
  const e = new LeaderElector({ client: t.client, namespace: 'default', name: 'tektite-controller', identity, startLeading: work.start(identity), ...fast, ...extra });
  electors.push(e);
  e.start();
  return e;
}

const holder = async () => (await t.client.tryGet<Lease>(LEASE, 'default', 'tektite-controller'))?.spec?.holderIdentity;

describe('leader election', () => {
  it('lets exactly one of several racing replicas lead, and the Lease names it', async () => {
    const work = new Work();
    const es = ['a', 'b', 'c', 'd'].map((id) => elector(work, id));
    await waitFor('a leader', () => es.some((e) => e.isLeader));
    await new Promise((r) => setTimeout(r, 1000)); // several renew rounds
    expect(es.filter((e) => e.isLeader)).toHaveLength(1);
    expect(work.maxActive).toBe(1);
    const leader = ['a', 'b', 'c', 'd'][es.findIndex((e) => e.isLeader)];
    expect(await holder()).toBe(leader);
    expect(work.starts).toEqual([leader]);
    const lease = await t.client.get<Lease>(LEASE, 'default', 'tektite-controller');
    expect(lease.spec?.leaseDurationSeconds).toBe(2);
    expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('hands over when the leader stops and releases the Lease', async () => {
    const work = new Work();
    const a = elector(work, 'a');
    await waitFor('a leads', () => a.isLeader);
    const b = elector(work, 'b');
    await a.stop();
    expect(work.stops).toEqual(['a']);
    await waitFor('b leads', () => b.isLeader);
    expect(await holder()).toBe('b');
    const lease = await t.client.get<Lease>(LEASE, 'default', 'tektite-controller');
    expect(lease.spec?.leaseTransitions).toBe(1);
    expect(work.maxActive).toBe(1);
  });

  it('takes over after a crashed leader (no release) once the Lease expires', async () => {
    const work = new Work();
    const a = elector(work, 'a');
    await waitFor('a leads', () => a.isLeader);
    const b = elector(work, 'b');
    await new Promise((r) => setTimeout(r, 500));
    expect(b.isLeader).toBe(false);
    await a.stop({ release: false }); // like SIGKILL: the Lease still names a
    expect(await holder()).toBe('a');
    await waitFor('b leads', () => b.isLeader);
    expect(await holder()).toBe('b');
    expect(work.starts).toEqual(['a', 'b']);
  });

  it('stops the work at once when another holder overwrites the Lease', async () => {
    const work = new Work();
    let lost = 0;
    const a = elector(work, 'a', { onLostLeadership: () => { lost += 1; } });
    await waitFor('a leads', () => a.isLeader);
    const lease = await t.client.get<Lease>(LEASE, 'default', 'tektite-controller');
    await t.client.update<Lease>({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', leaseDurationSeconds: 3600 } });
    await waitFor('a stops leading', () => !a.isLeader);
    expect(lost).toBe(1);
    expect(work.active.size).toBe(0);
    expect(work.stops).toEqual(['a']);
  });

  it('stops the work when the API server is gone past the renew deadline', async () => {
    const work = new Work();
    const a = elector(work, 'a');
    await waitFor('a leads', () => a.isLeader);
    await t.close();
    await waitFor('a stops leading', () => !a.isLeader, 20_000);
    expect(work.active.size).toBe(0);
  });
});

describe('leader election when the work cannot start', () => {
  it('steps down and lets another replica lead', async () => {
    const work = new Work();
    const broken = new LeaderElector({
      client: t.client, namespace: 'default', name: 'tektite-controller', identity: 'broken', ...fast,
      startLeading: async () => { throw new Error('cannot start'); },
    });
    electors.push(broken);
    broken.start();
    await waitFor('broken took the lease', async () => (await holder()) === 'broken');
    const b = elector(work, 'b');
    await waitFor('b leads', () => b.isLeader);
    expect(broken.isLeader).toBe(false);
    expect(work.starts).toEqual(['b']);
  });
});
