/**
 * TriggerTemplate rendering: Tekton substitutes `$(tt.params.NAME)` and `$(uid)` by text replacement inside the
 * JSON of each resourcetemplate, then decodes the result. Values are inserted as they are (a string from a
 * binding is already JSON-escaped), after every `$(` in them is escaped to `$$(` as upstream does. Unlike
 * upstream's successive replaces, this is a single pass, so payload text is never substituted again. Pure.
 */
import type { KubeObject, TriggerTemplateSpec } from '../api/types.js';

/** Labels Tekton Triggers stamps on every created object. */
export const LABEL_EVENTLISTENER = 'triggers.tekton.dev/eventlistener';
export const LABEL_TRIGGER = 'triggers.tekton.dev/trigger';
export const LABEL_EVENT_ID = 'triggers.tekton.dev/triggers-eventid';
/** TriggerTemplate annotation: also escape `"` in values (legacy behaviour). */
export const OLD_ESCAPE_QUOTES = 'triggers.tekton.dev/old-escape-quotes';

const REF = /\$\(tt\.params\.([_a-zA-Z][_a-zA-Z0-9.-]*)\)|\$\(uid\)/g;

/** The objects to create, or why the template cannot be rendered. */
export type RenderResult = { ok: true; objects: KubeObject[] } | { ok: false; message: string };

/** Options of {@link renderTemplate}. */
export interface RenderOptions {
  /** One UUID per trigger execution, shared by all resourcetemplates. */
  uid: string;
  /** `triggers.tekton.dev/old-escape-quotes: "true"` on the template. */
  oldEscapeQuotes?: boolean;
}

/** JSON of resourcetemplates, by object: templates come from watch caches and do not change in place. */
const templateText = new WeakMap<object, string>();

function templateJson(rt: unknown): string {
  if (rt === null || typeof rt !== 'object') return JSON.stringify(rt);
  let text = templateText.get(rt);
  if (text === undefined) templateText.set(rt, (text = JSON.stringify(rt)));
  return text;
}

/** Renders every resourcetemplate of a template spec with the resolved params. */
export function renderTemplate(spec: TriggerTemplateSpec, params: ReadonlyMap<string, string>, opts: RenderOptions): RenderResult {
  const templates = spec.resourcetemplates ?? [];
  if (templates.length === 0) return { ok: false, message: 'the TriggerTemplate has no resourcetemplates' };
  const escaped = new Map<string, string>();
  for (const [k, v] of params) {
    let e = v.replaceAll('$(', '$$$$(');
    if (opts.oldEscapeQuotes) e = e.replaceAll('"', '\\"');
    escaped.set(k, e);
  }
  const objects: KubeObject[] = [];
  for (const [i, rt] of templates.entries()) {
    const text = templateJson(rt).replace(REF, (whole, name: string | undefined) => {
      if (name === undefined) return opts.uid;
      return escaped.get(name) ?? whole;
    });
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { ok: false, message: `resourcetemplates[${i}]: the substituted template is not valid JSON (${why}); a param holding an object or array cannot be placed inside a string` };
    }
    const checked = checkObject(obj, i);
    if (typeof checked === 'string') return { ok: false, message: checked };
    objects.push(checked);
  }
  return { ok: true, objects };
}

function checkObject(obj: unknown, i: number): KubeObject | string {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return `resourcetemplates[${i}] is not an object`;
  const o = obj as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') return `resourcetemplates[${i}] has no apiVersion`;
  if (typeof o.kind !== 'string' || o.kind === '') return `resourcetemplates[${i}] has no kind`;
  const meta = o.metadata;
  if (meta !== undefined && (meta === null || typeof meta !== 'object' || Array.isArray(meta))) return `resourcetemplates[${i}].metadata is not an object`;
  return { ...o, metadata: (meta ?? {}) as KubeObject['metadata'] } as KubeObject;
}

/** Adds the three Triggers labels (merged into the template's own labels). */
export function withTriggerLabels(obj: KubeObject, labels: { eventListener: string; trigger: string; eventID: string }): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: {
        ...(obj.metadata.labels ?? {}),
        [LABEL_EVENTLISTENER]: labels.eventListener,
        [LABEL_TRIGGER]: labels.trigger,
        [LABEL_EVENT_ID]: labels.eventID,
      },
    },
  };
}
