/**
 * A controller: a work queue fed by informers, drained by a few async workers that call one reconcile
 * function per key. Outcomes are mapped in one place: a result may ask for a requeue after a delay; a thrown
 * error is logged and the key retried with backoff; conflicts (409) are retried at once.
 *
 * Expensive keys are paced: after two reconciles in a row of a key that took longer than {@link PACE_FROM_MS}, events
 * for that key wait until twice the last one's time has passed since it ended (requeue-after deadlines are not
 * delayed). One slow reconcile is not enough: the first of a key is often slow for reasons that do not recur (a cold
 * process compiling code paths, a resolver fetch), and pacing it would delay a short run's next step. A
 * PipelineRun of 5,000 tasks costs O(tasks) per reconcile and gets an event per TaskRun change; without pacing it
 * is reconciled once per event, O(tasks²) in all, and starves everything else.
 *
 * A reconciler that knows what its reconciles cost says so instead ({@link ReconcileResult.coalesceMs}): the
 * PipelineRun reconciler from the run's number of children, the TaskRun reconciler "never pace". Measured time is
 * a poor signal for them: under load it is mostly time spent waiting for a busy API server.
 */
import { isConflict, isNotFound } from '../../kube/errors.js';
import { WorkQueue } from './workqueue.js';

/** Reconciles cheaper than this (ms) are never paced. */
export const PACE_FROM_MS = 50;
const PACE_FACTOR = 4;
/** A slow reconcile (waiting on a busy server) delays the next by at most twice this (ms). */
const PACE_MAX_MS = 300;

/** What a reconcile asks for next. */
export interface ReconcileResult {
  requeueAfterMs?: number;
  /**
   * Events for this key that come within this long after the reconcile ends wait until then (one reconcile for a
   * burst). For keys whose every reconcile costs in proportion to a size the reconciler knows (a PipelineRun of
   * thousands of children). When set (0 included) it replaces the pacing by measured time for this key: a
   * reconcile's wall time mostly measures how busy the API server is, and pacing a small run for it delays
   * its next step. Requeues are never delayed by it.
   */
  coalesceMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A logger that drops everything (tests and quiet embedded runs). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export interface ControllerOptions {
  name: string;
  reconcile: Reconcile;
  workers?: number;
  log?: Logger;
}

/** Counters of a controller since it started (for benchmarks and metrics). */
export interface ControllerStats {
  reconciles: number;
  /** Reconciles that threw (other than NotFound), retried with backoff. */
  failures: number;
  /** Reconciles that hit a 409 Conflict and were retried at once. */
  conflicts: number;
  /** Wall time spent in reconcile (ms, summed over workers). */
  busyMs: number;
}

/** Runs reconcile for queued keys with a fixed number of concurrent workers. */
export class Controller {
  readonly queue = new WorkQueue();
  readonly stats: ControllerStats = { reconciles: 0, failures: 0, conflicts: 0, busyMs: 0 };
  private readonly log: Logger;
  private running: Promise<void>[] = [];
  /** Keys whose last reconcile was expensive: when it ended and what it cost (ms). */
  private readonly costly = new Map<string, { end: number; cost: number; streak: number }>();
  /** Keys whose reconcile asked that events be coalesced: until when. */
  private readonly coalesce = new Map<string, number>();

  constructor(private readonly opts: ControllerOptions) {
    this.log = opts.log ?? silentLogger;
  }

  /** Queues a key for reconciliation now, never paced (a change of the object itself that must not wait). */
  enqueueNow(key: string): void {
    this.queue.add(key);
  }

  /** Queues a key for reconciliation (paced when its last reconcile was expensive). */
  enqueue(key: string): void {
    const wait = this.paceOf(key);
    if (wait > 0) this.queue.addAfter(key, wait);
    else this.queue.add(key);
  }

  /** How long an event for `key` waits: twice its last reconcile's cost after it ended, when that was expensive. */
  private paceOf(key: string): number {
    const now = performance.now();
    const until = this.coalesce.get(key);
    const hinted = until === undefined ? 0 : until - now;
    if (until !== undefined && hinted <= 0) this.coalesce.delete(key);
    const c = this.costly.get(key);
    if (!c || c.streak < 2) return Math.max(0, hinted);
    return Math.max(0, hinted, c.end + PACE_FACTOR * c.cost - now);
  }

  private recordCoalesce(key: string, ms: number | undefined): void {
    if (ms === undefined || ms <= 0) this.coalesce.delete(key);
    else {
      this.coalesce.set(key, performance.now() + ms);
      if (this.coalesce.size > 10_000) this.coalesce.delete(this.coalesce.keys().next().value as string);
    }
  }

  private recordCost(key: string, t0: number): void {
    const end = performance.now();
    const cost = end - t0;
    if (cost < PACE_FROM_MS) this.costly.delete(key);
    else {
      this.costly.set(key, { end, cost: Math.min(cost, PACE_MAX_MS), streak: (this.costly.get(key)?.streak ?? 0) + 1 });
      if (this.costly.size > 10_000) this.costly.delete(this.costly.keys().next().value as string);
    }
  }

  /** Starts the workers. */
  start(): void {
    const n = this.opts.workers ?? 4;
    for (let i = 0; i < n; i++) this.running.push(this.worker());
  }

  /** Stops the workers after their current key. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.running);
    this.running = [];
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const requeueAfterMs = await this.process(key);
      this.queue.done(key, this.paceOf(key));
      // asked for by the reconcile itself (deadlines, unfinished work): never paced
      if (requeueAfterMs !== undefined) this.queue.addAfter(key, requeueAfterMs);
    }
  }

  /** Reconciles one key; answers the delay after which the key must be reconciled again, if any. */
  private async process(key: string): Promise<number | undefined> {
    const t0 = performance.now();
    this.stats.reconciles++;
    let sized = false;
    try {
      const result = await this.opts.reconcile(key);
      this.queue.forget(key);
      this.recordCoalesce(key, result?.coalesceMs);
      sized = result?.coalesceMs !== undefined;
      if (result?.requeueAfterMs === undefined) this.queue.cancelDelayed(key);
      return result?.requeueAfterMs !== undefined ? Math.max(0, result.requeueAfterMs) : undefined;
    } catch (err) {
      if (isNotFound(err)) {
        this.log.debug({ controller: this.opts.name, key }, 'object gone while reconciling');
        return undefined;
      }
      if (isConflict(err)) {
        this.stats.conflicts++;
        return 1;
      }
      this.log.warn({ controller: this.opts.name, key, err: err instanceof Error ? err.message : String(err) }, 'reconcile failed; retrying with backoff');
      this.stats.failures++;
      this.queue.addRateLimited(key);
      return undefined;
    } finally {
      this.stats.busyMs += performance.now() - t0;
      if (sized) this.costly.delete(key);
      else this.recordCost(key, t0);
    }
  }
}
