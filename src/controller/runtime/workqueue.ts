/**
 * A keyed work queue like client-go's: a key is queued at most once, is never processed by two workers at
 * once (a key added while it is processed is re-queued after), and failing keys come back with per-key
 * exponential backoff. Level-triggered reconcilers only ever see keys, never events.
 */

export interface WorkQueueOptions {
  /** First retry delay after a failure (ms). */
  baseDelayMs?: number;
  /** Longest retry delay (ms). */
  maxDelayMs?: number;
}

/** A deduplicating queue of string keys with delayed adds and per-key failure backoff. */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirtyWhileProcessing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(opts: WorkQueueOptions = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
  }

  /** Queues a key now (no-op when it is already queued). */
  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirtyWhileProcessing.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queued.add(key);
    this.queue.push(key);
  }

  /** Queues a key after a delay; of several pending delays for one key, the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = performance.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { timer, at });
  }

  /** Re-queues a failed key with exponential backoff. */
  addRateLimited(key: string): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1)));
  }

  /**
   * Drops a key's pending delayed re-queue: a reconcile that succeeded without asking for one saw a state newer than
   * whatever asked (a finished run's timeout timer would otherwise stay, with its key, until it fires).
   */
  cancelDelayed(key: string): void {
    const t = this.timers.get(key);
    if (!t) return;
    clearTimeout(t.timer);
    this.timers.delete(key);
  }

  /** Forgets a key's failure count after a success. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Waits for the next key; undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.queued.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks a key's processing finished; it is queued again (after `dirtyDelayMs`) if it was added meanwhile. */
  done(key: string, dirtyDelayMs = 0): void {
    this.processing.delete(key);
    if (this.dirtyWhileProcessing.delete(key)) this.addAfter(key, dirtyDelayMs);
  }

  /** Number of keys waiting. */
  get length(): number {
    return this.queue.length;
  }

  /** Stops handing out keys; pending get() calls resolve with undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
