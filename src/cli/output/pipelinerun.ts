/** `tkt pipelinerun describe` output (tkn's layout: fields, Status, Message, Timeouts, Params, …). */
import type { CustomRun, PipelineRun, TaskRun } from '../../api/types.js';
import { customTaskType, isUntouched } from './customrun.js';
import { DescribeDoc, formatValue, visibleAnnotations, workspaceRows } from './describe.js';
import { sortRunsByStart } from './runs.js';
import { statusText, succeededCondition } from './status.js';
import type { Theme } from './theme.js';
import { age, duration } from './time.js';

/** Input of {@link describePipelineRun}. */
export interface PipelineRunDescribeInput {
  pipelineRun: PipelineRun;
  /** The child TaskRuns (from status.childReferences or the tekton.dev/pipelineRun label). */
  taskRuns: TaskRun[];
  /** Child CustomRuns (custom tasks) and child PipelineRuns (Pipelines in Pipelines), by the same label. */
  customRuns?: CustomRun[];
  pipelineRuns?: PipelineRun[];
  now: Date;
  theme: Theme;
}

/** The pipeline task a child runs, from childReferences or its label. */
export function pipelineTaskOf(pr: PipelineRun, tr: TaskRun | CustomRun | PipelineRun): string {
  const task = childTasks(pr).get(tr.metadata.name ?? '');
  return task ?? tr.metadata.labels?.['tekton.dev/pipelineTask'] ?? '---';
}

/** Child name → pipeline task, per childReferences array (a wide run has thousands: no search per child). */
const byChildRefs = new WeakMap<object, Map<string, string>>();

function childTasks(pr: PipelineRun): Map<string, string> {
  const refs = pr.status?.childReferences;
  if (!refs) return new Map();
  let m = byChildRefs.get(refs);
  if (!m) {
    m = new Map();
    for (const c of refs) if (c.name && c.pipelineTaskName && !m.has(c.name)) m.set(c.name, c.pipelineTaskName);
    byChildRefs.set(refs, m);
  }
  return m;
}

function failureMessage(pr: PipelineRun, taskRuns: TaskRun[]): string | undefined {
  const c = succeededCondition(pr.status?.conditions);
  if (c?.status !== 'False') return undefined;
  const failed = taskRuns.filter((tr) => succeededCondition(tr.status?.conditions)?.status === 'False').map((tr) => tr.metadata.name ?? '').sort();
  let msg = c.message ?? '';
  if (failed.length > 0) {
    const cancelled = (c.reason ?? '').includes('Cancelled');
    msg += `\nTaskRun(s) ${cancelled ? 'cancelled' : 'failed'}: ${failed.join(', ')}`;
  }
  return msg;
}

function timeoutLines(pr: PipelineRun, theme: Theme): string[] {
  const t = pr.spec.timeouts;
  if (!t) return [];
  const lines: string[] = [];
  const bold = (s: string): string => (theme.enabled ? theme.c.bold(s) : s);
  if (t.pipeline) lines.push(` ${bold('Pipeline')}:\t${t.pipeline}`);
  if (t.tasks) lines.push(` ${bold('Tasks')}:\t${t.tasks}`);
  if (t.finally) lines.push(` ${bold('Finally')}:\t${t.finally}`);
  return lines;
}

/** The describe document of a PipelineRun. */
export function describePipelineRun(input: PipelineRunDescribeInput): string {
  const { pipelineRun: pr, taskRuns, now, theme } = input;
  const doc = new DescribeDoc(theme)
    .field('Name', pr.metadata.name)
    .field('Namespace', pr.metadata.namespace)
    .field('Pipeline Ref', pr.spec.pipelineRef?.name)
    .field('Service Account', pr.spec.taskRunTemplate?.serviceAccountName)
    .map('Labels', pr.metadata.labels)
    .map('Annotations', visibleAnnotations(pr.metadata.annotations));
  const st = pr.status;
  doc.section('Status', ['STARTED\tDURATION\tSTATUS', `${age(st?.startTime, now)}\t${duration(st?.startTime, st?.completionTime)}\t${statusText(st?.conditions, theme)}`]);
  const msg = failureMessage(pr, taskRuns);
  if (msg) doc.section('Message', [msg]);
  const timeouts = timeoutLines(pr, theme);
  if (timeouts.length > 0) doc.raw('', theme.enabled ? `⏱  ${theme.c.bold(theme.c.underline('Timeouts'))}` : 'Timeouts', ...timeouts);
  doc.tableSection('Params', ['NAME', 'VALUE'], (pr.spec.params ?? []).map((p) => [p.name, formatValue(p.value)]));
  doc.tableSection('Results', ['NAME', 'VALUE'], (st?.results ?? []).map((r) => [r.name, formatValue(r.value)]));
  doc.tableSection('Workspaces', ['NAME', 'SUB PATH', 'WORKSPACE BINDING'], workspaceRows(pr.spec.workspaces));
  const trRows = sortRunsByStart(taskRuns).map((tr) => [
    tr.metadata.name ?? '', pipelineTaskOf(pr, tr), age(tr.status?.startTime, now),
    duration(tr.status?.startTime, tr.status?.completionTime), statusText(tr.status?.conditions, theme),
  ]);
  doc.tableSection('Taskruns', ['NAME', 'TASK NAME', 'STARTED', 'DURATION', 'STATUS'], trRows);
  otherChildren(doc, input);
  const skipped = (st?.skippedTasks ?? []).map((s) => [s.name, s.reason]);
  doc.tableSection('Skipped Tasks', ['NAME', 'REASON'], skipped);
  return doc.render();
}

/**
 * The CustomRuns (a CustomRun no controller has started says so: Tekton leaves it pending) and the child
 * PipelineRuns, in the layout of the Taskruns table.
 */
function otherChildren(doc: DescribeDoc, input: PipelineRunDescribeInput): void {
  const { pipelineRun: pr, now, theme } = input;
  const crRows = sortRunsByStart(input.customRuns ?? []).map((cr) => [
    cr.metadata.name ?? '', pipelineTaskOf(pr, cr), age(cr.status?.startTime, now), duration(cr.status?.startTime, cr.status?.completionTime),
    isUntouched(cr) ? `Pending (no controller for ${customTaskType(cr.spec)} has started it)` : statusText(cr.status?.conditions, theme),
  ]);
  doc.tableSection('CustomRuns', ['NAME', 'TASK NAME', 'STARTED', 'DURATION', 'STATUS'], crRows);
  const prRows = sortRunsByStart(input.pipelineRuns ?? []).map((c) => [
    c.metadata.name ?? '', pipelineTaskOf(pr, c), age(c.status?.startTime, now), duration(c.status?.startTime, c.status?.completionTime), statusText(c.status?.conditions, theme),
  ]);
  doc.tableSection('PipelineRuns', ['NAME', 'TASK NAME', 'STARTED', 'DURATION', 'STATUS'], prRows);
}
