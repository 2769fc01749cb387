/**
 * Semantic checks of a TaskSpec (Tekton's TaskSpec.Validate): steps present, unique DNS-1123 step names,
 * script vs command, StepAction refs, step timeouts, reserved mount paths, workspaces, volumes, results.
 * Variable usage (declared params, array/object usage, context, results) is in task-vars.validate.ts.
 */
import type { Sidecar, Step, StepResult, TaskResult, TaskSpec } from '../types.js';
import { timeoutProblem } from './duration.js';
import { checkUnique, dnsLabelProblem, type FieldErrors, joinPath } from './field-errors.js';
import { validateParamSpecs } from './params.validate.js';
import { validateTaskVariables } from './task-vars.validate.js';
import { validateWhen } from './when.validate.js';

/** How strictly variable usage is checked: a Task kind must declare its params; inline specs may inherit them. */
export interface TaskSpecContext {
  /** Params visible without declaration (propagated from an enclosing run or pipeline); undefined = any. */
  inheritedParams?: ReadonlySet<string>;
}

const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Validates a TaskSpec at `base` (e.g. `spec`, `spec.taskSpec`, `spec.tasks[0].taskSpec`). */
export function validateTaskSpec(errs: FieldErrors, spec: TaskSpec, base: string, ctx: TaskSpecContext): void {
  if (!spec.steps || spec.steps.length === 0) errs.add(joinPath(base, 'steps'), 'a Task needs at least one step; add one under steps');
  checkUnique(errs, spec.volumes, joinPath(base, 'volumes'), 'name', (v) => v.name, 'volume name');
  validateWorkspaces(errs, spec, base);
  checkUnique(errs, spec.steps, joinPath(base, 'steps'), 'name', (s) => s.name || undefined, 'step name');
  (spec.steps ?? []).forEach((s, i) => validateStep(errs, s, joinPath(base, 'steps', i), spec.stepTemplate?.image));
  checkUnique(errs, spec.sidecars, joinPath(base, 'sidecars'), 'name', (s) => s.name || undefined, 'sidecar name');
  (spec.sidecars ?? []).forEach((s, i) => validateSidecar(errs, s, joinPath(base, 'sidecars', i)));
  validateParamSpecs(errs, spec.params, joinPath(base, 'params'));
  validateResults(errs, spec.results, joinPath(base, 'results'));
  validateTaskVariables(errs, spec, base, ctx.inheritedParams);
}

function validateWorkspaces(errs: FieldErrors, spec: TaskSpec, base: string): void {
  const at = joinPath(base, 'workspaces');
  checkUnique(errs, spec.workspaces, at, 'name', (w) => w.name, 'workspace name');
  const mounts = new Set<string>();
  for (const s of [...(spec.steps ?? []), ...(spec.stepTemplate ? [spec.stepTemplate] : [])]) {
    for (const vm of s.volumeMounts ?? []) mounts.add(cleanPath(vm.mountPath));
  }
  (spec.workspaces ?? []).forEach((w, i) => {
    const p = cleanPath(w.mountPath ?? `/workspace/${w.name}`);
    if (mounts.has(p)) errs.add(joinPath(at, i, 'mountPath'), `workspace mount path "${p}" is already used by another workspace or volumeMount; choose another mountPath`);
    mounts.add(p);
  });
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  const usages: Array<[string, Array<{ name: string }> | undefined]> = [
    ...(spec.steps ?? []).map((s, i): [string, Array<{ name: string }> | undefined] => [joinPath(base, 'steps', i, 'workspaces'), s.workspaces]),
    ...(spec.sidecars ?? []).map((s, i): [string, Array<{ name: string }> | undefined] => [joinPath(base, 'sidecars', i, 'workspaces'), s.workspaces]),
  ];
  for (const [path, list] of usages) {
    (list ?? []).forEach((w, j) => {
      if (!declared.has(w.name)) errs.add(joinPath(path, j, 'name'), `undefined workspace "${w.name}": declare it under the task's workspaces`);
    });
  }
}

function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

const REF_EXCLUDED = ['image', 'command', 'args', 'script', 'workingDir', 'env', 'volumeMounts', 'results'] as const;

