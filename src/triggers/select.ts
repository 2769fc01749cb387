/**
 * Which triggers an EventListener runs for an event: its inline triggers (a `triggerRef` is resolved to the
 * Trigger in the EventListener's namespace), the Triggers its namespaceSelector/labelSelector select, and its
 * triggerGroups (group interceptors once, then each selected Trigger). Takes getters; no other I/O.
 */
import type { EventListener, LabelSelector, Trigger, TriggerInterceptor, TriggerSpec } from '../api/types.js';
import { matchesSelector, type TriggerLookup } from './lookup.js';
import type { TriggerOutcome } from './outcome.js';

/** A trigger ready to run: its name (label value), namespace (lookups, Secrets, created objects) and spec. */
export interface SelectedTrigger {
  name: string;
  namespace: string;
  /** `context.trigger_id` sent to interceptors. */
  id: string;
  spec: TriggerSpec;
}

/** A triggerGroup: its interceptors run once; then each of its triggers runs with the group's result. */
export interface SelectedGroup {
  name: string;
  namespace: string;
  id: string;
  interceptors: TriggerInterceptor[];
  triggers: SelectedTrigger[];
}

/**
 * The triggers of an event (`broken`: inline entries that cannot run — a missing triggerRef — reported per trigger
 * so the others still run), or why none can be selected (a configuration error: 500).
 */
export type Selection = { ok: true; triggers: SelectedTrigger[]; groups: SelectedGroup[]; broken: TriggerOutcome[] } | { ok: false; message: string };

function fromTrigger(t: Trigger): SelectedTrigger {
  const ns = t.metadata.namespace ?? 'default';
  const name = t.metadata.name ?? '';
  return { name, namespace: ns, id: `namespaces/${ns}/triggers/${name}`, spec: t.spec };
}

/** Lists Triggers by a namespace selector (`["*"]` = all) and a label selector, as Tekton's sink does. */
export async function selectByLabels(
  lookup: TriggerLookup, elNamespace: string,
  nsSel: { matchNames?: string[] } | undefined, labelSel: LabelSelector | undefined,
): Promise<SelectedTrigger[]> {
  const names = nsSel?.matchNames ?? [];
  let found: Trigger[];
  if (names.includes('*')) found = await lookup.list<Trigger>('Trigger', undefined);
  else if (names.length > 0) found = (await Promise.all([...new Set(names)].map((n) => lookup.list<Trigger>('Trigger', n)))).flat();
  else if (labelSel) found = await lookup.list<Trigger>('Trigger', elNamespace);
  else return [];
  return found
    .filter((t) => matchesSelector(t.metadata.labels, labelSel))
    .map(fromTrigger)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Selects every trigger and trigger group of an EventListener. */
export async function selectTriggers(el: EventListener, lookup: TriggerLookup): Promise<Selection> {
  const ns = el.metadata.namespace ?? 'default';
  const triggers: SelectedTrigger[] = [];
  const broken: TriggerOutcome[] = [];
  for (const [i, t] of (el.spec.triggers ?? []).entries()) {
    if (t.triggerRef) {
      const ref = await lookup.get<Trigger>('Trigger', ns, t.triggerRef);
      if (!ref) {
        broken.push({ trigger: t.name ?? t.triggerRef, namespace: ns, status: 'error', reason: 'NotFound', message: `spec.triggers[${i}].triggerRef: Trigger ${ns}/${t.triggerRef} not found`, httpStatus: 500 });
        continue;
      }
      triggers.push(fromTrigger(ref));
      continue;
    }
    if (!t.template) return { ok: false, message: `spec.triggers[${i}] has neither template nor triggerRef` };
    const name = t.name ?? '';
    const spec: TriggerSpec = { bindings: t.bindings, template: t.template, interceptors: t.interceptors, serviceAccountName: t.serviceAccountName };
    triggers.push({ name, namespace: ns, id: `namespaces/${ns}/triggers/${name}`, spec });
  }
  if (el.spec.namespaceSelector || el.spec.labelSelector) {
    triggers.push(...await selectByLabels(lookup, ns, el.spec.namespaceSelector, el.spec.labelSelector));
  }
  const groups: SelectedGroup[] = [];
  for (const [i, g] of (el.spec.triggerGroups ?? []).entries()) {
    const sel = g.triggerSelector ?? {};
    const name = g.name ?? `group-${i}`;
    const selected = await selectByLabels(lookup, ns, sel.namespaceSelector, sel.labelSelector);
    groups.push({ name, namespace: ns, id: `namespaces/${ns}/triggerGroups/${name}`, interceptors: g.interceptors ?? [], triggers: selected });
  }
  return { ok: true, triggers, groups, broken };
}
