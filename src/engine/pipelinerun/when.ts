/**
 * `when` expressions of pipeline tasks: substituted first (array variables in `values` expand), then AND-ed:
 * `in` means input is one of the values, `notin` the opposite. `cel` expressions (alpha in Tekton) are evaluated
 * with cel-js after substitution and must yield a boolean.
 */
import { evaluate } from '@marcbachmann/cel-js';
import type { WhenExpression } from '../../api/types.js';
import { type Replacements, replaceString, replaceStringArray } from '../substitution/replace.js';

/** The expressions with variables replaced (what status.skippedTasks and childReferences report). */
export function substituteWhen(when: readonly WhenExpression[], r: Replacements): WhenExpression[] {
  return when.map((w) => {
    const out: WhenExpression = { ...w };
    if (w.input !== undefined) out.input = replaceString(w.input, r);
    if (w.values !== undefined) out.values = replaceStringArray(w.values, r);
    if (w.cel !== undefined) out.cel = replaceString(w.cel, r);
    return out;
  });
}

/** Result of evaluating substituted expressions: whether the task may run, or a CEL error. */
export type WhenVerdict = { ok: true; allowed: boolean } | { ok: false; message: string };

/** Evaluates substituted expressions (all must hold). */
export function evaluateWhen(when: readonly WhenExpression[]): WhenVerdict {
  for (const w of when) {
    if (w.cel !== undefined) {
      const v = evalCel(w.cel);
      if (!v.ok || !v.allowed) return v;
      continue;
    }
    const found = (w.values ?? []).includes(w.input ?? '');
    if ((w.operator === 'notin' ? !found : found) === false) return { ok: true, allowed: false };
  }
  return { ok: true, allowed: true };
}

function evalCel(expr: string): WhenVerdict {
  try {
    const v: unknown = evaluate(expr);
    if (typeof v !== 'boolean') return { ok: false, message: `CEL expression "${expr}" did not evaluate to a boolean` };
    return { ok: true, allowed: v };
  } catch (err) {
    return { ok: false, message: `error evaluating CEL expression "${expr}": ${(err as Error).message}` };
  }
}
