/**
 * One event through an EventListener: select triggers, prepare every trigger and group in parallel (phase one,
 * no writes), then create the objects (in template order per trigger). If tektite fails anywhere, whatever this
 * event already created is deleted again and the answer is 5xx, so a 2xx means every run is stored and a 5xx
 * means a redelivery is safe.
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

/** What processing needs from the outside world. */
export interface ProcessDeps {
  chain: ChainOptions;
  create: (obj: KubeObject) => Promise<KubeObject>;
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

/** Processes one event completely. Never throws. */
export async function processEvent(el: EventListener, ev: IncomingEvent, deps: ProcessDeps): Promise<EventResult> {
  const selection = await selectTriggers(el, deps.chain.lookup).catch((err: unknown) => ({ ok: false as const, message: String(err instanceof Error ? err.message : err) }));
  if (!selection.ok) return { httpStatus: 500, outcomes: [], message: selection.message };
  const cx = prepareContext(el, ev, deps);
  const start: ChainEvent = { rawBody: ev.rawBody, parsedBody: ev.parsedBody, header: ev.header, extensions: {} };
  const prepared = (await Promise.all([
    ...selection.triggers.map((t) => prepareTrigger(t, start, cx)),
    ...selection.groups.map((g) => prepareGroup(g, start, cx)),
  ])).flat();
  const done = prepared.flatMap((p) => (p.kind === 'done' ? [p.outcome] : []));
  const ready = prepared.filter((p): p is Extract<Prepared, { kind: 'ready' }> => p.kind === 'ready');
  const readyOutcomes = done.some((o) => o.status === 'error')
    ? ready.map((r) => abortedOutcome(r, 'not created: another trigger of this event failed'))
    : await createAll(ready, deps);
  let next = 0;
  const outcomes = prepared.map((p) => (p.kind === 'done' ? p.outcome : (readyOutcomes[next++] as TriggerOutcome)));
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

function abortedOutcome(r: Extract<Prepared, { kind: 'ready' }>, message: string): TriggerOutcome {
  return { trigger: r.trigger.name, namespace: r.trigger.namespace, ...(r.group ? { group: r.group } : {}), status: 'aborted', reason: 'Aborted', message };
}

function refOf(o: KubeObject): CreatedRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '', ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}

/** Creates every ready trigger's objects; on any failure deletes everything this event created. */
async function createAll(ready: ReadonlyArray<Extract<Prepared, { kind: 'ready' }>>, deps: ProcessDeps): Promise<TriggerOutcome[]> {
  const createdObjects: KubeObject[] = [];
  let failed = false;
  const results = await Promise.all(ready.map(async (r) => {
    const mine: KubeObject[] = [];
    for (const obj of r.objects) {
      if (failed) return { r, mine, error: undefined as unknown, skipped: true };
      try {
        const c = await deps.create(obj);
        mine.push(c);
        createdObjects.push(c);
      } catch (err) {
        failed = true;
        return { r, mine, error: err, skipped: false };
      }
    }
    return { r, mine, error: undefined as unknown, skipped: false };
  }));
  if (!failed) {
    return results.map(({ r, mine }) => ({
      trigger: r.trigger.name, namespace: r.trigger.namespace, ...(r.group ? { group: r.group } : {}),
      status: 'created' as const, reason: 'Created', created: mine.map(refOf),
    }));
  }
  const rollback = await rollbackAll(createdObjects, deps);
  return results.map(({ r, error }) => {
    if (error === undefined) return abortedOutcome(r, `rolled back: another trigger of this event failed${rollback}`);
    const api = error instanceof ApiError ? error : undefined;
    const httpStatus = api?.code === 0 ? 503 : 500;
    const why = error instanceof Error ? error.message : String(error);
    return {
      trigger: r.trigger.name, namespace: r.trigger.namespace, ...(r.group ? { group: r.group } : {}),
      status: 'error' as const, reason: 'CreateFailed', message: `creating the resources failed: ${why}${rollback}`, httpStatus,
    };
  });
}

async function rollbackAll(objs: readonly KubeObject[], deps: ProcessDeps): Promise<string> {
  if (objs.length === 0) return '';
  const res = await Promise.allSettled(objs.map((o) => deps.remove(o)));
  const bad = res.filter((x) => x.status === 'rejected').length;
  return bad === 0 ? ` (${objs.length} object(s) of this event deleted again)` : ` (rollback failed for ${bad} of ${objs.length} object(s))`;
}
