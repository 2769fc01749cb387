/**
 * Semantic checks of a CustomRun spec (Tekton's customrun_validation.go): exactly one of customRef / customSpec,
 * each naming the custom task's apiVersion and kind; statusMessage only with status; params and workspaces.
 */
import type { CustomRunSpec } from '../types.js';
import { timeoutProblem } from './duration.js';
import { type FieldErrors } from './field-errors.js';
import { validateParams } from './params.validate.js';
import { validateBindings, validateStatusMessage } from './runs.validate.js';

/** Validates a CustomRun spec at `spec`. */
export function validateCustomRunSpec(errs: FieldErrors, spec: CustomRunSpec): void {
  const { customRef: ref, customSpec: embedded } = spec;
  if (ref && embedded) errs.add('spec.customSpec', 'expected exactly one, got both: spec.customRef, spec.customSpec; use one');
  if (!ref && !embedded) errs.add('spec', 'expected exactly one, got neither: spec.customRef, spec.customSpec; add one');
  for (const [key, v] of [['customRef', ref], ['customSpec', embedded]] as const) {
    if (!v) continue;
    if (!v.apiVersion) errs.add(`spec.${key}.apiVersion`, 'missing field(s): the custom task\'s apiVersion (e.g. wait.testing.tekton.dev/v1beta1)');
    if (!v.kind) errs.add(`spec.${key}.kind`, 'missing field(s): the custom task\'s kind (e.g. Wait)');
  }
  validateStatusMessage(errs, 'CustomRun', spec);
  if (spec.timeout !== undefined) {
    const problem = timeoutProblem(spec.timeout);
    if (problem) errs.add('spec.timeout', problem);
  }
  if (spec.retries !== undefined && spec.retries < 0) errs.add('spec.retries', `retries must be 0 or more, not ${spec.retries}`);
  validateParams(errs, spec.params, 'spec.params');
  validateBindings(errs, spec.workspaces, 'spec.workspaces');
}
