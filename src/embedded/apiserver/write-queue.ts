/**
 * Group commit for API writes: the writes of every request that is ready in one turn of the event loop run
 * together at the end of that turn (setImmediate) in one store transaction (Store.batch), so that concurrent
 * clients share one SQLite commit. Each write still runs against the state its predecessors left, and is answered
 * only after the transaction committed; watchers hear of the writes after the commit too, before the answers.
 * A write that fails for its own reasons (422, 409, ...) fails alone; a failed commit fails the whole batch.
 */
import type { Store } from './store.js';

interface Item {
  run: () => unknown;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Batches writes per event-loop turn. */
export class WriteQueue {
  private items: Item[] = [];
  private scheduled = false;

  /** `maxBatch` bounds one transaction; more writes go on in the next turn. */
  constructor(private readonly store: Store, private readonly maxBatch = 256) {}

  /** Runs `write` (synchronous store writes) in the current batch; resolves after its transaction committed. */
  submit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({ run: write, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const items = this.items.splice(0, this.maxBatch);
    if (this.items.length > 0) this.schedule();
    const outcomes: Outcome[] = [];
    try {
      this.store.batch(() => {
        for (const it of items) {
          try {
            outcomes.push({ ok: true, value: it.run() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (err) {
      for (const it of items) it.reject(err);
      return;
    }
    items.forEach((it, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) it.resolve(o.value);
      else it.reject(o.error);
    });
  }
}
