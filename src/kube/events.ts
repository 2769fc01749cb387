/**
 * Kubernetes Events (core/v1) written the way client-go's event recorder writes them, shared by the controllers,
 * the embedded kubelet and the EventListener sinks. Recording never waits: `event()` only queues. The first 10
 * similar events (same object, source, type and reason) within 10 minutes are one Event each; past that, similar
 * events are combined, once a second, into one Event whose `count` says how many happened and whose message is
 * the latest one prefixed "(combined from similar events): " (client-go's EventAggregator). Writes run in the
 * background, a few at a time and at most 50 a second per process (the kubelet's event-qps), with a bound on how many may wait; a failed or dropped write is only counted, so a
 * slow or failing API server never slows the caller's hot path.
 */
import { hostname } from 'node:os';

let host: string | undefined;
/** The machine's name, read once (os.hostname() is a system call per Event otherwise). */
const hostName = (): string => (host ??= hostname());
import type { KubeObject } from '../api/types.js';

/** The object an Event is about (core/v1 ObjectReference). */
export interface ObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  fieldPath?: string;
}

export type EventType = 'Normal' | 'Warning';

/** What an Event says; `count` and `first` describe combined similar events. */
export interface EventDescription {
  type: EventType;
  reason: string;
  message: string;
  count?: number;
  first?: Date;
}

/** Who reports (core/v1 EventSource). */
export interface EventSource {
  component: string;
  host?: string;
}

/** Writes Kubernetes Events. */
export interface EventRecorder {
  event(about: ObjectReference, type: EventType, reason: string, message: string): void;
  /** Writes combined events now and resolves when every pending write has finished. */
  flush(): Promise<void>;
  readonly stats: { written: number; failed: number; dropped: number };
}

/** Options of {@link eventRecorder}. */
export interface RecorderOptions {
  /** Event writes in flight at most (default 4). */
  maxInFlight?: number;
  /** Event writes waiting at most; more are dropped (default 1000). */
  maxQueued?: number;
  /** Similar events written one by one per window before they are combined (default 10, as client-go). */
  maxSimilar?: number;
  /** The window of `maxSimilar` (default 10 minutes, as client-go). */
  similarWindowMs?: number;
  /** How often combined events are written (default 1 s). */
  combineEveryMs?: number;
  /**
   * Event writes per second at most, with bursts of `burst`. Without them every recorder of the process shares one
   * budget of 50/s, bursts of 100 (the kubelet's event-qps/burst): in embedded mode the controllers, the kubelet and
   * the scheduler together write no more Events than one kubelet would.
   */
  qps?: number;
  burst?: number;
  now?: () => Date;
}

const kubeTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

let sequence = 0;

