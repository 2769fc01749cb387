/** `tkt taskrun describe` output (tkn's layout: fields, Status, Message, Params, Results, Workspaces, Steps, Sidecars). */
import type { ContainerState, TaskRun } from '../../api/types.js';
import { DescribeDoc, formatValue, visibleAnnotations, workspaceRows } from './describe.js';
import { statusText, succeededCondition } from './status.js';
import { colorStatus, type Theme } from './theme.js';
import { age, duration } from './time.js';

/** Input of {@link describeTaskRun}. */
export interface TaskRunDescribeInput {
  taskRun: TaskRun;
  now: Date;
  theme: Theme;
}

/** A step's or sidecar's STATUS cell: terminated reason, `Running`, waiting reason, or `---`. */
export function containerStateText(state: ContainerState | undefined, theme: Theme): string {
  if (state?.terminated) return colorStatus(theme, state.terminated.reason ?? (state.terminated.exitCode === 0 ? 'Completed' : 'Error'));
  if (state?.running) return colorStatus(theme, 'Running');
  if (state?.waiting) return state.waiting.reason ?? 'Waiting';
  return '---';
}

/** The describe document of a TaskRun. */
export function describeTaskRun(input: TaskRunDescribeInput): string {
  const { taskRun: tr, now, theme } = input;
  const st = tr.status;
  const doc = new DescribeDoc(theme)
    .field('Name', tr.metadata.name)
    .field('Namespace', tr.metadata.namespace)
    .field('Task Ref', tr.spec.taskRef?.name)
    .field('Service Account', tr.spec.serviceAccountName)
    .field('Timeout', tr.spec.timeout)
    .map('Labels', tr.metadata.labels)
    .map('Annotations', visibleAnnotations(tr.metadata.annotations));
  doc.section('Status', ['STARTED\tDURATION\tSTATUS', `${age(st?.startTime, now)}\t${duration(st?.startTime, st?.completionTime)}\t${statusText(st?.conditions, theme)}`]);
  const c = succeededCondition(st?.conditions);
  if (c?.status === 'False' && c.message) doc.section('Message', [c.message]);
  doc.tableSection('Params', ['NAME', 'VALUE'], (tr.spec.params ?? []).map((p) => [p.name, formatValue(p.value)]));
  doc.tableSection('Results', ['NAME', 'VALUE'], (st?.results ?? []).map((r) => [r.name, formatValue(r.value)]));
  doc.tableSection('Workspaces', ['NAME', 'SUB PATH', 'WORKSPACE BINDING'], workspaceRows(tr.spec.workspaces));
  const steps = stepRows(tr, theme);
  doc.tableSection('Steps', ['NAME', 'STATUS'], steps);
  doc.tableSection('Sidecars', ['NAME', 'STATUS'], (st?.sidecars ?? []).map((s) => [s.name, containerStateText(s, theme)]));
  return doc.render();
}

/** Steps from status (with states) or, before the pod exists, from the spec (`---`). */
function stepRows(tr: TaskRun, theme: Theme): string[][] {
  const states = tr.status?.steps ?? [];
  if (states.length > 0) return states.map((s) => [s.name, containerStateText(s, theme)]);
  const spec = tr.status?.taskSpec ?? tr.spec.taskSpec;
  return (spec?.steps ?? []).map((s, i) => [s.name ?? `unnamed-${i}`, '---']);
}
