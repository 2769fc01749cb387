/**
 * The bounded in-memory event log that watches resume from. Every write makes exactly one event, so the
 * retained events cover a contiguous resourceVersion range (floor, latest].
 */
import type { StoreEvent } from './store.js';

/** Recent events, oldest first; keeps at least `window` of them. */
export class EventLog {
  private events: StoreEvent[] = [];
  /** Every event with rv > floorRv is retained. */
  private floorRv = 0;

  constructor(private readonly window: number) {}

  /** Seeds the log after a restart: `events` are the persisted tail, `rv` the latest resourceVersion. */
  load(events: StoreEvent[], rv: number): void {
    this.events = events.slice(-this.window);
    const first = this.events[0];
    this.floorRv = first ? first.rv - 1 : rv;
  }

  /** Appends an event; answers the rv up to which older events were dropped, if any were. */
  append(ev: StoreEvent): number | undefined {
    this.events.push(ev);
    if (this.events.length < this.window * 2) return undefined;
    const dropped = this.events.splice(0, this.events.length - this.window);
    this.floorRv = (dropped[dropped.length - 1] as StoreEvent).rv;
    return this.floorRv;
  }

  /** How many events it keeps at least. */
  capacity(): number {
    return this.window;
  }

  /** The oldest rv a watch may resume from. */
  floor(): number {
    return this.floorRv;
  }

  /** Events with rv > `rv`, or undefined when some of them are no longer retained. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.floorRv) return undefined;
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.events[mid] as StoreEvent).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }
}
