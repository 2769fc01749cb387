/**
 * The contract between the PipelineRun reconciler and the pure planner (docs/internals.md, "PipelineRun side"):
 * the controller gathers facts, the planner returns the whole new status plus the actions to apply.
 */
import type {
  PersistentVolumeClaim, PipelineRun, PipelineRunStatus, PipelineSpec, TaskRun, TaskSpec,
} from '../../api/types.js';

/** A resolved pipeline task: the Task's spec (inline or fetched), or why it could not be resolved. */
export type TaskEntry =
  | { spec: TaskSpec; taskName?: string; kind?: string }
  | { error: string; reason: string };

/** Settings the planner needs from the controller configuration (Tekton's config-defaults). */
export interface PlanConfig {
  /** Tekton's default-timeout-minutes: the pipeline timeout when spec.timeouts.pipeline is absent. */
  defaultTimeoutMinutes: number;
  /** Tekton's default-max-matrix-combinations-count (256). */
  maxMatrixCombinations: number;
  /** Value of `app.kubernetes.io/managed-by` on the TaskRuns we create. */
  managedByLabel: string;
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
  now: Date;
  config: PlanConfig;
}

/** One thing for the controller to do; all are idempotent (AlreadyExists counts as success). */
export type PlanAction =
  | { type: 'createTaskRun'; taskRun: TaskRun }
  | { type: 'cancelTaskRun'; name: string; message: string }
  | { type: 'createPVC'; pvc: PersistentVolumeClaim };

/** The planner's answer. Apply the actions (PVCs first, in order), then write the status once. */
export interface PipelineRunPlan {
  status: PipelineRunStatus;
  actions: PlanAction[];
  /** Come back after this long even if nothing changes: the next timeout deadline. */
  requeueAfterMs?: number;
}
