/**
 * CloudEvents to an EventListener's `spec.cloudEventURI`, as Triggers sends them: binary content mode (ce-*
 * headers, JSON data), `ce-id` = the event ID, `ce-source` = `/apis/triggers.tekton.dev/v1beta1/namespaces/NS/
 * EventListener/NAME`, `ce-subject` = `NAME processing EVENTID`, types `dev.tekton.event.triggers.started.v1`
 * (data: the request headers), `.successful.v1` per trigger that created its resources (request headers),
 * `.failed.v1` when the event as a whole failed, `.done.v1` at the end (data `null`). Sent in the background with
 * retries (exponential backoff from 10 ms, 10 tries, as the Go SDK does for Triggers); never delays the answer.
 */
import type { EventListener } from '../api/types.js';
import { send, type HttpAnswer, type SendOptions } from './interceptors/http.js';

/** Triggers' CloudEvent types. */
export const CE_TYPES = {
  started: 'dev.tekton.event.triggers.started.v1',
  successful: 'dev.tekton.event.triggers.successful.v1',
  failed: 'dev.tekton.event.triggers.failed.v1',
  done: 'dev.tekton.event.triggers.done.v1',
} as const;

/** One CloudEvent in binary mode: the HTTP headers and body (pure). */
export function cloudEventMessage(el: EventListener, eventId: string, type: string, data: unknown, now: Date): { headers: Record<string, string>; body: string } {
  const name = el.metadata.name ?? '';
  return {
    headers: {
      'Content-Type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': eventId,
      'ce-source': `/apis/triggers.tekton.dev/v1beta1/namespaces/${el.metadata.namespace ?? 'default'}/EventListener/${name}`,
      'ce-type': type,
      'ce-subject': `${name} processing ${eventId}`,
      'ce-time': now.toISOString(),
    },
    body: JSON.stringify(data ?? null),
  };
}

/** Sends CloudEvents; `pending()` resolves when every send so far has finished (tests, shutdown). */
export interface CloudEventSender {
  emit(el: EventListener, eventId: string, type: string, data: unknown): void;
  pending(): Promise<void>;
}

type Post = (url: string, opts: SendOptions) => Promise<HttpAnswer>;

/** A sender over HTTP; failures after the retries go to `onError` (the event itself is not affected). */
export function cloudEventSender(opts: { timeoutMs?: number; retries?: number; onError?: (err: unknown) => void; post?: Post } = {}): CloudEventSender {
  const inFlight = new Set<Promise<void>>();
  const post = opts.post ?? send;
  const retries = opts.retries ?? 10;
  /** One try: undefined when delivered, else why, and whether another try may help. */
  async function once(url: string, msg: { headers: Record<string, string>; body: string }): Promise<{ why: string; retry: boolean } | undefined> {
    try {
      const r = await post(url, { method: 'POST', headers: msg.headers, body: msg.body, timeoutMs: opts.timeoutMs ?? 10_000 });
      if (r.status >= 200 && r.status < 300) return undefined;
      return { why: `CloudEvent receiver ${url} answered ${r.status}`, retry: r.status >= 500 || r.status === 429 };
    } catch (err) {
      return { why: `CloudEvent receiver ${url}: ${err instanceof Error ? err.message : String(err)}`, retry: true };
    }
  }
  async function deliver(url: string, msg: { headers: Record<string, string>; body: string }): Promise<void> {
    for (let attempt = 0, delay = 10; ; attempt++, delay *= 2) {
      const failed = await once(url, msg);
      if (!failed) return;
      if (!failed.retry || attempt >= retries) throw new Error(failed.why);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  return {
    emit(el, eventId, type, data) {
      const url = el.spec.cloudEventURI;
      if (!url) return;
      const p = deliver(url, cloudEventMessage(el, eventId, type, data, new Date())).catch((err: unknown) => opts.onError?.(err));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    async pending() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
