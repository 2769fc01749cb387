/**
 * Writes each trigger outcome as a core/v1 Event whose involvedObject is the EventListener. Best effort: writes
 * run in the background with a bound on how many may be pending; a failed or dropped write is only counted.
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

/** Builds the Event object (pure). */
export function eventObject(el: EventListener, o: { reason: string; message: string; warning: boolean }, now: Date): KubeObject {
  const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
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
    reportingInstance: hostname(),
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
  };
}

/** A recorder that creates Events through `create`; at most `maxPending` writes in flight. */
export function outcomeRecorder(create: (obj: KubeObject) => Promise<unknown>, maxPending = 256): OutcomeRecorder {
  const pending = new Set<Promise<void>>();
  const stats = { written: 0, failed: 0, dropped: 0 };
  const write = (obj: KubeObject): void => {
    if (pending.size >= maxPending) {
      stats.dropped += 1;
      return;
    }
    const p: Promise<void> = create(obj).then(
      () => { stats.written += 1; },
      () => { stats.failed += 1; },
    ).finally(() => pending.delete(p));
    pending.add(p);
  };
  return {
    stats,
    record(el, eventId, outcome) {
      const warning = outcome.status !== 'created' && outcome.status !== 'skipped';
      write(eventObject(el, { reason: outcome.reason, message: `${describeOutcome(outcome)} (event ${eventId})`, warning }, new Date()));
    },
    recordFailure(el, eventId, reason, message) {
      write(eventObject(el, { reason, message: `${message} (event ${eventId})`, warning: true }, new Date()));
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** A recorder that writes nothing. */
export const noRecorder: OutcomeRecorder = {
  stats: { written: 0, failed: 0, dropped: 0 },
  record() {},
  recordFailure() {},
  async flush() {},
};
