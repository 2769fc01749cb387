/**
 * Writes trigger outcomes as core/v1 Events whose involvedObject is the EventListener, the way client-go's event
 * recorder does: the first 10 similar outcomes (same EventListener, reason and type) within 10 minutes are one
 * Event each; past that, similar outcomes are combined, once a second, into one Event whose `count` says how many
 * happened and whose message is the latest one prefixed "(combined from similar events): ". So a burst of
 * webhooks costs a few Event writes a second, not one per webhook. Best effort: writes run in the background, a
 * few at a time, with a bound on how many may wait; a failed or dropped write is only counted.
 */
import { hostname } from 'node:os';
import type { EventListener, KubeObject } from '../api/types.js';
import { describeOutcome, type TriggerOutcome } from './outcome.js';

/** Writes Kubernetes Events for outcomes. */
export interface OutcomeRecorder {
  record(el: EventListener, eventId: string, outcome: TriggerOutcome): void;
  recordFailure(el: EventListener, eventId: string, reason: string, message: string): void;
  /** Resolves when every pending write has finished. */
  flush(): Promise<void>;
  readonly stats: { written: number; failed: number; dropped: number };
}

const HOST = hostname();

/** What an Event says; `count` and `first` describe combined similar events. */
export interface EventDescription {
  reason: string;
  message: string;
  warning: boolean;
  count?: number;
  first?: Date;
}

const kubeTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Builds the Event object (pure). */
export function eventObject(el: EventListener, o: EventDescription, now: Date): KubeObject {
  const ts = kubeTime(now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${el.metadata.name ?? 'eventlistener'}.`, namespace: el.metadata.namespace ?? 'default' },
    involvedObject: {
      apiVersion: el.apiVersion, kind: 'EventListener', name: el.metadata.name, namespace: el.metadata.namespace,
      ...(el.metadata.uid ? { uid: el.metadata.uid } : {}),
    },
    reason: o.reason,
    message: o.message.slice(0, 1024),
    type: o.warning ? 'Warning' : 'Normal',
    source: { component: 'eventlistener' },
    reportingComponent: 'tektite.dev/eventlistener',
    reportingInstance: HOST,
    firstTimestamp: o.first ? kubeTime(o.first) : ts,
    lastTimestamp: ts,
    count: o.count ?? 1,
  };
}

/** Options of {@link outcomeRecorder}. */
export interface RecorderOptions {
  /** Event writes in flight at most (default 4). */
  maxInFlight?: number;
  /** Event writes waiting at most; more are dropped (default 1000). */
  maxQueued?: number;
  /** Similar outcomes written one by one per window before they are combined (default 10, as client-go). */
  maxSimilar?: number;
  /** The window of `maxSimilar` (default 10 minutes, as client-go). */
  similarWindowMs?: number;
  /** How often combined outcomes are written (default 1 s). */
  combineEveryMs?: number;
  now?: () => Date;
}

interface Combined {
  el: EventListener;
  desc: EventDescription;
  count: number;
  first: Date;
  last: Date;
}

/**
 * A recorder that creates Events through `create`, at most `maxInFlight` at a time so that Event writes never
 * crowd out run creation; up to `maxQueued` wait, further ones are dropped (counted). Similar outcomes beyond
 * `maxSimilar` per window are combined (see the module comment).
 */
export function outcomeRecorder(create: (obj: KubeObject) => Promise<unknown>, opts: RecorderOptions = {}): OutcomeRecorder {
  const now = opts.now ?? (() => new Date());
  const writer = boundedWriter(create, opts.maxInFlight ?? 4, opts.maxQueued ?? 1000);
  const alone = similarGate(opts.maxSimilar ?? 10, opts.similarWindowMs ?? 600_000);
  const combined = new Map<string, Combined>();
  let timer: NodeJS.Timeout | undefined;
  const writeCombined = (): void => {
    clearTimeout(timer);
    timer = undefined;
    for (const c of combined.values()) {
      const message = `(combined from similar events): ${c.desc.message}`;
      writer.write(eventObject(c.el, { ...c.desc, message, count: c.count, first: c.first }, c.last));
    }
    combined.clear();
  };
  const record = (el: EventListener, desc: EventDescription): void => {
    const t = now();
    const key = `${el.metadata.namespace ?? ''}/${el.metadata.name ?? ''}/${el.metadata.uid ?? ''}\u0000${desc.reason}\u0000${desc.warning}`;
    if (alone(key, t.getTime())) {
      writer.write(eventObject(el, desc, t));
      return;
    }
    const c = combined.get(key);
    if (c) Object.assign(c, { el, desc, count: c.count + 1, last: t });
    else combined.set(key, { el, desc, count: 1, first: t, last: t });
    timer ??= setTimeout(writeCombined, opts.combineEveryMs ?? 1000).unref();
  };
  return {
    stats: writer.stats,
    record: (el, eventId, o) => record(el, outcomeDescription(eventId, o)),
    recordFailure: (el, eventId, reason, message) => record(el, { reason, message: `${message} (event ${eventId})`, warning: true }),
    flush() {
      writeCombined();
      return writer.idle();
    },
  };
}

/** Answers true while fewer than `max` similar outcomes (same key) were seen in the current window. */
function similarGate(max: number, windowMs: number): (key: string, at: number) => boolean {
  const seen = new Map<string, { since: number; count: number }>();
  return (key, at) => {
    let s = seen.get(key);
    if (!s || at - s.since > windowMs) {
      if (seen.size >= 1000) seen.clear();
      seen.set(key, (s = { since: at, count: 0 }));
    }
    s.count += 1;
    return s.count <= max;
  };
}

/** Runs `create` for queued objects, `maxInFlight` at a time, dropping past `maxQueued` waiting. */
function boundedWriter(create: (obj: KubeObject) => Promise<unknown>, maxInFlight: number, maxQueued: number): { write(obj: KubeObject): void; idle(): Promise<void>; stats: OutcomeRecorder['stats'] } {
  const queue: KubeObject[] = [];
  const stats = { written: 0, failed: 0, dropped: 0 };
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const pump = (): void => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const obj = queue.shift() as KubeObject;
      inFlight += 1;
      void create(obj).then(() => { stats.written += 1; }, () => { stats.failed += 1; }).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
    if (inFlight === 0 && queue.length === 0) for (const w of waiters.splice(0)) w();
  };
  return {
    stats,
    write(obj) {
      if (queue.length >= maxQueued) {
        stats.dropped += 1;
        return;
      }
      queue.push(obj);
      pump();
    },
    idle() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => { waiters = [...waiters, resolve]; });
    },
  };
}

function outcomeDescription(eventId: string, o: TriggerOutcome): EventDescription {
  const warning = o.status !== 'created' && o.status !== 'skipped';
  return { reason: o.reason, message: `${describeOutcome(o)} (event ${eventId})`, warning };
}

/** A recorder that writes nothing. */
export const noRecorder: OutcomeRecorder = {
  stats: { written: 0, failed: 0, dropped: 0 },
  record() {},
  recordFailure() {},
  async flush() {},
};
