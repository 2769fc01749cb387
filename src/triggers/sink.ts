/**
 * The EventListener sink as a node:http request handler: `GET /live`, `GET /ready`, and every other request is an event.
 * It answers only after every trigger of the event has been processed and what it created is stored:
 * 202 with Tekton's fields plus per-trigger outcomes, 400 for a body that is not a JSON object, 413 over the
 * size cap, 429 with Retry-After when the bodies in flight reach their global budget (body-budget.ts), 5xx (with `errorMessage`) when tektite failed — in which case nothing of the event was kept.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EventListener, KubeObject } from '../api/types.js';
import { BodyBudget, bodyBudget, DEFAULT_MAX_IN_FLIGHT_BODY_BYTES } from './body-budget.js';
import { CE_TYPES, type CloudEventSender } from './cloudevents.js';
import { canonicalRawHeaders } from './event.js';
import { HttpError, readBody, sendJson, sendText } from './http-body.js';
import { DEFAULT_CEL_MAX_STEPS } from './interceptors/cel.js';
import { noRecorder, type OutcomeRecorder } from './k8s-events.js';
import type { TriggerLookup } from './lookup.js';
import { describeOutcome, type TriggerOutcome } from './outcome.js';
import { createEvent, prepareEvent, type CreateIdentity, type EventResult, type PreparedEvent, type ProcessDeps } from './process.js';

/**
 * Default timeout of each interceptor call: 5 s. Triggers answers the forge at once and processes afterwards (its
 * HTTP client waits up to 10 s for response headers); tektite answers after processing, so a slow interceptor
 * must give up well within a forge's 10 s delivery timeout.
 */
export const DEFAULT_INTERCEPTOR_TIMEOUT_MS = 5_000;
/** Default body size cap: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** EventListener annotation that turns off the JSON-object body check (form-encoded senders). */
export const PAYLOAD_VALIDATION = 'tekton.dev/payload-validation';

/** A minimal structured logger (pino-compatible). Never give it secrets or header values. */
export interface SinkLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Everything the sink app needs. */
export interface SinkAppOptions {
  name: string;
  namespace: string;
  lookup: TriggerLookup;
  /**
   * Creates an object, as the trigger's service account when it has one. The object is handed over: freshly rendered
   * JSON data the sink does not read or change afterwards.
   */
  create: (obj: KubeObject, as?: CreateIdentity) => Promise<KubeObject>;
  remove: (obj: KubeObject) => Promise<void>;
  maxBodyBytes?: number;
  /** Bytes of event bodies in flight at once, over all requests (default 64 MiB); beyond it: 429 + Retry-After. */
  maxInFlightBodyBytes?: number;
  githubApiUrl?: string;
  httpTimeoutMs?: number;
  celMaxSteps?: number;
  /** Maps Service URLs to where they are served (embedded mode: see services.ts). */
  resolveUrl?: (url: string) => Promise<string>;
  /** Namespaces templates may name besides the trigger's own (`*` = any). */
  allowNamespaces?: readonly string[];
  recorder?: OutcomeRecorder;
  /** Sends Triggers' CloudEvents to the listener's cloudEventURI. */
  cloudEvents?: CloudEventSender;
  /** Also write Triggers' own Events (`dev.tekton.event.triggers.*`), as Triggers does with EL_EVENT=enable. */
  triggersEvents?: boolean;
  logger?: SinkLogger;
  newEventId?: () => string;
}

/** The request handler of one EventListener's sink (for `http.createServer`; supertest takes it too). */
export function createSinkApp(opts: SinkAppOptions): RequestListener {
  const max = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = new BodyBudget(Math.max(max, opts.maxInFlightBodyBytes ?? DEFAULT_MAX_IN_FLIGHT_BODY_BYTES));
  const reserve = bodyBudget(budget, max, (res, status, errorMessage) => { sendJson(res, status, { ...base(opts), errorMessage }); });
  const deps = processDeps(opts);
  return (req, res) => {
    const probe = req.method === 'GET' || req.method === 'HEAD' ? probeOf(req.url ?? '/') : undefined;
    if (probe === 'live') {
      sendText(res, 200, 'ok');
      return;
    }
    if (probe === 'ready') {
      void ready(res, opts);
      return;
    }
    if (!reserve(req, res)) return;
    readBody(req, max)
      .then((raw) => acceptEvent(req, raw, res, opts, deps))
      .then((accepted) => accepted && answerEvent(req, res, accepted, opts, deps))
      .catch((err: unknown) => { sendError(err, req, res, opts); });
  };
}