/** client-go's Event name: `<object>.<hex timestamp>` (made unique within this process). */
function eventName(about: ObjectReference, at: Date): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${about.name}.${(BigInt(at.getTime()) * 1_000_000n + BigInt(sequence)).toString(16)}`;
}

/** A reference to a stored object, for {@link EventRecorder.event}. */
export function referenceTo(obj: KubeObject, fieldPath?: string): ObjectReference {
  const m = obj.metadata;
  return {
    apiVersion: obj.apiVersion, kind: obj.kind, name: m.name ?? '',
    ...(m.namespace ? { namespace: m.namespace } : {}), ...(m.uid ? { uid: m.uid } : {}), ...(fieldPath ? { fieldPath } : {}),
  };
}

/** Builds the Event object (pure). */
export function eventObject(about: ObjectReference, d: EventDescription, source: EventSource, now: Date): KubeObject {
  const ts = kubeTime(now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(about, now), namespace: about.namespace ?? 'default' },
    involvedObject: { ...about },
    reason: d.reason,
    message: d.message.slice(0, 1024),
    type: d.type,
    source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
    reportingComponent: source.component,
    reportingInstance: source.host ?? hostName(),
    firstTimestamp: d.first ? kubeTime(d.first) : ts,
    lastTimestamp: ts,
    count: d.count ?? 1,
  };
}

interface Combined {
  about: ObjectReference;
  desc: EventDescription;
  count: number;
  first: Date;
  last: Date;
}

/**
 * A recorder that creates Events through `create` (see the module comment), at most `maxInFlight` at a time so
 * that Event writes never crowd out real work; up to `maxQueued` wait, further ones are dropped (counted).
 */
export function eventRecorder(create: (obj: KubeObject) => Promise<unknown>, source: EventSource, opts: RecorderOptions = {}): EventRecorder {
  const now = opts.now ?? (() => new Date());
  const bucket = opts.qps !== undefined || opts.burst !== undefined ? tokenBucket(opts.qps ?? 50, opts.burst ?? 100) : processBucket();
  const writer = boundedWriter(create, { maxInFlight: opts.maxInFlight ?? 4, maxQueued: opts.maxQueued ?? 1000, bucket });
  const alone = similarGate(opts.maxSimilar ?? 10, opts.similarWindowMs ?? 600_000);
  const combined = new Map<string, Combined>();
  let timer: NodeJS.Timeout | undefined;
  const writeCombined = (): void => {
    clearTimeout(timer);
    timer = undefined;
    for (const c of combined.values()) {
      const message = `(combined from similar events): ${c.desc.message}`;
      writer.write(() => eventObject(c.about, { ...c.desc, message, count: c.count, first: c.first }, source, c.last));
    }
    combined.clear();
  };
  return {
    stats: writer.stats,
    event(about, type, reason, message) {
      const t = now();
      const desc: EventDescription = { type, reason, message };
      const key = `${about.namespace ?? ''}/${about.kind}/${about.name}/${about.uid ?? ''}/${about.fieldPath ?? ''}\u0000${reason}\u0000${type}`;
      if (alone(key, t.getTime())) {
        writer.write(() => eventObject(about, desc, source, t));
        return;
      }
      const c = combined.get(key);
      if (c) Object.assign(c, { about, desc, count: c.count + 1, last: t });
      else combined.set(key, { about, desc, count: 1, first: t, last: t });
      timer ??= setTimeout(writeCombined, opts.combineEveryMs ?? 1000).unref();
    },
    flush() {
      writeCombined();
      return writer.idle();
    },
  };
}

/** Answers true while fewer than `max` similar events (same key) were seen in the current window. */
function similarGate(max: number, windowMs: number): (key: string, at: number) => boolean {
  const seen = new Map<string, { since: number; count: number }>();
  return (key, at) => {
    let s = seen.get(key);
    if (!s || at - s.since > windowMs) {
      if (seen.size >= 4096) seen.clear();
      seen.set(key, (s = { since: at, count: 0 }));
    }
    s.count += 1;
    return s.count <= max;
  };
}

/** A token bucket: `take()` answers true when a write may go now, else `waitMs` says when to ask again. */
interface Bucket {
  take(): boolean;
  readonly waitMs: number;
}

function tokenBucket(qps: number, burst: number): Bucket {
  let tokens = burst;
  let refilled = performance.now();
  return {
    waitMs: Math.ceil(1000 / qps),
    take() {
      const t = performance.now();
      tokens = Math.min(burst, tokens + ((t - refilled) / 1000) * qps);
      refilled = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

let shared: Bucket | undefined;

/** The budget every recorder of this process shares by default (50/s, bursts of 100). */
function processBucket(): Bucket {
  shared ??= tokenBucket(50, 100);
  return shared;
}

interface WriterLimits {
  maxInFlight: number;
  maxQueued: number;
  bucket: Bucket;
}

/**
 * Runs `create` for queued objects, `maxInFlight` at a time and as the token bucket allows, dropping past
 * `maxQueued` waiting.
 */
function boundedWriter(create: (obj: KubeObject) => Promise<unknown>, limits: WriterLimits): { write(make: () => KubeObject): void; idle(): Promise<void>; stats: EventRecorder['stats'] } {
  const queue: KubeObject[] = [];
  const stats = { written: 0, failed: 0, dropped: 0 };
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    while (inFlight < limits.maxInFlight && queue.length > 0) {
      if (!limits.bucket.take()) {
        timer ??= setTimeout(() => { timer = undefined; pump(); }, limits.bucket.waitMs).unref();
        break;
      }
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
    /** `make` builds the Event only when it is queued (under load most are dropped). */
    write(make) {
      if (queue.length >= limits.maxQueued) {
        stats.dropped += 1;
        return;
      }
      queue.push(make());
      pump();
    },
    idle() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => { waiters = [...waiters, resolve]; });
    },
  };
}

/** Flushes `recorder`, waiting at most `ms` (at shutdown: Events are best effort, stopping must not hang on them). */
export async function flushWithin(recorder: EventRecorder, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([recorder.flush(), new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
  clearTimeout(timer);
}

/** A recorder that writes nothing. */
export const noEvents: EventRecorder = {
  stats: { written: 0, failed: 0, dropped: 0 },
  event() {},
  async flush() {},
};
