/**
 * A controller: a work queue fed by informers, drained by a few async workers that call one reconcile
 * function per key. Outcomes are mapped in one place: a result may ask for a requeue after a delay; a thrown
 * error is logged and the key retried with backoff; conflicts (409) are retried at once.
 */
import { isConflict, isNotFound } from '../../kube/errors.js';
import { WorkQueue } from './workqueue.js';

/** What a reconcile asks for next. */
export interface ReconcileResult {
  requeueAfterMs?: number;
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

  constructor(private readonly opts: ControllerOptions) {
    this.log = opts.log ?? silentLogger;
  }

  /** Queues a key for reconciliation. */
  enqueue(key: string): void {
    this.queue.add(key);
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
      await this.process(key);
      this.queue.done(key);
    }
  }

  private async process(key: string): Promise<void> {
    const t0 = performance.now();
    this.stats.reconciles++;
    try {
      const result = await this.opts.reconcile(key);
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, Math.max(0, result.requeueAfterMs));
    } catch (err) {
      if (isNotFound(err)) {
        this.log.debug({ controller: this.opts.name, key }, 'object gone while reconciling');
        return;
      }
      if (isConflict(err)) {
        this.stats.conflicts++;
        this.queue.addAfter(key, 1);
        return;
      }
      this.log.warn({ controller: this.opts.name, key, err: err instanceof Error ? err.message : String(err) }, 'reconcile failed; retrying with backoff');
      this.stats.failures++;
      this.queue.addRateLimited(key);
    } finally {
      this.stats.busyMs += performance.now() - t0;
    }
  }
}