/** Validates one step; `templateImage` is the stepTemplate's image, which a step without one inherits. */
export function validateStep(errs: FieldErrors, s: Step, at: string, templateImage?: string): void {
  if (s.name) {
    const problem = dnsLabelProblem(s.name);
    if (problem) errs.add(joinPath(at, 'name'), `invalid step name "${s.name}": a step name ${problem}`);
  }
  if (s.ref) {
    for (const f of REF_EXCLUDED) {
      const v = s[f];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) errs.add(joinPath(at, f), `${f} cannot be used with ref: the StepAction provides it; remove ${f} or the ref`);
    }
    if (!s.ref.name && !s.ref.resolver) errs.add(joinPath(at, 'ref'), 'a StepAction ref needs a name or a resolver');
  } else {
    if (s.params && s.params.length > 0) errs.add(joinPath(at, 'params'), 'params can only be passed to a StepAction: add a ref or remove params');
    if (!s.image && !templateImage) errs.add(joinPath(at, 'image'), 'required field is missing: add an image (or set one in stepTemplate)');
    if (s.script && s.command && s.command.length > 0) errs.add(joinPath(at, 'script'), 'script cannot be used with command: put the command in the script, or drop the script');
  }
  if (s.timeout !== undefined) {
    const problem = timeoutProblem(s.timeout);
    if (problem) errs.add(joinPath(at, 'timeout'), problem);
  }
  validateMounts(errs, s.volumeMounts, at);
  validateStepResults(errs, s.results, joinPath(at, 'results'));
  validateStepResultPaths(errs, s, at);
  validateWhen(errs, s.when, joinPath(at, 'when'));
}

/** Tekton's ValidateStepResultsVariables: a step that declares results may only write `$(step.results.<declared>.path)`. */
function validateStepResultPaths(errs: FieldErrors, s: Step, at: string): void {
  if (!s.results || !s.script) return;
  const declared = new Set(s.results.map((r) => r.name));
  for (const m of s.script.matchAll(/\$\(step\.results\.([^.)]+)\.path\)/g)) {
    if (!declared.has(m[1] ?? '')) errs.add(joinPath(at, 'script'), `non-existent variable \`${m[0].slice(2, -1)}\` in the script: declare result "${m[1] ?? ''}" in the step's results`);
  }
}

function validateMounts(errs: FieldErrors, mounts: Step['volumeMounts'], at: string): void {
  (mounts ?? []).forEach((vm, j) => {
    if (vm.mountPath.startsWith('/tekton/') && !vm.mountPath.startsWith('/tekton/home')) {
      errs.add(joinPath(at, 'volumeMounts', j, 'mountPath'), `volumeMount "${vm.name}" cannot be mounted under /tekton/ (reserved for Tekton); mount it elsewhere`);
    }
    if (vm.name.startsWith('tekton-internal-')) {
      errs.add(joinPath(at, 'volumeMounts', j, 'name'), `volumeMount name "${vm.name}" cannot start with "tekton-internal-"`);
    }
  });
}

function validateSidecar(errs: FieldErrors, s: Sidecar, at: string): void {
  if (s.name === 'tekton-log-results') errs.add(joinPath(at, 'name'), 'Invalid: cannot use reserved sidecar name tekton-log-results (the results sidecar of results-from: sidecar-logs); rename it');
  if (s.name) {
    const problem = dnsLabelProblem(s.name);
    if (problem) errs.add(joinPath(at, 'name'), `invalid sidecar name "${s.name}": a sidecar name ${problem}`);
  }
  if ((s as { restartPolicy?: string }).restartPolicy !== undefined) {
    errs.add(joinPath(at, 'restartPolicy'), 'not supported by tektite: sidecars run as regular containers (native Kubernetes sidecars, enable-kubernetes-sidecar, are not implemented); remove restartPolicy');
  }
  // Sidecar's Omit<Container> loses the named fields to Container's index signature: read them typed here.
  const c = s as unknown as Step;
  if (!c.image) errs.add(joinPath(at, 'image'), 'required field is missing: add an image');
  if (c.script && c.command && c.command.length > 0) errs.add(joinPath(at, 'script'), 'script cannot be used with command: put the command in the script, or drop the script');
  validateMounts(errs, c.volumeMounts, at);
}

/** Task results: names, uniqueness, object results need properties. */
export function validateResults(errs: FieldErrors, results: readonly TaskResult[] | undefined, base: string): void {
  validateStepResults(errs, results, base);
}

function validateStepResults(errs: FieldErrors, results: readonly (StepResult | TaskResult)[] | undefined, base: string): void {
  checkUnique(errs, results, base, 'name', (r) => r.name, 'result name');
  (results ?? []).forEach((r, i) => {
    if (!RESULT_NAME.test(r.name)) {
      errs.add(joinPath(base, i, 'name'), `invalid result name "${r.name}": use letters, digits, "-", "_" and ".", starting and ending with a letter or digit`);
    }
    const type = r.type ?? (r.properties ? 'object' : 'string');
    if (type === 'object' && !r.properties) errs.add(joinPath(base, i, 'properties'), `object result "${r.name}" must declare its keys in "properties"`);
  });
}
