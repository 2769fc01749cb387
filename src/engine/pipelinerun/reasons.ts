/**
 * Tekton's PipelineRun condition reasons, skipping reasons and fixed messages. These strings are API: tkn,
 * dashboards and users' scripts match on them, so they are spelled exactly as pipelinerun_types.go does.
 */

/** Reasons of the PipelineRun `Succeeded` condition. */
export const PipelineRunReason = {
  Started: 'Started',
  Running: 'Running',
  Succeeded: 'Succeeded',
  Completed: 'Completed',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
  Pending: 'PipelineRunPending',
  Timeout: 'PipelineRunTimeout',
  Stopping: 'PipelineRunStopping',
  TimeoutRunningFinally: 'PipelineRunTimeoutRunningFinally',
  CancelledRunningFinally: 'CancelledRunningFinally',
  StoppedRunningFinally: 'StoppedRunningFinally',
  CouldntGetTask: 'CouldntGetTask',
  InvalidWorkspaceBindings: 'InvalidWorkspaceBindings',
  InvalidTaskRunSpecs: 'InvalidTaskRunSpecs',
  ParameterTypeMismatch: 'ParameterTypeMismatch',
  ObjectParameterMissKeys: 'ObjectParameterMissKeys',
  ParamArrayIndexingInvalid: 'ParamArrayIndexingInvalid',
  ParameterMissing: 'ParameterMissing',
  PipelineValidationFailed: 'PipelineValidationFailed',
  CouldntGetPipelineResult: 'CouldntGetPipelineResult',
  InvalidGraph: 'PipelineInvalidGraph',
  InvalidMatrixParameterTypes: 'InvalidMatrixParameterTypes',
  InvalidTaskResultReference: 'InvalidTaskResultReference',
  CELEvaluationFailed: 'CELEvaluationFailed',
  CreateRunFailed: 'CreateRunFailed',
} as const;

/** Why a pipeline task did not run (status.skippedTasks[].reason). */
export const SkipReason = {
  When: 'When Expressions evaluated to false',
  ParentSkipped: 'Parent Tasks were skipped',
  Stopping: 'PipelineRun was stopping',
  GracefullyCancelled: 'PipelineRun was gracefully cancelled',
  GracefullyStopped: 'PipelineRun was gracefully stopped',
  MissingResults: 'Results were missing',
  PipelineTimeout: 'PipelineRun timeout has been reached',
  TasksTimeout: 'PipelineRun Tasks timeout has been reached',
  FinallyTimeout: 'PipelineRun Finally timeout has been reached',
  EmptyMatrix: 'Matrix Parameters have an empty array',
} as const;

export type SkipReasonValue = (typeof SkipReason)[keyof typeof SkipReason];

/** statusMessage put on child TaskRuns when the PipelineRun is cancelled. */
export const CANCELLED_MESSAGE = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';
/** statusMessage put on child TaskRuns when a PipelineRun timeout fires. */
export const TIMEOUT_MESSAGE = 'TaskRun cancelled as the PipelineRun it belongs to has timed out.';
/** statusMessage put on child CustomRuns when the PipelineRun is cancelled. */
export const CUSTOMRUN_CANCELLED_MESSAGE = 'CustomRun cancelled as the PipelineRun it belongs to has been cancelled.';
/** statusMessage put on child CustomRuns when a PipelineRun timeout fires. */
export const CUSTOMRUN_TIMEOUT_MESSAGE = 'CustomRun cancelled as the PipelineRun it belongs to has timed out.';
/** Reason a cancelled CustomRun reports (Tekton's CustomRunReasonCancelled). */
export const CUSTOMRUN_CANCELLED = 'CustomRunCancelled';
/** Reason a cancelled TaskRun reports. */
export const TASKRUN_CANCELLED = 'TaskRunCancelled';
/** Reason a TaskRun that ran out of time reports. */
export const TASKRUN_TIMEOUT = 'TaskRunTimeout';
/** Annotation telling the TaskRun side to mark a failure as FailureIgnored (PipelineTask onError: continue). */
export const ON_ERROR_ANNOTATION = 'pipeline.tekton.dev/pipeline-task-on-error';

/** True for the skip reasons that count as a failure of the run (Tekton's SkippedDueToTimeout). */
export function isTimeoutSkip(reason: string | undefined): boolean {
  return reason === SkipReason.PipelineTimeout || reason === SkipReason.TasksTimeout || reason === SkipReason.FinallyTimeout;
}
