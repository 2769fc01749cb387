/**
 * The `-when_expressions` flag of a step (Tekton passes the step's `when` as JSON to its entrypoint, which
 * evaluates it after the previous step, once step results are known). `cel` expressions are evaluated here,
 * when the pod is built (their variables are all known then), and passed on as an input/operator/values
 * expression with the same outcome; a CEL expression that reads a step result cannot be evaluated here and is
 * refused with a message (see docs/differences.md).
 */
import type { Step, WhenExpression } from '../api/types.js';
import { evaluateWhen } from '../engine/pipelinerun/when.js';

type Failure = { ok: false; reason: string; message: string };

function wireForm(w: WhenExpression, stepName: string): WhenExpression | Failure {
  if (w.cel === undefined || w.cel === '') return { input: w.input ?? '', operator: w.operator, values: w.values ?? [] };
  if (w.cel.includes('$(steps.')) {
    return {
      ok: false, reason: 'TaskRunValidationFailed',
      message: `step "${stepName}": the CEL when expression ${JSON.stringify(w.cel)} reads a step result, which tektite does not support in CEL; ` +
        'compare it with input/operator/values instead (input: "$(steps.<step>.results.<name>)", operator: in, values: [...])',
    };
  }
  const verdict = evaluateWhen([{ cel: w.cel }]);
  if (!verdict.ok) return { ok: false, reason: 'TaskRunValidationFailed', message: `step "${stepName}": ${verdict.message}` };
  return { input: String(verdict.allowed), operator: 'in', values: ['true'] };
}

/** The helper flags carrying the step's when expressions (none when it has none). */
export function whenFlags(step: Step, stepName: string): { ok: true; flags: string[] } | Failure {
  if (!step.when || step.when.length === 0) return { ok: true, flags: [] };
  const wire: WhenExpression[] = [];
  for (const w of step.when) {
    const out = wireForm(w, stepName);
    if ('ok' in out) return out;
    wire.push(out);
  }
  return { ok: true, flags: ['-when_expressions', JSON.stringify(wire)] };
}
