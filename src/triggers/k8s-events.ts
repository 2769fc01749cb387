/**
 * Trigger outcomes as core/v1 Events whose involvedObject is the EventListener, through the shared recorder
 * (src/kube/events.ts): client-go's batching and combining of similar events, written in the background, so a
 * burst of webhooks costs a few Event writes a second, not one per webhook.
 */
import type { EventListener, KubeObject } from '../api/types.js';
import { eventObject as sharedEventObject, eventRecorder, referenceTo, type EventRecorder, type RecorderOptions } from '../kube/events.js';
import { describeOutcome, type TriggerOutcome } from './outcome.js';

export type { RecorderOptions } from '../kube/events.js';

/** Writes Kubernetes Events for outcomes. */
export interface OutcomeRecorder {
  record(el: EventListener, eventId: string, outcome: TriggerOutcome): void;
  recordFailure(el: EventListener, eventId: string, reason: string, message: string): void;
  /** Triggers' own Event (reason = a `dev.tekton.event.triggers.*` type; Warning when there is an error message). */
  recordTriggersEvent(el: EventListener, type: string, error?: string): void;
  /** Resolves when every pending write has finished. */
  flush(): Promise<void>;
  readonly stats: EventRecorder['stats'];
}

/** What an outcome's Event says. */
export interface EventDescription {
  reason: string;
  message: string;
  warning: boolean;
  count?: number;
  first?: Date;
}

const SOURCE = { component: 'eventlistener' };

/** Builds the Event object about an EventListener (pure). */
export function eventObject(el: EventListener, o: EventDescription, now: Date): KubeObject {
  const { warning, ...rest } = o;
  return sharedEventObject(aboutListener(el), { ...rest, type: warning ? 'Warning' : 'Normal' }, SOURCE, now);
}

function aboutListener(el: EventListener) {
  return referenceTo({ ...el, kind: 'EventListener', metadata: { ...el.metadata, name: el.metadata.name ?? 'eventlistener', namespace: el.metadata.namespace ?? 'default' } });
}

/** A recorder of trigger outcomes that creates Events through `create` (see src/kube/events.ts for the options). */
export function outcomeRecorder(create: (obj: KubeObject) => Promise<unknown>, opts: RecorderOptions = {}): OutcomeRecorder {
  const events = eventRecorder(create, SOURCE, opts);
  const record = (el: EventListener, d: EventDescription): void => events.event(aboutListener(el), d.warning ? 'Warning' : 'Normal', d.reason, d.message);
  return {
    stats: events.stats,
    record: (el, eventId, o) => record(el, outcomeDescription(eventId, o)),
    recordFailure: (el, eventId, reason, message) => record(el, { reason, message: `${message} (event ${eventId})`, warning: true }),
    recordTriggersEvent: (el, type, error) => record(el, { reason: type, message: error ?? '', warning: error !== undefined }),
    flush: () => events.flush(),
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
  recordTriggersEvent() {},
  async flush() {},
};
