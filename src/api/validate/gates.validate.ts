/**
 * Tekton's feature gates at admission: fields of alpha or beta stability are refused unless `enable-api-fields`
 * allows them (Tekton's `config.ValidateEnabledAPIFields`, same message), and fields behind their own flag
 * (`enable-param-enum`, `enable-cel-in-whenexpression`, `enable-artifacts`) unless the flag is on. Runs on
 * schema-valid v1 data with the live feature flags; the CLI's local checks do not gate (the server decides).
 */
import type * as T from '../types.js';
import { type FieldErrors, joinPath } from './field-errors.js';

/** The feature flags gating reads (a subset of the controllers' FeatureFlags). */
export interface GateFlags {
  enableApiFields: 'stable' | 'beta' | 'alpha';
  enableParamEnum?: boolean;
  enableCelInWhenExpression?: boolean;
  enableArtifacts?: boolean;
}

const RANK = { stable: 0, beta: 1, alpha: 2 } as const;

/** Tekton's message for a field whose stability level is not enabled. */
export function gateMessage(name: string, want: 'beta' | 'alpha', have: GateFlags['enableApiFields']): string {
  return `${name} requires "enable-api-fields" feature gate to be "${want}" but it is "${have}"`;
}

class Gate {
  constructor(readonly errs: FieldErrors, readonly flags: GateFlags) {}

  need(path: string, name: string, want: 'beta' | 'alpha'): void {
    if (RANK[this.flags.enableApiFields] < RANK[want]) this.errs.add(path, gateMessage(name, want, this.flags.enableApiFields));
  }

  flag(path: string, on: boolean | undefined, message: string): void {
    if (!on) this.errs.add(path, message);
  }
}

const ARTIFACT_REF = /\$\((step\.artifacts\.path|artifacts\.path|steps\.[^.)]+\.(inputs|outputs)\b|tasks\.[^.)]+\.(inputs|outputs)\b)/;

function params(g: Gate, list: T.ParamSpec[] | undefined, at: string): void {
  list?.forEach((p, i) => {
    if (p.enum !== undefined) g.flag(joinPath(at, i, 'enum'), g.flags.enableParamEnum, 'feature flag `enable-param-enum` should be set to true to use Enum');
  });
}

function whens(g: Gate, list: T.WhenExpression[] | undefined, at: string): void {
  list?.forEach((w, i) => {
    if (w.cel !== undefined) g.flag(joinPath(at, i, 'cel'), g.flags.enableCelInWhenExpression, `feature flag enable-cel-in-whenexpression should be set to true to use CEL: ${w.cel} in WhenExpression`);
  });
}

function step(g: Gate, s: T.Step, at: string): void {
  if (s.stdoutConfig !== undefined) g.need(joinPath(at, 'stdoutConfig'), 'step stdout stream support', 'alpha');
  if (s.stderrConfig !== undefined) g.need(joinPath(at, 'stderrConfig'), 'step stderr stream support', 'alpha');
  if (s.script?.startsWith('#!win')) g.need(joinPath(at, 'script'), 'windows script support', 'alpha');
  if (s.when !== undefined) g.need(joinPath(at, 'when'), 'step when expressions', 'beta');
  whens(g, s.when, joinPath(at, 'when'));
  if (s.workspaces !== undefined) g.need(joinPath(at, 'workspaces'), 'step and sidecar workspaces', 'beta');
}

/** A Task's spec (also embedded in runs and pipeline tasks). */
function gateTaskSpec(g: Gate, spec: Partial<T.TaskSpec>, at: string): void {
  params(g, spec.params, joinPath(at, 'params'));
  spec.steps?.forEach((s, i) => step(g, s, joinPath(at, 'steps', i)));
  spec.sidecars?.forEach((s, i) => {
    if (s.workspaces !== undefined) g.need(joinPath(at, 'sidecars', i, 'workspaces'), 'step and sidecar workspaces', 'beta');
  });
  if (ARTIFACT_REF.test(JSON.stringify(spec.steps ?? []))) g.flag(joinPath(at, 'steps'), g.flags.enableArtifacts, 'feature flag enable-artifacts should be set to true to use artifacts feature.');
}

