/**
 * The summary `tkt run` prints at the end (pure): each run with its status and duration, then each of its
 * tasks — succeeded, failed (with the failure message), skipped (with the reason) or never started.
 */
import type { Condition, CustomRun, KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import { pipelineTaskOf } from '../output/pipelinerun.js';
import { statusText, statusWord, succeededCondition } from '../output/status.js';
import { alignTabs } from '../output/table.js';
import { colorStatus, type Theme } from '../output/theme.js';
import { duration } from '../output/time.js';
import { executionOrder } from '../logs/pipelinerun.js';

/** A finished (or abandoned) run and its TaskRuns (and its child PipelineRuns and CustomRuns). */
export interface RunOutcome {
  run: KubeObject;
  taskRuns: TaskRun[];
  others?: Array<PipelineRun | CustomRun>;
}

function message(conditions: Condition[] | undefined): string {
  const c = succeededCondition(conditions);
  return c?.status === 'False' && c.message ? c.message.split('\n')[0] ?? '' : '';
}

function taskLines(pr: PipelineRun, taskRuns: TaskRun[], theme: Theme, others: ReadonlyArray<PipelineRun | CustomRun> = []): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const tr of [...executionOrder(pr, taskRuns), ...others]) {
    const task = pipelineTaskOf(pr, tr);
    seen.add(task);
    const st = tr.status;
    lines.push(`  ${task}\t${statusText(st?.conditions, theme)}\t${duration(st?.startTime, st?.completionTime)}\t${message(st?.conditions)}`);
  }
  for (const s of pr.status?.skippedTasks ?? []) {
    seen.add(s.name);
    lines.push(`  ${s.name}\t${colorStatus(theme, 'Skipped')}\t---\t${s.reason}`);
  }
  const spec = pr.status?.pipelineSpec ?? pr.spec.pipelineSpec;
  for (const t of [...(spec?.tasks ?? []), ...(spec?.finally ?? [])]) {
    if (!seen.has(t.name)) lines.push(`  ${t.name}\tNot started\t---\t`);
  }
  return lines;
}

function runLine(run: KubeObject, theme: Theme): string {
  const r = run as PipelineRun | TaskRun;
  const st = r.status;
  const msg = statusWord(st?.conditions) === 'Succeeded' ? '' : message(st?.conditions);
  return `${run.kind} ${run.metadata.name ?? ''}\t${statusText(st?.conditions, theme)}\t${duration(st?.startTime, st?.completionTime)}\t${msg}`;
}

/** The summary text (ends in a newline). */
export function formatSummary(outcomes: RunOutcome[], theme: Theme, note?: string): string {
  const lines: string[] = [theme.enabled ? theme.c.bold('Summary') : 'Summary'];
  if (note) lines.push(note);
  for (const o of outcomes) {
    lines.push(runLine(o.run, theme));
    if (o.run.kind === 'PipelineRun') lines.push(...taskLines(o.run as PipelineRun, o.taskRuns, theme, o.others));
  }
  return alignTabs(`${lines.join('\n')}\n`).replace(/ +$/gm, '');
}

/** True when every run succeeded. */
export function allSucceeded(outcomes: RunOutcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => statusWord((o.run as PipelineRun).status?.conditions) === 'Succeeded');
}
