/**
 * Phase one of an event, per trigger: interceptors → bindings → template → the labelled objects to create.
 * Nothing is written here, so an event that fails anywhere in this phase creates nothing.
 */
import { kindFor } from '../api/registry.js';
import type { KubeObject, TriggerBinding, TriggerBindingParam, TriggerTemplate, TriggerTemplateSpec } from '../api/types.js';
import { mergeBindingParams, resolveParams } from './bindings.js';
import { bindingEvent } from './event.js';
import { runChain, type ChainEvent, type ChainOptions } from './interceptors/chain.js';
import type { TriggerLookup } from './lookup.js';
import type { TriggerOutcome } from './outcome.js';
import type { SelectedTrigger } from './select.js';
import { OLD_ESCAPE_QUOTES, renderTemplate, withTriggerLabels } from './template.js';

/** What phase one needs besides the trigger and the event. */
export interface PrepareContext {
  eventListener: string;
  eventId: string;
  eventUrl: string;
  chain: ChainOptions;
  newUid: () => string;
  /** May an object of this trigger be created in `namespace` (a template's own namespace)? */
  namespaceAllowed: (namespace: string, trigger: SelectedTrigger) => boolean;
  group?: string;
}

/** A trigger ready to create its objects, or its final outcome. */
export type Prepared = { kind: 'ready'; trigger: SelectedTrigger; objects: KubeObject[]; group?: string } | { kind: 'done'; outcome: TriggerOutcome };

function outcome(t: SelectedTrigger, cx: PrepareContext, o: Omit<TriggerOutcome, 'trigger' | 'namespace'>): Prepared {
  return { kind: 'done', outcome: { trigger: t.name, namespace: t.namespace, ...(cx.group ? { group: cx.group } : {}), ...o } };
}

/** Runs interceptors, bindings and the template of one trigger. Never throws. */
export async function prepareTrigger(t: SelectedTrigger, ev: ChainEvent, cx: PrepareContext): Promise<Prepared> {
  try {
    const chained = await runChain(t.spec.interceptors ?? [], ev, { namespace: t.namespace, triggerId: t.id, eventId: cx.eventId, eventUrl: cx.eventUrl }, cx.chain);
    if (chained.kind === 'rejected') return outcome(t, cx, { status: 'skipped', reason: 'InterceptorRejected', interceptor: chained.interceptor, code: chained.code, message: chained.message });
    if (chained.kind === 'error') return outcome(t, cx, { status: 'error', reason: 'InterceptorFailed', interceptor: chained.interceptor, message: chained.message, httpStatus: chained.httpStatus });
    return await bindAndRender(t, chained.event, cx);
  } catch (err) {
    return outcome(t, cx, { status: 'error', reason: 'InternalError', message: err instanceof Error ? err.message : String(err), httpStatus: 500 });
  }
}

async function bindAndRender(t: SelectedTrigger, ev: ChainEvent, cx: PrepareContext): Promise<Prepared> {
  const lookup = cx.chain.lookup;
  const bindings = await collectBindings(t, lookup);
  if (typeof bindings === 'string') return outcome(t, cx, { status: 'error', reason: 'NotFound', message: bindings, httpStatus: 500 });
  const tmpl = await templateOf(t, lookup);
  if (typeof tmpl === 'string') return outcome(t, cx, { status: 'error', reason: 'NotFound', message: tmpl, httpStatus: 500 });
  const merged = mergeBindingParams(bindings);
  if (!merged.ok) return outcome(t, cx, { status: 'error', reason: 'BindingInvalid', message: merged.message, httpStatus: 500 });
  const event = bindingEvent(ev.header, ev.parsedBody, ev.extensions, cx.eventId);
  const params = resolveParams(merged.params, tmpl.spec.params ?? [], event);
  if (!params.ok) return outcome(t, cx, { status: 'failed', reason: 'BindingFailed', message: params.message });
  const rendered = renderTemplate(tmpl.spec, params.params, { uid: cx.newUid(), oldEscapeQuotes: tmpl.oldEscapeQuotes });
  if (!rendered.ok) return outcome(t, cx, { status: 'error', reason: 'RenderFailed', message: rendered.message, httpStatus: 500 });
  const objects: KubeObject[] = [];
  for (const obj of rendered.objects) {
    const placed = place(obj, t, cx);
    if (typeof placed === 'string') return outcome(t, cx, { status: 'error', reason: 'RenderFailed', message: placed, httpStatus: 500 });
    objects.push(withTriggerLabels(placed, { eventListener: cx.eventListener, trigger: t.name, eventID: cx.eventId }));
  }
  return { kind: 'ready', trigger: t, objects, ...(cx.group ? { group: cx.group } : {}) };
}

function place(obj: KubeObject, t: SelectedTrigger, cx: PrepareContext): KubeObject | string {
  const info = kindFor(obj.apiVersion, obj.kind);
  if (!info) return `resourcetemplate ${obj.kind} (${obj.apiVersion}) is not a kind the API server serves`;
  if (!info.namespaced) return obj;
  const ns = obj.metadata.namespace ?? t.namespace;
  if (ns !== t.namespace && !cx.namespaceAllowed(ns, t)) return `resourcetemplate ${obj.kind} asks for namespace ${ns}, which this EventListener may not create in`;
  return { ...obj, metadata: { ...obj.metadata, namespace: ns } };
}

async function collectBindings(t: SelectedTrigger, lookup: TriggerLookup): Promise<TriggerBindingParam[][] | string> {
  const lists: TriggerBindingParam[][] = [];
  for (const b of t.spec.bindings ?? []) {
    if (b.ref) {
      const cluster = b.kind === 'ClusterTriggerBinding';
      const tb = cluster
        ? await lookup.get<TriggerBinding>('ClusterTriggerBinding', undefined, b.ref)
        : await lookup.get<TriggerBinding>('TriggerBinding', t.namespace, b.ref);
      if (!tb) return `${cluster ? 'ClusterTriggerBinding' : `TriggerBinding ${t.namespace}/`}${b.ref} not found`;
      lists.push(tb.spec?.params ?? []);
    } else if (b.name !== undefined) {
      lists.push([{ name: b.name, value: b.value ?? '' }]);
    }
  }
  return lists;
}

async function templateOf(t: SelectedTrigger, lookup: TriggerLookup): Promise<{ spec: TriggerTemplateSpec; oldEscapeQuotes: boolean } | string> {
  const tpl = t.spec.template;
  if (tpl?.ref) {
    const tt = await lookup.get<TriggerTemplate>('TriggerTemplate', t.namespace, tpl.ref);
    if (!tt) return `TriggerTemplate ${t.namespace}/${tpl.ref} not found`;
    return { spec: tt.spec, oldEscapeQuotes: tt.metadata.annotations?.[OLD_ESCAPE_QUOTES] === 'true' };
  }
  if (tpl?.spec) return { spec: tpl.spec, oldEscapeQuotes: false };
  return `trigger ${t.name || '(unnamed)'} has no template`;
}
