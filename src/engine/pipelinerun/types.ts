/**
 * The contract between the PipelineRun reconciler and the pure planner (docs/internals.md, "PipelineRun side"):
 * the controller gathers facts, the planner returns the whole new status plus the actions to apply.
 */
import type {
  CustomRun, PersistentVolumeClaim, PipelineRun, PipelineRunStatus, PipelineSpec, TaskRun, TaskSpec,
} from '../../api/types.js';
import type { PlanMemo } from './memo.js';

/**
 * A resolved pipeline task: the Task's spec (inline or fetched), the child Pipeline's spec (Pipelines in
 * Pipelines), a custom task (run by another controller through a CustomRun), or why it could not be resolved.
 */
export type TaskEntry =
  | { spec: TaskSpec; taskName?: string; kind?: string }
  | { pipelineSpec: PipelineSpec; pipelineName?: string }
  | { custom: true }
  | { error: string; reason: string };

/** Settings the planner needs from the controller configuration (Tekton's config-defaults). */
export interface PlanConfig {
  /** Tekton's default-timeout-minutes: the pipeline timeout when spec.timeouts.pipeline is absent. */
  defaultTimeoutMinutes: number;
  /** Tekton's default-max-matrix-combinations-count (256). */
  maxMatrixCombinations: number;
  /** Value of `app.kubernetes.io/managed-by` on the TaskRuns we create. */
  managedByLabel: string;
  /** Tekton's enable-api-fields (Pipelines in Pipelines need `alpha`); `beta` when absent. */
  enableApiFields?: 'stable' | 'beta' | 'alpha';
  /** Tekton's enable-artifacts: `$(tasks.<t>.inputs/outputs.<n>)` are refused without it. */
  enableArtifacts?: boolean;
}

/** Everything one reconcile knows, gathered by the controller. */
export interface PipelineRunFacts {
  pipelineRun: PipelineRun;
  /** Name of the referenced Pipeline; absent for an inline pipelineSpec (the run's name is used, as Tekton). */
  pipelineName?: string;
  pipelineSpec: PipelineSpec;
  /** By pipeline task name (DAG and finally). */
  tasks: Map<string, TaskEntry>;
  /** The child TaskRuns that exist now (label tekton.dev/pipelineRun). */
  taskRuns: TaskRun[];
  /** The child PipelineRuns (Pipelines in Pipelines) that exist now (label tekton.dev/pipelineRun). */
  pipelineRuns?: PipelineRun[];
  /** The child CustomRuns that exist now (label tekton.dev/pipelineRun). */
  customRuns?: CustomRun[];
  /**
   * Pipeline names of this run and of the PipelineRuns that own it, nearest first (label tekton.dev/pipeline):
   * a child Pipeline already in this chain is a Pipelines-in-Pipelines cycle.
   */
  ancestorPipelines?: string[];
  now: Date;
  config: PlanConfig;
  /**
   * A cache the caller keeps per PipelineRun between plans (see memo.ts; `newPlanMemo()`): what depends only on
   * the spec is derived once. Optional; the plan is the same with or without it.
   */
  memo?: PlanMemo;
}

/** One thing for the controller to do; all are idempotent (AlreadyExists counts as success). */
export type PlanAction =
  | { type: 'createTaskRun'; taskRun: TaskRun }
  | { type: 'cancelTaskRun'; name: string; message: string }
  | { type: 'createPipelineRun'; pipelineRun: PipelineRun }
  | { type: 'cancelPipelineRun'; name: string }
  | { type: 'createCustomRun'; customRun: CustomRun }
  | { type: 'cancelCustomRun'; name: string; message: string }
  | { type: 'createPVC'; pvc: PersistentVolumeClaim };

/** The planner's answer. Apply the actions (PVCs first, in order), then write the status once. */
export interface PipelineRunPlan {
  status: PipelineRunStatus;
  actions: PlanAction[];
  /** Come back after this long even if nothing changes: the next timeout deadline. */
  requeueAfterMs?: number;
}
