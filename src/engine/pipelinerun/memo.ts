/**
 * What a plan derives from the run's spec alone (resolved references, the DAG, the start-up checks, the param
 * values and the base of the pipeline scope, the timeouts), kept between reconciles of one PipelineRun. A wide
 * run is reconciled hundreds of times while its spec stays the same; deriving all of this again each time made
 * every reconcile O(tasks) several times over.
 *
 * The controller keeps one {@link PlanMemo} per PipelineRun and hands it in with the facts; the engine alone
 * reads and fills it, and reuses what it holds only when the inputs are the same: same run (uid) at the same
 * metadata.generation (or the same spec object when the run has no generation), the same pipelineSpec and task
 * entries objects, the same planner settings and ancestor chain. The controller keeps those objects stable
 * while their content is unchanged. Pure: no clock, no I/O.
 */
import type { ChildStatusReference, ParamValue, PipelineRunSpec, PipelineSpec, PipelineTask } from '../../api/types.js';
import { type Dag, buildDag } from '../dag.js';
import { type Replacements, findReferences, mergeReplacements } from '../substitution/replace.js';
import { type Failure, checkArrayIndexes, pipelineReplacements, resolveParamValues, runId, walkStrings } from './params.js';
import { PipelineRunReason } from './reasons.js';
import { type TaskRef, dagNodeOf, taskRefsOf } from './refs.js';
import { type ChildKind, childKindOf } from './state.js';
import { type Timeouts, timeoutsOf } from './timeouts.js';
import type { PipelineRunFacts, TaskEntry } from './types.js';

/** A cache kept by the caller per PipelineRun between plans; opaque outside the engine. */
export interface PlanMemo {
  /** @internal */
  derived?: SpecDerived;
  /** @internal childReferences entries by child name (their content depends only on the spec). */
  refs?: Map<string, ChildStatusReference>;
}

/** A new, empty memo. */
export function newPlanMemo(): PlanMemo {
  return {};
}

/** The inputs a {@link SpecDerived} was computed from. */
interface Inputs {
  uid: string | undefined;
  generation: number | undefined;
  prSpec: PipelineRunSpec;
  pipelineSpec: PipelineSpec;
  tasks: Map<string, TaskEntry>;
  pipelineName: string;
  config: string;
  ancestors: string;
}

/** One pipeline task as far as the spec tells. */
export interface StaticTask {
  pt: PipelineTask;
  kind: ChildKind;
  isFinally: boolean;
  entry: TaskEntry | undefined;
  refs: TaskRef[];
}

/** Everything a plan derives from the spec: why the run cannot start, or what it starts from. */
export type SpecDerived = { inputs: Inputs } & (
  | { failure: Failure }
  | {
    failure?: undefined;
    dag: Dag;
    dagTasks: StaticTask[];
    finallyTasks: StaticTask[];
    /** The pipeline scope before any task result (copied for each plan). */
    scope: Replacements;
    timeouts: Timeouts;
    /** Every variable the run's spec and its Pipeline reference (canonical keys). */
    referenced: ReadonlySet<string>;
  }
);

function inputsOf(facts: PipelineRunFacts): Inputs {
  const pr = facts.pipelineRun;
  const c = facts.config;
  return {
    uid: pr.metadata.uid, generation: pr.metadata.generation, prSpec: pr.spec, pipelineSpec: facts.pipelineSpec, tasks: facts.tasks,
    pipelineName: facts.pipelineName ?? pr.metadata.name ?? '',
    config: `${c.defaultTimeoutMinutes}|${c.enableApiFields ?? ''}|${c.enableArtifacts ?? ''}`,
    ancestors: (facts.ancestorPipelines ?? []).join('\n'),
  };
}

function sameInputs(a: Inputs, b: Inputs): boolean {
  const sameRun = a.uid === b.uid && (a.generation !== undefined && b.generation !== undefined ? a.generation === b.generation : a.prSpec === b.prSpec);
  return sameRun && a.pipelineSpec === b.pipelineSpec && a.tasks === b.tasks && a.pipelineName === b.pipelineName
    && a.config === b.config && a.ancestors === b.ancestors;
}

/**
 * What the spec of `facts` gives, from the memo when its inputs are the same. `check` runs the start-up checks
 * that need the task entries (Tekton's order: graph, params, array indexes, then these).
 */
export function specDerived(facts: PipelineRunFacts, check: (all: readonly PipelineTask[]) => Failure | undefined): SpecDerived {
  const inputs = inputsOf(facts);
  const memo = facts.memo;
  if (memo?.derived && sameInputs(memo.derived.inputs, inputs)) return memo.derived;
  const derived = derive(facts, inputs, check);
  if (memo) {
    memo.derived = derived;
    memo.refs = undefined;
  }
  return derived;
}

function derive(facts: PipelineRunFacts, inputs: Inputs, check: (all: readonly PipelineTask[]) => Failure | undefined): SpecDerived {
  const { pipelineRun: pr, pipelineSpec: spec } = facts;
  const all = [...(spec.tasks ?? []), ...(spec.finally ?? [])];
  const refs = new Map(all.map((pt) => [pt.name, taskRefsOf(pt)]));
  const built = buildDag((spec.tasks ?? []).map((pt) => dagNodeOf(pt, refs.get(pt.name) ?? [])));
  if (!built.ok) {
    return { inputs, failure: { reason: PipelineRunReason.InvalidGraph, message: `PipelineRun ${runId(pr)}'s Pipeline DAG is invalid: ${built.message}` } };
  }
  const values = resolveParamValues(spec, pr);
  if (!(values instanceof Map)) return { inputs, failure: values };
  const early = checkArrayIndexes(spec, values, pr) ?? check(all);
  if (early) return { inputs, failure: early };
  const staticTask = (pt: PipelineTask, isFinally: boolean): StaticTask => ({
    pt, kind: childKindOf(pt), isFinally, entry: facts.tasks.get(pt.name), refs: refs.get(pt.name) ?? [],
  });
  return {
    inputs, dag: built.dag,
    dagTasks: (spec.tasks ?? []).map((pt) => staticTask(pt, false)),
    finallyTasks: (spec.finally ?? []).map((pt) => staticTask(pt, true)),
    scope: pipelineReplacements(values as Map<string, ParamValue>, pr, spec, inputs.pipelineName),
    timeouts: timeoutsOf(pr, facts.config.defaultTimeoutMinutes),
    referenced: referencedKeys(spec, pr.spec),
  };
}

/** Canonical keys of every `$(...)` in the pipeline spec and in the run's spec. */
function referencedKeys(spec: PipelineSpec, prSpec: PipelineRunSpec): Set<string> {
  const out = new Set<string>();
  walkStrings([spec, prSpec], (s) => {
    if (s.includes('$(')) for (const k of findReferences(s)) out.add(k);
  });
  return out;
}

/** A copy of the base scope for one plan (the plan adds results and statuses to it). */
export function scopeCopy(base: Replacements): Replacements {
  return mergeReplacements(base);
}