/** `/live` or `/ready` (as express routed them before: any case, an optional trailing slash, any query). */
function probeOf(url: string): 'live' | 'ready' | undefined {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).toLowerCase();
  if (path === '/live' || path === '/live/') return 'live';
  if (path === '/ready' || path === '/ready/') return 'ready';
  return undefined;
}

async function ready(res: ServerResponse, opts: SinkAppOptions): Promise<void> {
  const el = await opts.lookup.get<EventListener>('EventListener', opts.namespace, opts.name).catch(() => undefined);
  if (el) sendText(res, 200, 'ok');
  else sendText(res, 503, `EventListener ${opts.namespace}/${opts.name} not found`);
}

function base(opts: SinkAppOptions, el?: EventListener): Record<string, unknown> {
  return { eventListener: opts.name, namespace: opts.namespace, eventListenerUID: el?.metadata.uid ?? '' };
}

function sendError(err: unknown, req: IncomingMessage, res: ServerResponse, opts: SinkAppOptions): void {
  if (res.headersSent) return;
  if (err instanceof HttpError) {
    if (!req.complete) res.setHeader('Connection', 'close'); // the rest of the body is not read
    const message = err.status === 413 ? `request body larger than ${opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes` : err.message;
    sendJson(res, err.status, { ...base(opts), errorMessage: message });
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  opts.logger?.warn({ eventlistener: opts.name, namespace: opts.namespace, err: message }, 'request failed');
  sendJson(res, 500, { ...base(opts), errorMessage: `internal error: ${message}` });
}

const NOT_BLANK = /\S/;

/** Parses the body per Tekton's payload validation; answers the parsed body or an error message. */
export function parseBody(raw: Buffer, contentType: string | undefined, validate: boolean): { ok: true; body: unknown; raw: Buffer } | { ok: false; message: string } {
  if (!validate && (contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) (form[k] ??= []).push(v);
    if (Object.keys(form).length > 1) return { ok: true, body: form, raw: Buffer.from(JSON.stringify(form)) };
  }
  const text = raw.toString('utf8');
  let body: unknown;
  try {
    body = NOT_BLANK.test(text) ? JSON.parse(text) : undefined; // (a test stops at the first character; trim() copies the body)
  } catch (err) {
    if (!validate) return { ok: true, body: null, raw };
    return { ok: false, message: `Invalid event body format : ${err instanceof Error ? err.message : String(err)}` };
  }
  if (validate && (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))) {
    const what = body === undefined ? 'an empty body' : Array.isArray(body) ? 'a JSON array' : `a JSON ${body === null ? 'null' : typeof body}`;
    return { ok: false, message: `Invalid event body format : the body must be a JSON object, got ${what}` };
  }
  return { ok: true, body: body ?? null, raw };
}

/** What phase two of an event needs (see processEvent: the body is not among it). */
interface Accepted {
  el: EventListener;
  eventId: string;
  header: Record<string, string[]>;
  prepared: PreparedEvent;
}

/**
 * Reads the event up to phase one (interceptors, bindings, templates); answers it at once when it is refused. Its
 * frame ends before the creates wait for their commit, so that the body is garbage by then (see processEvent).
 */
async function acceptEvent(req: IncomingMessage, raw: Buffer, res: ServerResponse, opts: SinkAppOptions, deps: ProcessDeps): Promise<Accepted | undefined> {
  const el = await opts.lookup.get<EventListener>('EventListener', opts.namespace, opts.name);
  if (!el) {
    sendJson(res, 503, { ...base(opts), errorMessage: `EventListener ${opts.namespace}/${opts.name} not found` });
    return undefined;
  }
  const validate = el.metadata.annotations?.[PAYLOAD_VALIDATION] !== 'false';
  const parsed = parseBody(raw, req.headers['content-type'], validate);
  if (!parsed.ok) {
    sendJson(res, 400, { ...base(opts, el), errorMessage: parsed.message });
    return undefined;
  }
  const eventId = (opts.newEventId ?? randomUUID)();
  const header = canonicalRawHeaders(req.rawHeaders);
  opts.cloudEvents?.emit(el, eventId, CE_TYPES.started, header);
  if (opts.triggersEvents) opts.recorder?.recordTriggersEvent(el, CE_TYPES.started);
  const eventUrl = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const prepared = await prepareEvent(el, { eventId, eventUrl, rawBody: parsed.raw, parsedBody: parsed.body, header }, deps);
  return { el, eventId, header, prepared };
}

