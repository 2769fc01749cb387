/**
 * One event through an EventListener: select triggers, prepare every trigger and group in parallel (phase one,
 * no writes), then create each trigger's objects (in template order). Triggers are isolated from each other: a
 * trigger that fails (template, interceptor, create) does not stop the others. Within one trigger it is all or
 * nothing: if one of its creates fails, what that trigger already created is deleted again.
 */
import type { EventListener, KubeObject } from '../api/types.js';
import { ApiError } from '../kube/errors.js';
import type { ChainEvent, ChainOptions } from './interceptors/chain.js';
import { runChain } from './interceptors/chain.js';
import { httpStatusOf, type CreatedRef, type TriggerOutcome } from './outcome.js';
import { prepareTrigger, type PrepareContext, type Prepared } from './prepare.js';
import { selectTriggers, type SelectedGroup } from './select.js';

/** The event as received. `header` keys are canonical. */
export interface IncomingEvent {
  eventId: string;
  eventUrl: string;
  rawBody: Buffer;
  parsedBody: unknown;
  header: Record<string, string[]>;
}

/** Whom a trigger's creates are made as: its `serviceAccountName` in its namespace. */
export interface CreateIdentity {
  serviceAccount: string;
  namespace: string;
}

/** What processing needs from the outside world. */
export interface ProcessDeps {
  chain: ChainOptions;
  /** Creates an object, as the given service account when there is one (impersonation). */
  create: (obj: KubeObject, as?: CreateIdentity) => Promise<KubeObject>;
  remove: (obj: KubeObject) => Promise<void>;
  newUid: () => string;
  /** Namespaces (besides each trigger's own) that templates may name; `*` = any. */
  allowNamespaces: readonly string[];
}

/** The result of one event. */
export interface EventResult {
  httpStatus: number;
  outcomes: TriggerOutcome[];
  /** Set when the event failed before any trigger ran (selection). */
  message?: string;
}

/** Phase one of an event done: what phase two (the creates) needs, without the event's body. */
export type PreparedEvent = { ok: false; result: EventResult } | { ok: true; broken: TriggerOutcome[]; prepared: Prepared[] };

/**
 * Processes one event completely. Never throws. Phase one (interceptors, bindings, templates) and phase two (the
 * creates, which wait for their commit) run in separate frames: V8 keeps every parameter and local of a suspended
 * async function alive, so a frame that awaited the creates would hold the event's body (tens of KB per webhook) for
 * the garbage collector to copy while it waits.
 */
export function processEvent(el: EventListener, ev: IncomingEvent, deps: ProcessDeps): Promise<EventResult> {
  return prepareEvent(el, ev, deps).then((p) => createEvent(p, deps));
}

/** Phase one: selects the triggers and prepares each (interceptors → bindings → template); writes nothing. */
export async function prepareEvent(el: EventListener, ev: IncomingEvent, deps: ProcessDeps): Promise<PreparedEvent> {
  const selection = await selectTriggers(el, deps.chain.lookup).catch((err: unknown) => ({ ok: false as const, message: String(err instanceof Error ? err.message : err) }));
  if (!selection.ok) return { ok: false, result: { httpStatus: 500, outcomes: [], message: selection.message } };
  const cx = prepareContext(el, ev, deps);
  const start: ChainEvent = { rawBody: ev.rawBody, parsedBody: ev.parsedBody, header: ev.header, extensions: {} };
  const prepared = (await Promise.all([
    ...selection.triggers.map((t) => prepareTrigger(t, start, cx)),
    ...selection.groups.map((g) => prepareGroup(g, start, cx)),
  ])).flat();
  return { ok: true, broken: selection.broken, prepared };
}

/** Phase two: creates the objects of every ready trigger and answers the event's result. Never throws. */
export async function createEvent(p: PreparedEvent, deps: ProcessDeps): Promise<EventResult> {
  if (!p.ok) return p.result;
  const ready = p.prepared.filter((x): x is Extract<Prepared, { kind: 'ready' }> => x.kind === 'ready');
  const readyOutcomes = await Promise.all(ready.map((r) => createTrigger(r, deps)));
  let next = 0;
  const outcomes = [...p.broken, ...p.prepared.map((x) => (x.kind === 'done' ? x.outcome : (readyOutcomes[next++] as TriggerOutcome)))];
  return { httpStatus: httpStatusOf(outcomes), outcomes };
}

function prepareContext(el: EventListener, ev: IncomingEvent, deps: ProcessDeps): PrepareContext {
  const selectorNames = new Set([...(el.spec.namespaceSelector?.matchNames ?? []), ...deps.allowNamespaces]);
  return {
    eventListener: el.metadata.name ?? '',
    eventId: ev.eventId,
    eventUrl: ev.eventUrl,
    chain: deps.chain,
    newUid: deps.newUid,
    namespaceAllowed: (ns: string) => selectorNames.has('*') || selectorNames.has(ns),
  };
}

async function prepareGroup(g: SelectedGroup, start: ChainEvent, cx: PrepareContext): Promise<Prepared[]> {
  const base = { trigger: g.name, namespace: g.namespace, group: g.name };
  const r = await runChain(g.interceptors, start, { namespace: g.namespace, triggerId: g.id, eventId: cx.eventId, eventUrl: cx.eventUrl }, cx.chain);
  if (r.kind === 'rejected') return [{ kind: 'done', outcome: { ...base, status: 'skipped', reason: 'InterceptorRejected', interceptor: r.interceptor, code: r.code, message: r.message } }];
  if (r.kind === 'error') return [{ kind: 'done', outcome: { ...base, status: 'error', reason: 'InterceptorFailed', interceptor: r.interceptor, message: r.message, httpStatus: r.httpStatus } }];
  const gcx: PrepareContext = { ...cx, group: g.name };
  return Promise.all(g.triggers.map((t) => prepareTrigger(t, r.event, gcx)));
}

function refOf(o: KubeObject): CreatedRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '', ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}

/** Creates one trigger's objects in order; on a failure deletes what this trigger created and reports it. */
async function createTrigger(r: Extract<Prepared, { kind: 'ready' }>, deps: ProcessDeps): Promise<TriggerOutcome> {
  const who = { trigger: r.trigger.name, namespace: r.trigger.namespace, ...(r.group ? { group: r.group } : {}) };
  const mine: KubeObject[] = [];
  const sa = r.trigger.spec.serviceAccountName;
  const as = sa ? { serviceAccount: sa, namespace: r.trigger.namespace } : undefined;
  for (const obj of r.objects) {
    try {
      mine.push(await deps.create(obj, as));
    } catch (err) {
      const undone = await rollback(mine, deps);
      const api = err instanceof ApiError ? err : undefined;
      const httpStatus = api?.code === 0 ? 503 : 500;
      const why = err instanceof Error ? err.message : String(err);
      return { ...who, status: 'error', reason: 'CreateFailed', message: `creating the resources failed: ${why}${undone}`, httpStatus };
    }
  }
  return { ...who, status: 'created', reason: 'Created', created: mine.map(refOf) };
}

async function rollback(objs: readonly KubeObject[], deps: ProcessDeps): Promise<string> {
  if (objs.length === 0) return '';
  const res = await Promise.allSettled(objs.map((o) => deps.remove(o)));
  const bad = res.filter((x) => x.status === 'rejected').length;
  return bad === 0 ? ` (${objs.length} object(s) of this trigger deleted again)` : ` (rollback failed for ${bad} of ${objs.length} object(s))`;
}
