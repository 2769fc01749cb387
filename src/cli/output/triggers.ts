/** `tkt triggertemplate|triggerbinding|clustertriggerbinding list|describe` outputs, as tkn prints them. */
import type { KubeObject } from '../../api/types.js';
import { DescribeDoc, visibleAnnotations } from './describe.js';
import { table } from './table.js';
import type { Theme } from './theme.js';
import { age } from './time.js';

/** The fields of TriggerTemplates and (Cluster)TriggerBindings the CLI reads. */
export interface TriggerResourceLike extends KubeObject {
  spec?: {
    params?: Array<{ name: string; description?: string; default?: string; value?: string }>;
    resourcetemplates?: Array<{ apiVersion?: string; kind?: string; metadata?: { name?: string; generateName?: string } }>;
  };
}

/** `list`: NAME AGE (NAMESPACE first with -A). */
export function formatTriggerResourceTable(kind: string, items: TriggerResourceLike[], opts: { now: Date; noHeaders?: boolean; allNamespaces?: boolean }): string {
  if (items.length === 0) return `No ${kind}s found\n`;
  const ns = opts.allNamespaces ? ['NAMESPACE'] : [];
  const rows: string[][] = opts.noHeaders ? [] : [[...ns, 'NAME', 'AGE']];
  const sorted = [...items].sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`));
  for (const o of sorted) rows.push([...(opts.allNamespaces ? [o.metadata.namespace ?? ''] : []), o.metadata.name ?? '', age(o.metadata.creationTimestamp, opts.now)]);
  return table(rows);
}

function header(obj: TriggerResourceLike, theme: Theme): DescribeDoc {
  return new DescribeDoc(theme).field('Name', obj.metadata.name).field('Namespace', obj.metadata.namespace)
    .map('Labels', obj.metadata.labels).map('Annotations', visibleAnnotations(obj.metadata.annotations));
}

/** `describe` of a TriggerTemplate: params (NAME DESCRIPTION DEFAULT VALUE) and resource templates. */
export function describeTriggerTemplate(tt: TriggerResourceLike, theme: Theme): string {
  const params = (tt.spec?.params ?? []).map((p) => [p.name, p.description || '---', p.default ?? '---']);
  const templates = (tt.spec?.resourcetemplates ?? []).map((r) => [r.metadata?.name || '---', r.metadata?.generateName || '---', r.kind ?? '---', r.apiVersion ?? '---']);
  return header(tt, theme)
    .tableSection('Params', ['NAME', 'DESCRIPTION', 'DEFAULT VALUE'], params)
    .tableSection('ResourceTemplates', ['NAME', 'GENERATENAME', 'KIND', 'APIVERSION'], templates)
    .render();
}

/** `describe` of a TriggerBinding or ClusterTriggerBinding: params (NAME VALUE). */
export function describeTriggerBinding(tb: TriggerResourceLike, theme: Theme): string {
  const params = (tb.spec?.params ?? []).map((p) => [p.name, p.value ?? '---']);
  return header(tb, theme).tableSection('Params', ['NAME', 'VALUE'], params).render();
}
