/**
 * Label selectors (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and field selectors
 * (`metadata.name=x`, `status.phase!=Running`) as the list and watch endpoints accept them.
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest } from './errors.js';

/** One parsed label requirement. */
export interface LabelRequirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/** One parsed field requirement. */
export interface FieldRequirement {
  path: string;
  op: '=' | '!=';
  value: string;
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function parseLabelTerm(term: string, whole: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  let req: LabelRequirement;
  if (set) {
    const values = (set[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    req = { key: set[1] as string, op: set[2] as 'in' | 'notin', values };
  } else if (term.startsWith('!')) {
    req = { key: term.slice(1).trim(), op: '!', values: [] };
  } else {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m) req = { key: m[1] as string, op: m[2] === '!=' ? '!=' : '=', values: [(m[3] ?? '').trim()] };
    else req = { key: term, op: 'exists', values: [] };
  }
  if (!KEY.test(req.key) || req.key.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${req.key}" in selector "${whole}"`);
  for (const v of req.values) {
    if (v.length > 63 || !LABEL_VALUE.test(v)) {
      throw badRequest(`unable to parse requirement: values[0][${req.key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (selector "${whole}")`);
    }
  }
  if ((req.op === 'in' || req.op === 'notin') && req.values.length === 0) {
    throw badRequest(`unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty (selector "${whole}")`);
  }
  return req;
}

/** Parses a label selector string; throws a 400 Status error when it is malformed. */
export function parseLabelSelector(s: string | null | undefined): LabelRequirement[] {
  if (!s) return [];
  return splitTerms(s).map((t) => parseLabelTerm(t, s));
}

/** True when `labels` satisfy every requirement. */
export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of reqs) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? (labels as Record<string, string>)[r.key] : undefined;
    switch (r.op) {
      case '=': if (!has || v !== r.values[0]) return false; break;
      case '!=': if (has && v === r.values[0]) return false; break;
      case 'in': if (!has || !r.values.includes(v as string)) return false; break;
      case 'notin': if (has && r.values.includes(v as string)) return false; break;
      case 'exists': if (!has) return false; break;
      case '!': if (has) return false; break;
    }
  }
  return true;
}

/** The equality requirements of a selector, usable with the store's label index. */
export function equalityLabels(reqs: LabelRequirement[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of reqs) if (r.op === '=' || (r.op === 'in' && r.values.length === 1)) out[r.key] = r.values[0] as string;
  return out;
}

/** The field labels kube-apiserver supports besides metadata.name and metadata.namespace, by kind. */
const FIELD_LABELS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Job: ['status.successful'],
};

/**
 * Parses a field selector string; throws a 400 Status error when it is malformed or, when `kind` is given,
 * names a field label kube-apiserver does not support for that kind.
 */
export function parseFieldSelector(s: string | null | undefined, kind?: string): FieldRequirement[] {
  if (!s) return [];
  return splitTerms(s).map((term) => {
    const m = /^([A-Za-z0-9_.\-[\]]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    const path = m[1] as string;
    if (kind !== undefined && path !== 'metadata.name' && path !== 'metadata.namespace' && !(FIELD_LABELS[kind] ?? []).includes(path)) {
      throw badRequest(`field label not supported: ${path}`);
    }
    return { path: path === 'source' && kind === 'Event' ? 'source.component' : path, op: m[2] === '!=' ? '!=' : '=', value: (m[3] ?? '').trim() };
  });
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** True when the object satisfies every field requirement. */
export function matchFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  for (const r of reqs) {
    const v = fieldValue(obj, r.path);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}

/** A compiled list/watch filter. */
export interface ObjectFilter {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** Builds a filter from the labelSelector and fieldSelector query parameters (field labels checked against `kind`). */
export function parseFilter(q: URLSearchParams, kind?: string): ObjectFilter {
  return { labels: parseLabelSelector(q.get('labelSelector')), fields: parseFieldSelector(q.get('fieldSelector'), kind) };
}

/** True when the object passes the filter. */
export function matchFilter(f: ObjectFilter, obj: KubeObject): boolean {
  return matchLabels(f.labels, obj.metadata.labels) && matchFields(f.fields, obj);
}
