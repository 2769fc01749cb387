/**
 * Checks of when expressions (Tekton's WhenExpressions.validate): either `cel`, or `input` + `operator`
 * (`in`/`notin`) + non-empty `values`.
 */
import type { WhenExpression } from '../types.js';
import { type FieldErrors, joinPath } from './field-errors.js';

/** Validates a list of when expressions at `base` (e.g. `spec.tasks[1].when`). */
export function validateWhen(errs: FieldErrors, when: readonly WhenExpression[] | undefined, base: string): void {
  (when ?? []).forEach((w, i) => {
    const at = joinPath(base, i);
    if (w.cel !== undefined) {
      if (w.input !== undefined || w.operator !== undefined || w.values !== undefined) {
        errs.add(at, 'a when expression uses either cel, or input/operator/values, not both; remove one form');
      }
      if (w.cel.trim() === '') errs.add(joinPath(at, 'cel'), 'cel must not be empty');
      return;
    }
    if (w.input === undefined) errs.add(joinPath(at, 'input'), 'required field is missing: add input (the value to test, e.g. "$(params.branch)")');
    if (w.operator === undefined) errs.add(joinPath(at, 'operator'), 'required field is missing: operator must be "in" or "notin"');
    if (!w.values || w.values.length === 0) errs.add(joinPath(at, 'values'), 'values must list at least one value to compare input with');
  });
}
