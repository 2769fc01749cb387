/**
 * `taskRunStatusFromPod`: Tekton's `MakeTaskRunStatus` as a pure function — the TaskRun's status as its Pod
 * shows it (condition, steps, sidecars, results, times). decideTaskRun builds on it; the CLI and PipelineRuns read
 * the fields it writes, so field names, order and reason strings follow Tekton exactly.
 */
import type {
  Artifacts, ContainerStatus, ParamType, Pod, RunResult, SidecarState, StepState, TaskRun, TaskRunStatus, TaskSpec,
} from '../../api/types.js';
import { mergeArtifacts, parseArtifacts } from './artifacts.js';
import { isDone, setSucceeded } from '../conditions.js';
import { formatTime } from '../durations.js';
import { stepContainerName } from '../names.js';
import { canonicalKey } from '../substitution/replace.js';
import {
  didPodFail,
  exceedsNodeResources,
  failureMessage,
  hasConfigError,
  isPodComplete,
  isSidecarContainer,
  isStepContainer,
  NODE_RESTARTED,
  oversizedResults,
  waitingMessage,
  wasDisrupted,
} from './pod-facts.js';
import { applySidecarResults } from './sidecar-logs.js';
import { type StepOutcome, dedupeResults, parseTerminationMessage, readOutcome, type RunResultEntry } from './termination.js';

/** Message of a TaskRun whose steps are still running (Tekton's wording). */
export const RUNNING_MESSAGE = 'Not all Steps in the Task have finished executing';
/** Message of a TaskRun whose steps all succeeded. */
export const SUCCEEDED_MESSAGE = 'All Steps have completed executing';
/** Annotation a PipelineRun sets on TaskRuns of `onError: continue` pipeline tasks. */
export const ON_ERROR_ANNOTATION = 'pipeline.tekton.dev/pipeline-task-on-error';

/** What the status is computed from. `spec` is the resolved TaskSpec (result types, step names). */
export interface StatusFromPodInput {
  taskRun: TaskRun;
  spec: TaskSpec;
  pod: Pod;
  now: Date;
  /** Results the results sidecar reported (results-from: sidecar-logs), once the pod is complete. */
  sidecarResults?: readonly RunResultEntry[];
}

type Cond = { status: 'True' | 'False' | 'Unknown'; reason: string; message: string };

function completedCondition(taskRun: TaskRun, pod: Pod): Cond {
  if (!didPodFail(pod)) return { status: 'True', reason: 'Succeeded', message: SUCCEEDED_MESSAGE };
  if (wasDisrupted(pod)) return { status: 'False', reason: NODE_RESTARTED, message: pod.status?.message ?? 'the node restarted while the pod was running' };
  const big = oversizedResults(pod);
  if (big) return { status: 'False', reason: 'TaskRunResultLargerThanAllowedLimit', message: `"${big.container}" exited with code ${big.exitCode}: ${big.text}` };
  const ignored = taskRun.metadata.annotations?.[ON_ERROR_ANNOTATION] === 'continue';
  return { status: 'False', reason: ignored ? 'FailureIgnored' : 'Failed', message: failureMessage(pod) };
}

function pendingCondition(pod: Pod): Cond {
  if (exceedsNodeResources(pod)) return { status: 'Unknown', reason: 'ExceededNodeResources', message: 'TaskRun Pod exceeded available resources' };
  if (hasConfigError(pod)) return { status: 'False', reason: 'CreateContainerConfigError', message: 'Failed to create pod due to config error' };
  const pulling = (pod.status?.containerStatuses ?? []).some((s) => ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'].includes(s.state?.waiting?.reason ?? ''));
  return { status: 'Unknown', reason: pulling ? 'PullImageFailed' : 'Pending', message: waitingMessage(pod) };
}

/** The Succeeded condition the pod implies, or undefined to keep the current one. */
function conditionFromPod(taskRun: TaskRun, pod: Pod, current: TaskRunStatus): Cond | undefined {
  if (isPodComplete(pod)) return completedCondition(taskRun, pod);
  if (pod.status?.phase === 'Running') return { status: 'Unknown', reason: 'Running', message: RUNNING_MESSAGE };
  if (pod.status?.phase === 'Pending') return pendingCondition(pod);
  return isDone(current) ? undefined : { status: 'Unknown', reason: 'Running', message: RUNNING_MESSAGE };
}

function byPodOrder(pod: Pod, statuses: readonly ContainerStatus[]): ContainerStatus[] {
  const order = new Map(pod.spec.containers.map((c, i) => [c.name, i]));
  return [...statuses].sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity));
}

function typesOf(list: ReadonlyArray<{ name: string; type?: ParamType }> | undefined): Map<string, ParamType | undefined> {
  return new Map((list ?? []).map((r) => [r.name, r.type]));
}

