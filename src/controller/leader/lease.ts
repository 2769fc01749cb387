/**
 * One round of leader election on a coordination.k8s.io/v1 Lease, as client-go's resourcelock: read the Lease,
 * decide whether this candidate may hold it, and write it with the resourceVersion it was read at, so that of two
 * candidates racing for an expired Lease exactly one write succeeds (the other gets 409 Conflict).
 *
 * Expiry is judged on the local clock from the moment this candidate *observed* the current record (not from the
 * record's renewTime), so clock skew between machines cannot make a live leader look expired.
 */
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../kube/errors.js';

/** The Lease kind. */
export const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

/** The fields of a Lease's spec that leader election uses. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** A coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** What one round found. */
export type RoundOutcome =
  | { held: true; lease: Lease }
  | { held: false; holder: string; reason: 'held-by-other' | 'lost-race' };

/** Kubernetes MicroTime: RFC 3339 with microseconds (`2024-05-01T10:00:00.123000Z`). */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Remembers the last record seen and when (local monotonic clock), to judge expiry without trusting remote clocks. */
export class LeaseObserver {
  private record = '';
  private at = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Notes the record now held by the server; the observation time moves only when the record changed. */
  observe(spec: LeaseSpec | undefined): void {
    const rec = JSON.stringify([spec?.holderIdentity ?? '', spec?.renewTime ?? '', spec?.acquireTime ?? '', spec?.leaseTransitions ?? 0]);
    if (rec !== this.record) {
      this.record = rec;
      this.at = this.clock();
    }
  }

  /** True when the observed record has not changed for longer than its lease duration. */
  expired(spec: LeaseSpec | undefined): boolean {
    const durationMs = (spec?.leaseDurationSeconds ?? 0) * 1000;
    return this.clock() - this.at > durationMs;
  }
}

/** Parameters of one round. */
export interface RoundParams {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  observer: LeaseObserver;
  now: () => Date;
}

/** Tries to acquire or renew the Lease once. Transient API errors are thrown. */
export async function acquireOrRenew(p: RoundParams): Promise<RoundOutcome> {
  const current = await p.client.tryGet<Lease>(LEASE, p.namespace, p.name);
  const stamp = microTime(p.now());
  if (!current) {
    const lease: Lease = {
      ...LEASE,
      metadata: { name: p.name, namespace: p.namespace },
      spec: { holderIdentity: p.identity, leaseDurationSeconds: p.leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 },
    };
    try {
      const created = await p.client.create(lease);
      p.observer.observe(created.spec);
      return { held: true, lease: created };
    } catch (err) {
      if (isAlreadyExists(err)) return { held: false, holder: '', reason: 'lost-race' };
      throw err;
    }
  }
  p.observer.observe(current.spec);
  const holder = current.spec?.holderIdentity ?? '';
  const mine = holder === p.identity;
  if (!mine && holder !== '' && !p.observer.expired(current.spec)) return { held: false, holder, reason: 'held-by-other' };
  const spec: LeaseSpec = {
    ...current.spec,
    holderIdentity: p.identity,
    leaseDurationSeconds: p.leaseDurationSeconds,
    renewTime: stamp,
    acquireTime: mine ? (current.spec?.acquireTime ?? stamp) : stamp,
    leaseTransitions: (current.spec?.leaseTransitions ?? 0) + (mine ? 0 : 1),
  };
  try {
    const updated = await p.client.update<Lease>({ ...current, spec });
    p.observer.observe(updated.spec);
    return { held: true, lease: updated };
  } catch (err) {
    if (isConflict(err) || isNotFound(err)) return { held: false, holder, reason: 'lost-race' };
    throw err;
  }
}

/**
 * Gives the Lease up if this identity holds it: clears the holder and shortens the duration to 1 s, so another
 * candidate takes over at its next round instead of waiting for expiry (client-go's ReleaseOnCancel).
 */
export async function releaseLease(p: Omit<RoundParams, 'observer' | 'leaseDurationSeconds'>): Promise<boolean> {
  const current = await p.client.tryGet<Lease>(LEASE, p.namespace, p.name);
  if (!current || current.spec?.holderIdentity !== p.identity) return false;
  const stamp = microTime(p.now());
  try {
    await p.client.update<Lease>({ ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: stamp } });
    return true;
  } catch (err) {
    if (isConflict(err) || isNotFound(err)) return false;
    throw err;
  }
}
