/**
 * Writes each trigger outcome as a core/v1 Event whose involvedObject is the EventListener. Best effort: writes
 * run in the background, a few at a time, with a bound on how many may wait; a failed or dropped write is only
 * counted.
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
    reportingInstance: HOST,
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
  };
}

/**
 * A recorder that creates Events through `create`, at most `maxInFlight` at a time so that Event writes never
 * crowd out run creation; up to `maxQueued` wait, further ones are dropped (counted), much as client-go's
 * event recorder drops under its spam filter.
 */
export function outcomeRecorder(create: (obj: KubeObject) => Promise<unknown>, opts: { maxInFlight?: number; maxQueued?: number } = {}): OutcomeRecorder {
  const maxInFlight = opts.maxInFlight ?? 4;
  const maxQueued = opts.maxQueued ?? 1000;
  const queue: KubeObject[] = [];
  const stats = { written: 0, failed: 0, dropped: 0 };
  let inFlight = 0;
  let idle: Array<() => void> = [];
  const pump = (): void => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const obj = queue.shift() as KubeObject;
      inFlight += 1;
      void create(obj).then(() => { stats.written += 1; }, () => { stats.failed += 1; }).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
    if (inFlight === 0 && queue.length === 0) for (const w of idle.splice(0)) w();
  };
  const write = (obj: KubeObject): void => {
    if (queue.length >= maxQueued) {
      stats.dropped += 1;
      return;
    }
    queue.push(obj);
    pump();
  };
  return {
    stats,
    record: (el, eventId, o) => write(outcomeEvent(el, eventId, o)),
    recordFailure: (el, eventId, reason, message) => write(eventObject(el, { reason, message: `${message} (event ${eventId})`, warning: true }, new Date())),
    flush() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => { idle = [...idle, resolve]; });
    },
  };
}

function outcomeEvent(el: EventListener, eventId: string, o: TriggerOutcome): KubeObject {
  const warning = o.status !== 'created' && o.status !== 'skipped';
  return eventObject(el, { reason: o.reason, message: `${describeOutcome(o)} (event ${eventId})`, warning }, new Date());
}

/** A recorder that writes nothing. */
export const noRecorder: OutcomeRecorder = {
  stats: { written: 0, failed: 0, dropped: 0 },
  record() {},
  recordFailure() {},
  async flush() {},
};
