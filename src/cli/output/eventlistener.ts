/** `tkt eventlistener list|describe` outputs: NAME AGE URL AVAILABLE, and the triggers of one listener. */
import type { Condition, KubeObject } from '../../api/types.js';
import { DescribeDoc, visibleAnnotations } from './describe.js';
import { table } from './table.js';
import type { Theme } from './theme.js';
import { age } from './time.js';

/** The EventListener fields the CLI reads (triggers.tekton.dev/v1beta1). */
export interface EventListenerLike extends KubeObject {
  spec?: {
    serviceAccountName?: string;
    triggers?: Array<{
      name?: string;
      triggerRef?: string;
      bindings?: Array<{ ref?: string; name?: string; kind?: string; value?: string }>;
      template?: { ref?: string; name?: string };
      interceptors?: Array<{ name?: string; ref?: { name?: string; kind?: string } }>;
    }>;
  };
  status?: { address?: { url?: string }; conditions?: Condition[] };
}

function available(el: EventListenerLike): string {
  return el.status?.conditions?.find((c) => c.type === 'Available')?.status ?? '---';
}

/** `tkt eventlistener list`. */
export function formatEventListenerTable(items: EventListenerLike[], opts: { now: Date; noHeaders?: boolean; allNamespaces?: boolean }): string {
  if (items.length === 0) return 'No EventListeners found\n';
  const rows: string[][] = [];
  const ns = opts.allNamespaces ? ['NAMESPACE'] : [];
  if (!opts.noHeaders) rows.push([...ns, 'NAME', 'AGE', 'URL', 'AVAILABLE']);
  for (const el of [...items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const nsCell = opts.allNamespaces ? [el.metadata.namespace ?? ''] : [];
    rows.push([...nsCell, el.metadata.name ?? '', age(el.metadata.creationTimestamp, opts.now), el.status?.address?.url ?? '---', available(el)]);
  }
  return table(rows);
}

type ElTrigger = NonNullable<NonNullable<EventListenerLike['spec']>['triggers']>[number];

function triggerRow(t: ElTrigger, i: number): string[] {
  const bindings = (t.bindings ?? []).map((b) => b.ref ?? b.name ?? '').filter(Boolean).join(', ');
  const interceptors = (t.interceptors ?? []).map((x) => x.ref?.name ?? x.name ?? '').filter(Boolean).join(', ');
  return [t.name ?? t.triggerRef ?? `trigger-${i}`, bindings || '---', t.template?.ref ?? t.template?.name ?? '---', interceptors || '---'];
}

/** `tkt eventlistener describe`. */
export function describeEventListener(el: EventListenerLike, theme: Theme): string {
  const doc = new DescribeDoc(theme)
    .field('Name', el.metadata.name).field('Namespace', el.metadata.namespace)
    .field('Service Account', el.spec?.serviceAccountName).field('URL', el.status?.address?.url)
    .map('Labels', el.metadata.labels).map('Annotations', visibleAnnotations(el.metadata.annotations));
  doc.tableSection('Triggers', ['NAME', 'BINDINGS', 'TEMPLATE', 'INTERCEPTORS'], (el.spec?.triggers ?? []).map(triggerRow));
  return doc.render();
}
