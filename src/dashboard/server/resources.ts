/**
 * The definition pages (Tasks, Pipelines, EventListeners and the Triggers kinds) and the Events page: lists read
 * from the API server when asked (these are few, unlike runs), rows cut down to what a table shows, and any
 * object as YAML.
 */
import { stringify } from 'yaml';
import { kindFor, KINDS, apiVersionOf, type KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';

/** Kinds the dashboard shows (lists and YAML). */
const SHOWN = ['Task', 'Pipeline', 'PipelineRun', 'TaskRun', 'CustomRun', 'StepAction', 'EventListener', 'Trigger', 'TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate', 'Interceptor', 'ClusterInterceptor'];

/** The registry entry of a kind the dashboard shows, by kind name (`Task`) or plural (`tasks`). */
export function shownKind(name: string): KindInfo | undefined {
  const info = KINDS.find((k) => k.kind === name || k.plural === name);
  return info && SHOWN.includes(info.kind) ? info : undefined;
}

export interface ResourceRow {
  kind: string;
  namespace?: string;
  name: string;
  created: string;
  description?: string;
  /** Pipelines: task names; Tasks: step names; EventListeners: trigger names. */
  parts: string[];
  /** EventListeners: address and Ready condition. */
  address?: string;
  ready?: string;
}

function row(info: KindInfo, o: KubeObject): ResourceRow {
  const spec = (o.spec ?? {}) as { description?: string; tasks?: Array<{ name: string }>; finally?: Array<{ name: string }>; steps?: Array<{ name?: string }>; triggers?: Array<{ name?: string; triggerRef?: string }> };
  const status = (o.status ?? {}) as { address?: { url?: string }; conditions?: Array<{ type: string; status: string; reason?: string }> };
  const r: ResourceRow = { kind: info.kind, name: o.metadata.name ?? '', created: o.metadata.creationTimestamp ?? '', parts: [] };
  if (o.metadata.namespace) r.namespace = o.metadata.namespace;
  if (spec.description) r.description = spec.description.split('\n')[0];
  if (info.kind === 'Pipeline') r.parts = [...(spec.tasks ?? []), ...(spec.finally ?? [])].map((t) => t.name);
  if (info.kind === 'Task' || info.kind === 'StepAction') r.parts = (spec.steps ?? []).map((s, i) => s.name ?? `unnamed-${i}`);
  if (info.kind === 'EventListener') {
    r.parts = (spec.triggers ?? []).map((t, i) => t.name ?? t.triggerRef ?? `trigger-${i}`);
    if (status.address?.url) r.address = status.address.url;
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (ready) r.ready = `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`;
  }
  return r;
}

/** Rows of a kind, by namespace then name. */
export async function listResources(client: KubeClient, info: KindInfo, namespace?: string): Promise<ResourceRow[]> {
  const list = await client.list<KubeObject>({ apiVersion: apiVersionOf(info), kind: info.kind }, info.namespaced ? namespace : undefined);
  return list.items.map((o) => row(info, o)).sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}

/** An object as YAML, without managedFields. */
export async function objectYaml(client: KubeClient, info: KindInfo, namespace: string | undefined, name: string): Promise<string> {
  const obj = await client.get<KubeObject>({ apiVersion: apiVersionOf(info), kind: info.kind }, info.namespaced ? namespace : undefined, name);
  const { managedFields: _m, ...metadata } = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  return stringify({ ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(info), kind: obj.kind ?? info.kind, metadata }, { lineWidth: 0 });
}

export interface EventRow {
  namespace: string;
  type: string;
  reason: string;
  message: string;
  object: { kind: string; name: string; namespace?: string };
  count: number;
  last: string;
  source?: string;
}

interface CoreEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  lastTimestamp?: string;
  firstTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
}

/** Kubernetes Events, newest first, optionally about one object. */
export async function listEvents(client: KubeClient, opts: { namespace?: string; kind?: string; name?: string; limit?: number }): Promise<EventRow[]> {
  const fields = [opts.kind ? `involvedObject.kind=${opts.kind}` : '', opts.name ? `involvedObject.name=${opts.name}` : ''].filter(Boolean).join(',');
  const list = await client.list<CoreEvent>({ apiVersion: 'v1', kind: 'Event' }, opts.namespace, fields ? { fieldSelector: fields } : {});
  const rows = list.items.map((e): EventRow => {
    const r: EventRow = {
      namespace: e.metadata.namespace ?? '', type: e.type ?? 'Normal', reason: e.reason ?? '', message: e.message ?? '',
      object: { kind: e.involvedObject?.kind ?? '', name: e.involvedObject?.name ?? '', ...(e.involvedObject?.namespace ? { namespace: e.involvedObject.namespace } : {}) },
      count: e.count ?? 1, last: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '',
    };
    if (e.source?.component) r.source = e.source.component;
    return r;
  });
  rows.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
  return rows.slice(0, opts.limit ?? 500);
}

/** A kind's registry entry from an apiVersion/kind pair, for links from Events. */
export function infoOf(kind: string): KindInfo | undefined {
  return kindFor('tekton.dev/v1', kind) ?? shownKind(kind);
}