/** Phase two: the creates; then the Events, CloudEvents and the answer. */
async function answerEvent(req: IncomingMessage, res: ServerResponse, a: Accepted, opts: SinkAppOptions, deps: ProcessDeps): Promise<void> {
  const { el, eventId } = a;
  const result = await createEvent(a.prepared, deps);
  report(el, eventId, result, opts);
  sendCloudEvents(el, eventId, result, a.header, opts.cloudEvents);
  if (opts.triggersEvents) triggersEvents(el, result, opts.recorder);
  const body: Record<string, unknown> = { ...base(opts, el), eventID: eventId, triggers: result.outcomes.map(publicOutcome) };
  if (result.httpStatus >= 500) body.errorMessage = errorMessage(result);
  sendJson(res, result.httpStatus, body, result.httpStatus < 300 && isCloudEvent(req) ? acceptedCloudEvent(opts, eventId) : undefined);
}

/** What processing needs from the app's options (the same for every event). */
function processDeps(opts: SinkAppOptions): ProcessDeps {
  return {
    chain: {
      lookup: opts.lookup, githubApiUrl: opts.githubApiUrl ?? process.env.TKT_GITHUB_API_URL ?? 'https://api.github.com',
      httpTimeoutMs: opts.httpTimeoutMs ?? DEFAULT_INTERCEPTOR_TIMEOUT_MS, celMaxSteps: opts.celMaxSteps ?? DEFAULT_CEL_MAX_STEPS,
      resolveUrl: opts.resolveUrl,
    },
    create: opts.create, remove: opts.remove, newUid: randomUUID, allowNamespaces: opts.allowNamespaces ?? [],
  };
}

function sendCloudEvents(el: EventListener, eventId: string, r: EventResult, header: Record<string, string[]>, ce: CloudEventSender | undefined): void {
  if (!ce) return;
  if (r.message) ce.emit(el, eventId, CE_TYPES.failed, null);
  for (const o of r.outcomes) if (o.status === 'created') ce.emit(el, eventId, CE_TYPES.successful, header);
  ce.emit(el, eventId, CE_TYPES.done, null);
}

function triggersEvents(el: EventListener, r: EventResult, rec: OutcomeRecorder | undefined): void {
  if (!rec) return;
  if (r.message) rec.recordTriggersEvent(el, CE_TYPES.failed, r.message);
  for (const o of r.outcomes) if (o.status === 'created') rec.recordTriggersEvent(el, CE_TYPES.successful);
  rec.recordTriggersEvent(el, CE_TYPES.done);
}

/** A binary-mode (`ce-specversion`) or structured-mode (`application/cloudevents+json`) CloudEvent request. */
function isCloudEvent(req: IncomingMessage): boolean {
  return req.headers['ce-specversion'] !== undefined || (req.headers['content-type'] ?? '').startsWith('application/cloudevents');
}

/** Triggers answers a CloudEvent with one (binary mode): type `…triggers.accepted.v1`, the event ID as id. */
function acceptedCloudEvent(opts: SinkAppOptions, eventId: string): Record<string, string> {
  return {
    'ce-specversion': '1.0', 'ce-id': eventId, 'ce-source': opts.name, 'ce-type': 'dev.tekton.event.triggers.accepted.v1',
    'ce-subject': `${opts.namespace}.${opts.name} accepted ${eventId}`, 'ce-time': new Date().toISOString(),
  };
}

function publicOutcome(o: TriggerOutcome): Omit<TriggerOutcome, 'httpStatus'> {
  const copy = { ...o };
  delete copy.httpStatus;
  return copy;
}

function errorMessage(r: EventResult): string {
  if (r.message) return r.message;
  return r.outcomes.filter((o) => o.status === 'error').map(describeOutcome).join('; ');
}

function report(el: EventListener, eventId: string, r: EventResult, opts: SinkAppOptions): void {
  const rec = opts.recorder ?? noRecorder;
  const log = { eventlistener: opts.name, namespace: opts.namespace, eventlistenerUID: el.metadata.uid ?? '', '/triggers-eventid': eventId };
  if (r.message) {
    rec.recordFailure(el, eventId, 'SelectionFailed', r.message);
    opts.logger?.warn(log, r.message);
  }
  for (const o of r.outcomes) {
    rec.record(el, eventId, o);
    const line = { ...log, '/trigger': o.trigger, status: o.status, reason: o.reason };
    if (o.status === 'error' || o.status === 'failed') opts.logger?.warn(line, describeOutcome(o));
    else opts.logger?.info(line, describeOutcome(o));
  }
}