/** One step's state from its container status and termination message. */
function stepState(s: ContainerStatus, spec: TaskSpec, taskResults: RunResult[], collected: Artifacts[]): StepState {
  const state = structuredClone({ waiting: s.state?.waiting, running: s.state?.running, terminated: s.state?.terminated });
  const specStep = spec.steps.find((st, i) => stepContainerName(st.name, i) === s.name);
  const out: StepState = { name: s.name.slice('step-'.length), container: s.name };
  const term = state.terminated;
  let reason = term ? (term.reason ?? (term.exitCode === 0 ? 'Completed' : 'Error')) : undefined;
  const entries = term ? parseTerminationMessage(term.message) : undefined;
  if (term && entries) {
    const outcome = readOutcome(entries, typesOf(spec.results), typesOf(specStep?.results));
    const started = outcome.startedAt ? new Date(outcome.startedAt) : undefined;
    if (started && !Number.isNaN(started.getTime())) term.startedAt = formatTime(started);
    if (outcome.exitCode !== undefined) term.exitCode = outcome.exitCode;
    if (outcome.message) term.message = outcome.message;
    else delete term.message;
    reason = outcome.reason ?? (outcome.exitCode !== undefined ? 'Continued' : reason);
    taskResults.push(...outcome.taskResults);
    if (outcome.stepResults.length > 0) out.results = outcome.stepResults;
    addStepArtifacts(out, outcome, collected);
  }
  for (const k of ['waiting', 'running', 'terminated'] as const) if (state[k]) Object.assign(out, { [k]: state[k] });
  if (s.imageID) out.imageID = s.imageID;
  if (reason) out.terminationReason = reason;
  return out;
}

/**
 * The step's own artifacts ($(step.artifacts.path)) become its inputs/outputs; what it reported for the Task
 * ($(artifacts.path)) then its own go to `collected`, merged into status.artifacts in step order (Tekton's order).
 */
function addStepArtifacts(out: StepState, outcome: StepOutcome, collected: Artifacts[]): void {
  const own = outcome.stepArtifacts === undefined ? undefined : parseArtifacts(outcome.stepArtifacts);
  if (own?.inputs) out.inputs = own.inputs;
  if (own?.outputs) out.outputs = own.outputs;
  const task = outcome.taskArtifacts === undefined ? undefined : parseArtifacts(outcome.taskArtifacts);
  if (task) collected.push(task);
  if (own) collected.push(own);
}

/** status.artifacts from what the steps collected, or undefined when none wrote any. */
function mergedArtifacts(collected: readonly Artifacts[]): Artifacts | undefined {
  const merged = collected.reduce<Artifacts | undefined>((acc, a) => mergeArtifacts(acc, a), undefined);
  return merged && (merged.inputs || merged.outputs) ? merged : undefined;
}

/** Task results whose `value` points at a step result (`$(steps.s.results.r)`), taken from that step. */
function resultsFromSteps(spec: TaskSpec, steps: readonly StepState[]): RunResult[] {
  const out: RunResult[] = [];
  for (const r of spec.results ?? []) {
    if (typeof r.value !== 'string') continue;
    const m = /^\$\(([^()$]+)\)$/.exec(r.value);
    const key = m ? canonicalKey(m[1] ?? '')?.replace(/\[\*\]$/, '') : undefined;
    const ref = key ? /^steps\.([^.]+)\.results\.(.+)$/.exec(key) : null;
    const found = ref ? steps.find((s) => s.name === ref[1])?.results?.find((x) => x.name === ref[2]) : undefined;
    if (found) out.push({ name: r.name, type: r.type ?? found.type ?? 'string', value: found.value });
  }
  return out;
}

function sidecarStates(pod: Pod): SidecarState[] {
  const all = [...byPodOrder(pod, pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return all
    .filter((s) => isSidecarContainer(s.name))
    .map((s) => {
      const out: SidecarState = { name: s.name.slice('sidecar-'.length), container: s.name };
      for (const k of ['waiting', 'running', 'terminated'] as const) if (s.state?.[k]) Object.assign(out, { [k]: structuredClone(s.state[k]) });
      if (s.imageID) out.imageID = s.imageID;
      return out;
    });
}

/**
 * The TaskRun status its Pod implies (see the file comment). Results are reported only once the run is done,
 * as Tekton does; `completionTime` is set once, at `now`.
 */
export function taskRunStatusFromPod(input: StatusFromPodInput): TaskRunStatus {
  const { taskRun, spec, pod, now } = input;
  let status: TaskRunStatus = structuredClone(taskRun.status ?? {});
  const cond = conditionFromPod(taskRun, pod, status);
  if (cond) status = setSucceeded(status, cond, now);
  status.podName = pod.metadata.name;
  const taskResults: RunResult[] = [];
  const collected: Artifacts[] = [];
  const stepStatuses = byPodOrder(pod, (pod.status?.containerStatuses ?? []).filter((s) => isStepContainer(s.name)));
  status.steps = stepStatuses.map((s) => stepState(s, spec, taskResults, collected));
  if (input.sidecarResults) taskResults.push(...applySidecarResults(input.sidecarResults, spec, status.steps));
  status.sidecars = sidecarStates(pod);
  if (status.steps.length === 0) delete status.steps;
  if (status.sidecars.length === 0) delete status.sidecars;
  if (isDone(status)) {
    const results = dedupeResults([...taskResults, ...resultsFromSteps(spec, status.steps ?? [])]);
    if (results.length > 0) status.results = results;
    const artifacts = mergedArtifacts(collected);
    if (artifacts) status.artifacts = artifacts;
    status.completionTime ??= formatTime(now);
  }
  return status;
}
