/**
 * Leader election for controller replicas: every replica runs a {@link LeaderElector}; the one holding the Lease
 * runs the leader's work, the others retry every retry period. The leader renews every retry period; when it
 * cannot renew for `renewDeadline` (or finds another holder), it stops its work at once. Because the renew
 * deadline is shorter than the lease duration, the old leader has stopped before any other replica sees the
 * Lease expire and takes over. On stop the Lease is released so a successor starts without waiting for expiry.
 */
import type { Logger } from '../runtime/controller.js';
import { silentLogger } from '../runtime/controller.js';
import type { KubeClient } from '../../kube/client.js';
import { acquireOrRenew, LeaseObserver, releaseLease } from './lease.js';

/** Work that runs only while leading. */
export interface LeaderWork {
  stop(): Promise<void>;
}

/** Options of {@link LeaderElector}. */
export interface LeaderElectorOptions {
  client: KubeClient;
  /** Namespace and name of the Lease. */
  namespace: string;
  name: string;
  /** This replica's identity (pod name, or host + pid). */
  identity: string;
  /** Starts the leader's work (controllers); called each time leadership is gained. */
  startLeading: () => Promise<LeaderWork>;
  /** Called after the work stopped because leadership was lost (not on a requested stop). */
  onLostLeadership?: () => void;
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log?: Logger;
  now?: () => Date;
}

/** Defaults after knative/client-go: 15 s lease, 10 s renew deadline, 2 s retry period. */
export const LEADER_DEFAULTS = { leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

/** Runs the election loop for one replica. */
export class LeaderElector {
  private readonly observer = new LeaseObserver();
  private readonly log: Logger;
  private leading = false;
  private lastRenew = 0;
  private work?: Promise<LeaderWork | undefined>;
  private workFailed = false;
  private stopped = false;
  private wake?: () => void;
  private loopDone?: Promise<void>;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.log = opts.log ?? silentLogger;
    const lease = opts.leaseDurationSeconds ?? LEADER_DEFAULTS.leaseDurationSeconds;
    if (this.renewDeadline >= lease * 1000) throw new Error('renewDeadline must be shorter than the lease duration');
    if (this.retryPeriod >= this.renewDeadline) throw new Error('retryPeriod must be shorter than renewDeadline');
  }

  private get renewDeadline(): number { return this.opts.renewDeadlineMs ?? LEADER_DEFAULTS.renewDeadlineMs; }
  private get retryPeriod(): number { return this.opts.retryPeriodMs ?? LEADER_DEFAULTS.retryPeriodMs; }

  /** True while this replica holds the Lease and runs the work. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning (returns at once). */
  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Stops campaigning: stops the work if leading, then releases the Lease (unless `release: false`). */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loopDone;
    const wasLeading = this.leading;
    await this.stopWork();
    if (wasLeading && opts.release !== false) {
      const p = { client: this.opts.client, namespace: this.opts.namespace, name: this.opts.name, identity: this.opts.identity, now: this.now };
      await releaseLease(p).then((ok) => ok && this.log.info({ lease: this.opts.name }, 'released leader lease'))
        .catch((err: unknown) => this.log.warn({ err: String(err) }, 'could not release leader lease'));
    }
  }

  private readonly now = (): Date => (this.opts.now ? this.opts.now() : new Date());

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.round();
      if (this.stopped) break;
      const jitter = this.leading ? 1 : 1 + Math.random() * 0.2;
      await this.sleep(this.retryPeriod * jitter);
    }
  }

  private async round(): Promise<void> {
    try {
      const out = await withTimeout(acquireOrRenew({
        client: this.opts.client, namespace: this.opts.namespace, name: this.opts.name, identity: this.opts.identity,
        leaseDurationSeconds: this.opts.leaseDurationSeconds ?? LEADER_DEFAULTS.leaseDurationSeconds, observer: this.observer, now: this.now,
      }), this.renewDeadline / 2);
      if (out.held && this.workFailed) {
        await this.giveUp();
      } else if (out.held) {
        this.lastRenew = performance.now();
        if (!this.leading) this.becomeLeader();
      } else if (this.leading) {
        await this.loseLeadership(`lease is held by "${out.holder}" (${out.reason})`);
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (this.leading && performance.now() - this.lastRenew > this.renewDeadline) {
        await this.loseLeadership(`could not renew the lease within ${this.renewDeadline} ms: ${msg}`);
      } else {
        this.log.warn({ lease: this.opts.name, err: msg }, 'leader election round failed');
      }
    }
  }

  private becomeLeader(): void {
    this.leading = true;
    this.log.info({ lease: `${this.opts.namespace}/${this.opts.name}` }, 'became leader');
    this.work = this.opts.startLeading().catch((err: unknown) => {
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'leader work failed to start; giving the lease up');
      this.workFailed = true;
      this.wake?.();
      return undefined;
    });
  }

  /** The work could not start: step down and release the Lease so that another replica can try. */
  private async giveUp(): Promise<void> {
    await this.loseLeadership('the leader work failed to start');
    this.workFailed = false;
    const p = { client: this.opts.client, namespace: this.opts.namespace, name: this.opts.name, identity: this.opts.identity, now: this.now };
    await releaseLease(p).catch(() => false);
    await this.sleep(this.retryPeriod * 2);
  }

  private async loseLeadership(why: string): Promise<void> {
    this.log.warn({ lease: `${this.opts.namespace}/${this.opts.name}`, why }, 'lost leadership; stopping controllers');
    await this.stopWork();
    this.opts.onLostLeadership?.();
  }

  private async stopWork(): Promise<void> {
    this.leading = false;
    const work = this.work;
    this.work = undefined;
    const w = await work;
    await w?.stop();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void { clearTimeout(t); resolve(); }
      this.wake = done;
    });
  }
}

/** Rejects when `p` has not settled within `ms` (a hung API call must not keep a leader past its deadline). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lease request timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
