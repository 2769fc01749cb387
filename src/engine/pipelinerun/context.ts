/**
 * Gathers what one plan works on: the checks Tekton does before starting anything (graph, task resolution,
 * taskRunSpecs, workspaces, params), then the state of every pipeline task from the existing TaskRuns, with
 * results of finished tasks added to the pipeline scope in dependency order.
 */
import type { PipelineRun, PipelineTask } from '../../api/types.js';
import type { Dag } from '../dag.js';
import type { Replacements } from '../substitution/replace.js';
import { fanOut, substituteMatrix } from './matrix.js';
import { type StaticTask, scopeCopy, specDerived } from './memo.js';
import { type Failure, runId } from './params.js';
import { PipelineRunReason } from './reasons.js';
import { taskRefsOf } from './refs.js';
import { addExecutionStatus, addTaskArtifacts, addTaskResults } from './results.js';
import { type ChildKind, type ChildRun, type TaskState, groupRuns, isTerminal, outcomeOf } from './state.js';
import type { Clock, Timeouts } from './timeouts.js';
import type { PipelineRunFacts, PlanAction } from './types.js';
import { checkWorkspaceBindings } from './workspaces.js';

/** The working state of one plan. */
export interface Ctx {
  facts: PipelineRunFacts;
  pr: PipelineRun;
  pipelineName: string;
  dag: Dag;
  dagTasks: TaskState[];
  finallyTasks: TaskState[];
  byName: Map<string, TaskState>;
  /** Pipeline scope; grows as finished tasks' results and statuses are added. */
  scope: Replacements;
  /** Every variable the run's spec and its Pipeline reference (statuses nobody reads are not added to the scope). */
  referenced: ReadonlySet<string>;
  timeouts: Timeouts;
  clock: Clock;
  actions: PlanAction[];
  /** A failure found while planning (matrix, CEL, ...) that ends the run. */
  failure?: Failure;
}

/** Runs the start-up checks and builds the context, or returns why the run cannot proceed. */
export function buildContext(facts: PipelineRunFacts, clock: Clock): Ctx | Failure {
  const { pipelineRun: pr } = facts;
  const derived = specDerived(facts, (all) => checkTasks(facts, all));
  if (derived.failure) return derived.failure;
  const groups: Record<ChildKind, Map<string, ChildRun[]>> = {
    TaskRun: groupRuns(pr, facts.taskRuns),
    PipelineRun: groupRuns(pr, facts.pipelineRuns ?? []),
    CustomRun: groupRuns(pr, facts.customRuns ?? []),
  };
  const stateOf = (t: StaticTask): TaskState => ({
    pt: t.pt, kind: t.kind, isFinally: t.isFinally, entry: t.entry, refs: t.refs, runs: groups[t.kind].get(t.pt.name) ?? [],
    created: [], outcome: 'pending', ignored: false,
  });
  const ctx: Ctx = {
    facts, pr, pipelineName: derived.inputs.pipelineName, dag: derived.dag,
    dagTasks: derived.dagTasks.map(stateOf),
    finallyTasks: derived.finallyTasks.map(stateOf),
    byName: new Map(), scope: scopeCopy(derived.scope), referenced: derived.referenced,
    timeouts: derived.timeouts, clock, actions: [],
  };
  for (const s of ctx.dagTasks) ctx.byName.set(s.pt.name, s);
  for (const s of ctx.finallyTasks) ctx.byName.set(s.pt.name, s);
  settleOutcomes(ctx);
  return ctx;
}

/** In Tekton's order: workspace bindings, taskRunSpecs naming unknown tasks, unsupported or unresolved tasks. */
function checkTasks(facts: PipelineRunFacts, all: readonly PipelineTask[]): Failure | undefined {
  const pr = facts.pipelineRun;
  const bindings = checkWorkspaceBindings(facts.pipelineSpec, pr);
  if (bindings) return bindings;
  const names = new Set(all.map((pt) => pt.name));
  const wrong = (pr.spec.taskRunSpecs ?? []).find((s) => !names.has(s.pipelineTaskName));
  if (wrong) {
    return {
      reason: PipelineRunReason.InvalidTaskRunSpecs,
      message: `PipelineRun's taskrunSpecs defined wrong taskName: "${wrong.pipelineTaskName}", does not exist in Pipeline`,
    };
  }
  const artifactUser = facts.config.enableArtifacts ? undefined : all.find((pt) => taskRefsOf(pt).some((r) => r.artifact));
  if (artifactUser) {
    return { reason: PipelineRunReason.PipelineValidationFailed, message: `pipeline task "${artifactUser.name}": feature flag enable-artifacts should be set to true to use artifacts feature.` };
  }
  for (const pt of all) {
    const nested = nestedPipelineProblem(pt, facts.config.enableApiFields ?? 'beta');
    if (nested) return { reason: PipelineRunReason.PipelineValidationFailed, message: `pipeline task "${pt.name}": ${nested}` };
    const entry = facts.tasks.get(pt.name);
    if (!entry) return { reason: PipelineRunReason.CouldntGetTask, message: `Pipeline task "${pt.name}" could not be resolved` };
    if ('error' in entry) return { reason: entry.reason, message: entry.error };
    const cycle = 'pipelineSpec' in entry && pt.pipelineRef ? cycleOf(entry.pipelineName, facts.ancestorPipelines ?? []) : undefined;
    if (cycle) return cycle;
  }
  return undefined;
}

