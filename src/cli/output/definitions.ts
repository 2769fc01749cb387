/**
 * `list` and `describe` outputs of Pipelines and Tasks: NAME AGE LAST RUN STARTED DURATION STATUS for
 * pipelines, NAME DESCRIPTION AGE for tasks; describe lists params, results, workspaces, tasks or steps, and
 * the latest runs.
 */
import type { ParamSpec, Pipeline, PipelineRun, PipelineTask, Task, TaskRun } from '../../api/types.js';
import { DescribeDoc, formatValue, visibleAnnotations } from './describe.js';
import { sortRunsByStart } from './runs.js';
import { statusText } from './status.js';
import { table } from './table.js';
import type { Theme } from './theme.js';
import { age, duration } from './time.js';

/** A description cut to its first line and 20 characters (`…` as tkn's `...`). */
export function shortDescription(desc: string | undefined): string {
  const first = (desc ?? '').split('\n')[0]?.trim() ?? '';
  if (first === '') return '---';
  return first.length > 20 ? `${first.slice(0, 17)}...` : first;
}

/** The latest run: newest creationTimestamp, then newest start time (runs never started last). */
export function latestRun<T extends PipelineRun | TaskRun>(runs: T[]): T | undefined {
  const byStart = sortRunsByStart(runs);
  const started = (r: T): number => (r.status?.startTime ? 1 : 0);
  return [...byStart].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || started(b) - started(a))[0];
}

/** Options shared by the definition tables. */
export interface DefinitionTableOptions {
  now: Date;
  theme: Theme;
  noHeaders?: boolean;
  allNamespaces?: boolean;
}

/** `tkt pipeline list`: each pipeline with its latest run (runs matched by label tekton.dev/pipeline). */
export function formatPipelineTable(pipelines: Pipeline[], runs: PipelineRun[], opts: DefinitionTableOptions): string {
  if (pipelines.length === 0) return 'No pipelines found\n';
  const rows: string[][] = [];
  const ns = opts.allNamespaces ? ['NAMESPACE'] : [];
  if (!opts.noHeaders) rows.push([...ns, 'NAME', 'AGE', 'LAST RUN', 'STARTED', 'DURATION', 'STATUS']);
  for (const p of [...pipelines].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const mine = runs.filter((r) => r.metadata.labels?.['tekton.dev/pipeline'] === p.metadata.name && r.metadata.namespace === p.metadata.namespace);
    const last = latestRun(mine);
    const nsCell = opts.allNamespaces ? [p.metadata.namespace ?? ''] : [];
    const st = last?.status;
    rows.push([...nsCell, p.metadata.name ?? '', age(p.metadata.creationTimestamp, opts.now), last?.metadata.name ?? '---',
      age(st?.startTime, opts.now), duration(st?.startTime, st?.completionTime), last ? statusText(st?.conditions, opts.theme) : '---']);
  }
  return table(rows);
}

/** `tkt task list`: NAME DESCRIPTION AGE. */
export function formatTaskTable(tasks: Task[], opts: DefinitionTableOptions): string {
  if (tasks.length === 0) return 'No tasks found\n';
  const rows: string[][] = [];
  const ns = opts.allNamespaces ? ['NAMESPACE'] : [];
  if (!opts.noHeaders) rows.push([...ns, 'NAME', 'DESCRIPTION', 'AGE']);
  for (const t of [...tasks].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const nsCell = opts.allNamespaces ? [t.metadata.namespace ?? ''] : [];
    rows.push([...nsCell, t.metadata.name ?? '', shortDescription(t.spec.description), age(t.metadata.creationTimestamp, opts.now)]);
  }
  return table(rows);
}

function paramRows(params: ParamSpec[] | undefined): string[][] {
  return (params ?? []).map((p) => [p.name, p.type ?? 'string', shortDescription(p.description), p.default === undefined ? '---' : formatValue(p.default)]);
}

function taskRows(tasks: PipelineTask[] | undefined): string[][] {
  return (tasks ?? []).map((t) => [
    t.name, t.taskRef?.name ?? (t.taskSpec ? '(embedded)' : '---'), t.runAfter?.join(', ') || '---', t.timeout ?? '---',
    (t.params ?? []).map((p) => `${p.name}: ${formatValue(p.value)}`).join(', ') || '---',
  ]);
}

function runRows(runs: Array<PipelineRun | TaskRun>, now: Date, theme: Theme): string[][] {
  return sortRunsByStart(runs).slice(0, 5).map((r) => [r.metadata.name ?? '', age(r.status?.startTime, now), duration(r.status?.startTime, r.status?.completionTime), statusText(r.status?.conditions, theme)]);
}

/** `tkt pipeline describe`. `runs` are the pipeline's runs (the latest five are shown). */
export function describePipeline(p: Pipeline, runs: PipelineRun[], now: Date, theme: Theme): string {
  const doc = new DescribeDoc(theme)
    .field('Name', p.metadata.name).field('Namespace', p.metadata.namespace).field('Description', p.spec.description)
    .map('Labels', p.metadata.labels).map('Annotations', visibleAnnotations(p.metadata.annotations));
  doc.tableSection('Params', ['NAME', 'TYPE', 'DESCRIPTION', 'DEFAULT VALUE'], paramRows(p.spec.params));
  doc.tableSection('Results', ['NAME', 'DESCRIPTION', 'VALUE'], (p.spec.results ?? []).map((r) => [r.name, shortDescription(r.description), formatValue(r.value)]));
  doc.tableSection('Workspaces', ['NAME', 'DESCRIPTION', 'OPTIONAL'], (p.spec.workspaces ?? []).map((w) => [w.name, shortDescription(w.description), String(w.optional ?? false)]));
  doc.tableSection('Tasks', ['NAME', 'TASKREF', 'RUNAFTER', 'TIMEOUT', 'PARAMS'], taskRows(p.spec.tasks));
  doc.tableSection('Finally Tasks', ['NAME', 'TASKREF', 'RUNAFTER', 'TIMEOUT', 'PARAMS'], taskRows(p.spec.finally));
  doc.tableSection('PipelineRuns', ['NAME', 'STARTED', 'DURATION', 'STATUS'], runRows(runs, now, theme));
  return doc.render();
}

/** `tkt task describe`. `runs` are the task's runs (the latest five are shown). */
export function describeTask(t: Task, runs: TaskRun[], now: Date, theme: Theme): string {
  const doc = new DescribeDoc(theme)
    .field('Name', t.metadata.name).field('Namespace', t.metadata.namespace).field('Description', t.spec.description)
    .map('Labels', t.metadata.labels).map('Annotations', visibleAnnotations(t.metadata.annotations));
  doc.tableSection('Params', ['NAME', 'TYPE', 'DESCRIPTION', 'DEFAULT VALUE'], paramRows(t.spec.params));
  doc.tableSection('Results', ['NAME', 'DESCRIPTION'], (t.spec.results ?? []).map((r) => [r.name, shortDescription(r.description)]));
  doc.tableSection('Workspaces', ['NAME', 'DESCRIPTION', 'OPTIONAL'], (t.spec.workspaces ?? []).map((w) => [w.name, shortDescription(w.description), String(w.optional ?? false)]));
  doc.tableSection('Steps', ['NAME'], (t.spec.steps ?? []).map((s, i) => [s.name ?? `unnamed-${i}`]));
  doc.tableSection('TaskRuns', ['NAME', 'STARTED', 'DURATION', 'STATUS'], runRows(runs, now, theme));
  return doc.render();
}
