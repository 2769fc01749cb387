/**
 * The TaskRun side of the pure engine, in one import for the controller, the CLI and tests:
 * resolve a spec, read a pod into a status, decide a reconcile.
 */
export { decideTaskRun, MANAGED_BY_US, READY_ANNOTATION, taskRunTimeoutMs } from './decide.js';
export type { TaskRunFacts } from './decide.js';
export type { TaskRunAction, TaskRunPlan } from './finish.js';
export { resolveTaskSpec } from './resolve.js';
export type { ResolvedTaskSpec, ResolveTaskSpecInput } from './resolve.js';
export { stepActionKey } from './step-actions.js';
export { mergeStepTemplate } from './step-template.js';
export { ON_ERROR_ANNOTATION, RUNNING_MESSAGE, SUCCEEDED_MESSAGE, taskRunStatusFromPod } from './status.js';
export type { StatusFromPodInput } from './status.js';
export { parseResultValue, parseTerminationMessage } from './termination.js';