/** Tekton's detectPipelineRefCycle: the referenced Pipeline already runs in this run's owner chain. */
function cycleOf(target: string | undefined, ancestors: readonly string[]): Failure | undefined {
  const at = target ? ancestors.indexOf(target) : -1;
  if (at < 0) return undefined;
  const visited = ancestors.slice(0, at).filter((n) => n !== '');
  return {
    reason: PipelineRunReason.CreateRunFailed,
    message: `detected cycle in pipeline-in-pipeline: pipeline "${target ?? ''}" is already running in ancestor chain [${visited.join(' ')}]`,
  };
}

/**
 * Pipelines in Pipelines are alpha (Tekton's feature-gate message otherwise) and cannot be matrixed (Tekton's
 * known limitation).
 */
function nestedPipelineProblem(pt: PipelineTask, apiFields: string): string | undefined {
  const field = pt.pipelineRef ? 'pipelineRef' : pt.pipelineSpec ? 'pipelineSpec' : undefined;
  if (!field) return undefined;
  if (apiFields !== 'alpha') return `${field} requires "enable-api-fields" feature gate to be "alpha" but it is "${apiFields}"`;
  if (pt.matrix) return `${field} cannot be combined with matrix: a matrix fan-out of child PipelineRuns is not supported`;
  return undefined;
}

/** Sets `context.pipelineTask.retries` for the task about to be substituted and returns the scope. */
export function scopeFor(ctx: Ctx, pt: PipelineTask): Replacements {
  ctx.scope.strings.set('context.pipelineTask.retries', String(pt.retries ?? 0));
  return ctx.scope;
}

/**
 * The combinations of a matrixed task at the current scope; undefined when the task has no matrix. Records a
 * run failure on the context when the matrix is invalid or too large.
 */
export function matrixOf(ctx: Ctx, s: TaskState): ReturnType<typeof fanOut> | undefined {
  if (!s.pt.matrix) return undefined;
  const m = substituteMatrix(s.pt.matrix, scopeFor(ctx, s.pt));
  if (!m.ok) {
    ctx.failure ??= {
      reason: PipelineRunReason.InvalidMatrixParameterTypes,
      message: `PipelineRun ${runId(ctx.pr)}: matrix param "${m.param}" of pipeline task "${s.pt.name}" has the wrong type: matrix params must be arrays and include params strings`,
    };
    return [];
  }
  const combos = fanOut(m);
  const max = ctx.facts.config.maxMatrixCombinations;
  if (combos.length > max) {
    ctx.failure ??= {
      reason: PipelineRunReason.PipelineValidationFailed,
      message: `PipelineRun ${runId(ctx.pr)}: pipeline task "${s.pt.name}" has a matrix of ${combos.length} combinations, more than the maximum of ${max} (default-max-matrix-combinations-count)`,
    };
  }
  return combos;
}

/**
 * Outcomes of every task, DAG tasks in dependency order so that a matrixed task can count its combinations
 * from its parents' results; finished tasks' results and statuses join the scope.
 */
function settleOutcomes(ctx: Ctx): void {
  const ordered = [...ctx.dag.order.map((n) => ctx.byName.get(n) as TaskState), ...ctx.finallyTasks];
  for (const s of ordered) {
    const expected = s.runs.length > 0 && s.pt.matrix ? Math.max(1, matrixOf(ctx, s)?.length ?? 1) : 1;
    s.outcome = outcomeOf(s.runs, expected);
    s.ignored = s.pt.onError === 'continue' && (s.outcome === 'failed' || s.outcome === 'cancelled' || s.outcome === 'timedOut');
    if (isTerminal(s.outcome)) {
      addTaskResults(ctx.scope, s);
      addTaskArtifacts(ctx.scope, s);
    }
    if (!s.isFinally && (ctx.referenced.has(`tasks.${s.pt.name}.status`) || ctx.referenced.has(`tasks.${s.pt.name}.reason`))) addExecutionStatus(ctx.scope, s);
  }
}
