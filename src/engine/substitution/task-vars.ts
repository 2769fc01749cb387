/**
 * The task-scope variables other than params (reference §2.2): contexts, result and step paths, workspaces and
 * credentials. Each builder returns one Replacements set; resolveTaskSpec applies them as separate passes in
 * Tekton's order, which is observable (a param value holding `$(context.taskRun.name)` is expanded by the later
 * context pass, as in Tekton).
 */
import type { Step, TaskRun, TaskSpec, WorkspaceBinding, WorkspaceDeclaration } from '../../api/types.js';
import { claimNameForTemplate, stepContainerName, workspaceVolumeName } from '../names.js';
import type { Replacements } from './replace.js';
import { emptyReplacements } from './replace.js';
import type { TypedSidecar } from './task-fields.js';
import { applyToSidecar, applyToStep, applyToTaskSpec } from './task-fields.js';

/** Directory of task result files inside every step. */
export const RESULTS_DIR = '/tekton/results';
/** Directory holding one `step-<name>` entry per step (exitCode, results). */
export const STEPS_DIR = '/tekton/steps';
/** Where credentials initialised by the entrypoint live. */
export const CREDS_DIR = '/tekton/creds';

function stringsOf(entries: Array<[string, string]>): Replacements {
  const r = emptyReplacements();
  for (const [k, v] of entries) r.strings.set(k, v);
  return r;
}

/** `context.taskRun.*`, `context.task.name` (Task name, or the TaskRun's name for inline specs), `context.task.retry-count`. */
export function contextReplacements(taskRun: TaskRun, taskName: string | undefined): Replacements {
  return stringsOf([
    ['context.taskRun.name', taskRun.metadata.name ?? ''],
    ['context.taskRun.namespace', taskRun.metadata.namespace ?? ''],
    ['context.taskRun.uid', taskRun.metadata.uid ?? ''],
    ['context.task.name', taskName ?? taskRun.metadata.name ?? ''],
    ['context.task.retry-count', String(taskRun.status?.retriesStatus?.length ?? 0)],
  ]);
}

/** `results.<r>.path` → `/tekton/results/<r>` for each declared task result (undeclared ones stay verbatim). */
export function resultPathReplacements(spec: TaskSpec): Replacements {
  return stringsOf((spec.results ?? []).map((res) => [`results.${res.name}.path`, `${RESULTS_DIR}/${res.name}`]));
}

/** `steps.<step-container>.exitCode.path` → `/tekton/steps/<step-container>/exitCode` for every step. */
export function exitCodePathReplacements(steps: readonly Step[]): Replacements {
  return stringsOf(
    steps.map((s, i) => {
      const c = stepContainerName(s.name, i);
      return [`steps.${c}.exitCode.path`, `${STEPS_DIR}/${c}/exitCode`];
    }),
  );
}

/** `step.results.<r>.path` for one step → `/tekton/steps/<step-container>/results/<r>`, for its declared results. */
export function stepResultPathReplacements(step: Step, index: number): Replacements {
  const c = stepContainerName(step.name, index);
  return stringsOf((step.results ?? []).map((res) => [`step.results.${res.name}.path`, `${STEPS_DIR}/${c}/results/${res.name}`]));
}

/**
 * Artifacts (alpha): `step.artifacts.path` → `/tekton/steps/<container>/artifacts/provenance.json` (the step's
 * own), `artifacts.path` → `/tekton/artifacts/provenance.json` (the Task's), as Tekton's ApplyArtifacts.
 */
export function artifactPathReplacements(step: Step, index: number): Replacements {
  const c = stepContainerName(step.name, index);
  return stringsOf([['step.artifacts.path', `${STEPS_DIR}/${c}/artifacts/provenance.json`], ['artifacts.path', '/tekton/artifacts/provenance.json']]);
}

/** `credentials.path` → `/tekton/creds`. */
export function credentialsReplacements(): Replacements {
  return stringsOf([['credentials.path', CREDS_DIR]]);
}

/** The claim name `$(workspaces.w.claim)` gives for a binding ("" unless it is, or becomes, a PVC). */
export function claimOfBinding(b: WorkspaceBinding, ownerUid: string): string {
  if (b.persistentVolumeClaim) return b.persistentVolumeClaim.claimName;
  if (b.volumeClaimTemplate) return claimNameForTemplate(b.name, ownerUid, b.volumeClaimTemplate.metadata?.name);
  return '';
}

/** The default mount path of a workspace declaration (`/workspace/<name>` unless declared). */
export function workspaceMountPath(d: WorkspaceDeclaration): string {
  return d.mountPath || `/workspace/${d.name}`;
}

function applyMountPath(spec: TaskSpec, decl: WorkspaceDeclaration): TaskSpec {
  const key = `workspaces.${decl.name}.path`;
  const override = (usages: Array<{ name: string; mountPath?: string }> | undefined): string | undefined =>
    usages?.find((u) => u.name === decl.name && u.mountPath)?.mountPath;
  const steps = spec.steps.map((s) => {
    const path = override(s.workspaces);
    return path === undefined ? s : applyToStep(s, stringsOf([[key, path]]));
  });
  const sidecars = spec.sidecars?.map((s) => {
    const path = override((s as TypedSidecar).workspaces);
    return path === undefined ? s : applyToSidecar(s, stringsOf([[key, path]]));
  });
  const next: TaskSpec = { ...spec, steps, ...(sidecars ? { sidecars } : {}) };
  return applyToTaskSpec(next, stringsOf([[key, workspaceMountPath(decl)]]));
}

/**
 * Tekton's `ApplyWorkspaces`: `.bound`, `.path` (per-step/sidecar mountPath overrides first, then the declared
 * path; "" for an optional unbound workspace), `.volume` (the pod volume name) and `.claim` for every binding.
 */
export function applyWorkspaces(spec: TaskSpec, bindings: readonly WorkspaceBinding[], ownerUid: string): TaskSpec {
  const bound = new Set(bindings.map((b) => b.name));
  const common: Array<[string, string]> = [];
  let out = spec;
  for (const decl of spec.workspaces ?? []) {
    const prefix = `workspaces.${decl.name}.`;
    if (decl.optional && !bound.has(decl.name)) {
      common.push([`${prefix}bound`, 'false'], [`${prefix}path`, '']);
    } else {
      common.push([`${prefix}bound`, 'true']);
      out = applyMountPath(out, decl);
    }
  }
  for (const b of bindings) {
    common.push([`workspaces.${b.name}.volume`, workspaceVolumeName(b.name)], [`workspaces.${b.name}.claim`, claimOfBinding(b, ownerUid)]);
  }
  return applyToTaskSpec(out, stringsOf(common));
}
