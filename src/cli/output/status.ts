/**
 * The STATUS column: tkn's reading of a run's `Succeeded` condition (`Succeeded`, `Failed(PipelineRunTimeout)`,
 * `Cancelled(PipelineRunCancelled)`, `Running`, `---`), plus helpers to tell whether a run is done.
 */
import type { Condition } from '../../api/types.js';
import { colorStatus, type Theme } from './theme.js';

const CANCEL_REASONS = new Set(['PipelineRunCancelled', 'TaskRunCancelled', 'Cancelled', 'CancelledRunFinally', 'StoppedRunFinally']);

/** The condition tkn reads: the `Succeeded` one, else the first. */
export function succeededCondition(conditions: Condition[] | undefined): Condition | undefined {
  return conditions?.find((c) => c.type === 'Succeeded') ?? conditions?.[0];
}

/** The bare status word: Succeeded, Failed, Running, Cancelled, Pending, or `---`. */
export function statusWord(conditions: Condition[] | undefined): string {
  const c = succeededCondition(conditions);
  if (!c) return '---';
  if (c.reason && CANCEL_REASONS.has(c.reason)) return 'Cancelled';
  if (c.reason === 'PipelineRunPending' || c.reason === 'TaskRunPending') return 'Pending';
  if (c.status === 'True') return 'Succeeded';
  if (c.status === 'False') return 'Failed';
  return 'Running';
}

/** The STATUS cell: the word, coloured, plus `(Reason)` when the reason says more than the word. */
export function statusText(conditions: Condition[] | undefined, theme: Theme): string {
  const c = succeededCondition(conditions);
  if (!c) return '---';
  const word = statusWord(conditions);
  const colored = colorStatus(theme, word);
  if (!c.reason || c.reason === word || (word === 'Pending' && c.reason.endsWith('Pending'))) return colored;
  if (word === 'Cancelled' && c.reason === 'Cancelled') return colored;
  return `${colored}(${c.reason})`;
}

/** True when the condition is final (True or False). */
export function isDone(conditions: Condition[] | undefined): boolean {
  const c = succeededCondition(conditions);
  return c !== undefined && c.status !== 'Unknown';
}

/** True when the run finished with status True. */
export function isSucceeded(conditions: Condition[] | undefined): boolean {
  return succeededCondition(conditions)?.status === 'True';
}
