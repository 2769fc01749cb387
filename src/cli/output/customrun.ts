/**
 * `tkt customrun describe` output (tkn's layout: Name, Namespace, Custom Ref, Service Account, Timeout, Labels,
 * Annotations, then Status, Message, Params, Results, Workspaces), and the CustomRun rows of
 * `tkt pipelinerun describe`.
 */
import type { CustomRun, CustomRunSpec } from '../../api/types.js';
import { formatDuration, parseDuration } from '../../engine/durations.js';
import { DescribeDoc, formatValue, visibleAnnotations, workspaceRows } from './describe.js';
import { statusText, succeededCondition } from './status.js';
import type { Theme } from './theme.js';
import { age, duration } from './time.js';

/** Input of {@link describeCustomRun}. */
export interface CustomRunDescribeInput {
  customRun: CustomRun;
  now: Date;
  theme: Theme;
}

/** tkn's "Custom Ref": the referenced custom task's name, else the embedded spec's apiVersion/kind. */
export function customRefText(spec: CustomRunSpec): string | undefined {
  if (spec.customRef?.name) return spec.customRef.name;
  if (spec.customSpec) return `${spec.customSpec.apiVersion ?? ''}/${spec.customSpec.kind ?? ''}`;
  return undefined;
}

/** The custom task's type, `<apiVersion> <kind>`. */
export function customTaskType(spec: CustomRunSpec): string {
  const t = spec.customRef ?? spec.customSpec;
  return `${t?.apiVersion ?? ''} ${t?.kind ?? ''}`.trim();
}

/** A CustomRun no controller has acted on yet (no status), which Tekton leaves pending. */
export function isUntouched(run: CustomRun): boolean {
  return !run.status?.conditions?.length;
}

/** The timeout as Go prints a duration (`1h0m0s`), or undefined when unset or zero. */
function timeoutText(timeout: string | undefined): string | undefined {
  if (timeout === undefined) return undefined;
  const ms = parseDuration(timeout);
  return Number.isFinite(ms) && ms > 0 ? formatDuration(ms) : undefined;
}

/** The describe document of a CustomRun. */
export function describeCustomRun(input: CustomRunDescribeInput): string {
  const { customRun: cr, now, theme } = input;
  const st = cr.status;
  const doc = new DescribeDoc(theme)
    .field('Name', cr.metadata.name)
    .field('Namespace', cr.metadata.namespace)
    .field('Custom Ref', customRefText(cr.spec))
    .field('Service Account', cr.spec.serviceAccountName)
    .field('Timeout', timeoutText(cr.spec.timeout))
    .map('Labels', cr.metadata.labels)
    .map('Annotations', visibleAnnotations(cr.metadata.annotations));
  doc.section('Status', ['STARTED\tDURATION\tSTATUS', `${age(st?.startTime, now)}\t${duration(st?.startTime, st?.completionTime)}\t${statusText(st?.conditions, theme)}`]);
  const c = succeededCondition(st?.conditions);
  if (c?.status === 'False' && c.message) doc.section('Message', [c.message]);
  else if (isUntouched(cr)) doc.section('Message', [`Pending: no controller for ${customTaskType(cr.spec)} has started this CustomRun`]);
  doc.tableSection('Params', ['NAME', 'VALUE'], (cr.spec.params ?? []).map((p) => [p.name, formatValue(p.value)]));
  doc.tableSection('Results', ['NAME', 'VALUE'], (st?.results ?? []).map((r) => [r.name, r.value]));
  doc.tableSection('Workspaces', ['NAME', 'SUB PATH', 'WORKSPACE BINDING'], workspaceRows(cr.spec.workspaces));
  return doc.render();
}
