/**
 * Binding resolution: merges the params of a trigger's bindings, evaluates their `$(body…)`, `$(header…)`,
 * `$(extensions…)` and `$(context.eventID)` expressions against the event and applies TriggerTemplate
 * defaults, as Tekton Triggers does. Pure.
 */
import type { TriggerBindingParam, TriggerTemplateParam } from '../api/types.js';
import { applyEventValues, type BindingEvent } from './event.js';

/** The resolved params by name, or why the trigger cannot go on. */
export type ParamsResult = { ok: true; params: Map<string, string> } | { ok: false; message: string };

/** Merges binding param lists; a name bound twice is an error (Tekton aborts the trigger). */
export function mergeBindingParams(lists: ReadonlyArray<readonly TriggerBindingParam[]>): { ok: true; params: TriggerBindingParam[] } | { ok: false; message: string } {
  const seen = new Set<string>();
  const out: TriggerBindingParam[] = [];
  for (const list of lists) {
    for (const p of list) {
      if (seen.has(p.name)) return { ok: false, message: `duplicate param name ${JSON.stringify(p.name)} in the trigger's bindings` };
      seen.add(p.name);
      out.push(p);
    }
  }
  return { ok: true, params: out };
}

/**
 * Resolves params: starts from the template's defaults, then each binding value with its expressions applied.
 * When an expression fails (missing key, bad index), the template's default for that param replaces that
 * expression only (`x-$(body.missing)` → `x-<default>`), as Triggers does; with no default the trigger fails with
 * the JSONPath error.
 */
export function resolveParams(bindingParams: readonly TriggerBindingParam[], templateParams: readonly TriggerTemplateParam[], event: BindingEvent): ParamsResult {
  const params = new Map<string, string>();
  const defaults = new Map<string, string>();
  for (const tp of templateParams) {
    if (tp.default !== undefined) {
      defaults.set(tp.name, tp.default);
      params.set(tp.name, tp.default);
    }
  }
  for (const bp of bindingParams) {
    try {
      params.set(bp.name, applyEventValues(bp.value, event, defaults.get(bp.name)));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { ok: false, message: `param ${JSON.stringify(bp.name)}: cannot resolve ${JSON.stringify(bp.value)}: ${why}` };
    }
  }
  return { ok: true, params };
}