function pipelineTask(g: Gate, t: T.PipelineTask, at: string): void {
  if (t.pipelineRef !== undefined) g.need(joinPath(at, 'pipelineRef'), 'pipelineRef', 'alpha');
  if (t.pipelineSpec !== undefined) {
    g.need(joinPath(at, 'pipelineSpec'), 'pipelineSpec', 'alpha');
    gatePipelineSpec(g, t.pipelineSpec, joinPath(at, 'pipelineSpec'));
  }
  if (t.matrix !== undefined) g.need(joinPath(at, 'matrix'), 'matrix', 'beta');
  if (t.onError !== undefined) g.need(joinPath(at, 'onError'), 'PipelineTask OnError', 'beta');
  whens(g, t.when, joinPath(at, 'when'));
  const custom = t.taskSpec?.apiVersion !== undefined || t.taskSpec?.kind !== undefined;
  if (t.taskSpec && !custom) gateTaskSpec(g, t.taskSpec, joinPath(at, 'taskSpec'));
  if (ARTIFACT_REF.test(JSON.stringify([t.params ?? [], t.when ?? []]))) g.flag(joinPath(at, 'params'), g.flags.enableArtifacts, 'feature flag enable-artifacts should be set to true to use artifacts feature.');
}

function gatePipelineSpec(g: Gate, spec: T.PipelineSpec, at: string): void {
  params(g, spec.params, joinPath(at, 'params'));
  spec.tasks?.forEach((t, i) => pipelineTask(g, t, joinPath(at, 'tasks', i)));
  spec.finally?.forEach((t, i) => pipelineTask(g, t, joinPath(at, 'finally', i)));
}

function taskRunSpecs(g: Gate, list: T.PipelineRunTaskRunSpec[] | undefined, at: string): void {
  list?.forEach((s, i) => {
    if (s.computeResources !== undefined) g.need(joinPath(at, i, 'computeResources'), 'computeResources', 'beta');
    if (s.stepSpecs !== undefined) g.need(joinPath(at, i, 'stepSpecs'), 'stepSpecs', 'beta');
    if (s.sidecarSpecs !== undefined) g.need(joinPath(at, i, 'sidecarSpecs'), 'sidecarSpecs', 'beta');
  });
}

/** Adds an error for every gated field of `spec` (of `kind`) that `flags` do not enable. */
export function validateFeatureGates(errs: FieldErrors, kind: string, spec: unknown, flags: GateFlags): void {
  if (spec === null || typeof spec !== 'object') return;
  const g = new Gate(errs, flags);
  switch (kind) {
    case 'Task':
      gateTaskSpec(g, spec as T.TaskSpec, 'spec');
      break;
    case 'Pipeline':
      gatePipelineSpec(g, spec as T.PipelineSpec, 'spec');
      break;
    case 'TaskRun': {
      const s = spec as T.TaskRunSpec;
      if (s.debug !== undefined) g.need('spec.debug', 'debug', 'alpha');
      if (s.computeResources !== undefined) g.need('spec.computeResources', 'computeResources', 'beta');
      if (s.stepSpecs !== undefined) g.need('spec.stepSpecs', 'stepSpecs', 'beta');
      if (s.sidecarSpecs !== undefined) g.need('spec.sidecarSpecs', 'sidecarSpecs', 'beta');
      if (s.taskSpec) gateTaskSpec(g, s.taskSpec, 'spec.taskSpec');
      break;
    }
    case 'PipelineRun': {
      const s = spec as T.PipelineRunSpec;
      if (s.pipelineSpec) gatePipelineSpec(g, s.pipelineSpec, 'spec.pipelineSpec');
      taskRunSpecs(g, s.taskRunSpecs, 'spec.taskRunSpecs');
      break;
    }
    case 'StepAction': {
      params(g, (spec as T.StepActionSpec).params, 'spec.params');
      break;
    }
    default:
  }
}
