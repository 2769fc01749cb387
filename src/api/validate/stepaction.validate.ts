/**
 * StepAction checks (Tekton's StepActionSpec.Validate): an image, script vs command, declared params, and no
 * `$(params.x)` in `script` (a shell-injection guard: params reach scripts through env).
 */
import type { StepActionSpec } from '../types.js';
import { type FieldErrors, joinPath } from './field-errors.js';
import { validateParamSpecs } from './params.validate.js';
import { refsIn } from './refs.js';
import { validateResults } from './task.validate.js';

/** Validates a StepAction spec at `spec`. */
export function validateStepActionSpec(errs: FieldErrors, spec: StepActionSpec): void {
  if (!spec.image) errs.add('spec.image', 'required field is missing: add an image');
  if (spec.script && spec.command && spec.command.length > 0) errs.add('spec.script', 'script cannot be used with command: put the command in the script, or drop the script');
  validateParamSpecs(errs, spec.params, 'spec.params');
  validateResults(errs, spec.results, 'spec.results');
  const declared = new Set((spec.params ?? []).map((p) => p.name));
  for (const ref of refsIn(spec, 'spec', new Set(['params', 'results']))) {
    const [head, name] = ref.segments;
    if (head !== 'params' || name === undefined) continue;
    if (ref.keys[0] === 'script') {
      errs.add(ref.path, `param substitution in scripts is not allowed ("$(${ref.expr})"); pass the param through env (env: [{name: X, value: "$(params.${name})"}]) and use $X`);
    } else if (!declared.has(name) && !declared.has(ref.segments.slice(1).join('.'))) {
      errs.add(ref.path, `"$(${ref.expr})" refers to param "${name}", which the StepAction does not declare; declare it under spec.params`);
    }
  }
  (spec.volumeMounts ?? []).forEach((vm, i) => {
    if (vm.mountPath.startsWith('/tekton/') && !vm.mountPath.startsWith('/tekton/home')) {
      errs.add(joinPath('spec.volumeMounts', i, 'mountPath'), `volumeMount "${vm.name}" cannot be mounted under /tekton/ (reserved for Tekton)`);
    }
  });
}
