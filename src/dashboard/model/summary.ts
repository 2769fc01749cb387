/**
 * A run's summary (pure): the fields of a PipelineRun or TaskRun the runs page shows and filters on, and its
 * state read from the `Succeeded` condition as Tekton writes it.
 */
import type { Condition, KubeObject } from '../../api/types.js';
import type { RunKind, RunState, RunSummary } from './types.js';

const MESSAGE_MAX = 300;
const CANCELLED = /Cancelled|StoppedRunFinally/;

/** The `Succeeded` condition, else the first. */
export function succeeded(conditions: readonly Condition[] | undefined): Condition | undefined {
  return conditions?.find((c) => c.type === 'Succeeded') ?? conditions?.[0];
}

/** State of a run or step from its condition: Unknown is running (pending when the reason says so). */
export function stateOf(conditions: readonly Condition[] | undefined): RunState {
  const c = succeeded(conditions);
  if (!c) return 'pending';
  if (c.status === 'True') return 'succeeded';
  if (c.status === 'False') return CANCELLED.test(c.reason ?? '') ? 'cancelled' : 'failed';
  return /Pending$/.test(c.reason ?? '') ? 'pending' : 'running';
}

interface RunLike extends KubeObject {
  spec?: { pipelineRef?: { name?: string }; taskRef?: { name?: string; kind?: string } };
  status?: { conditions?: Condition[]; startTime?: string; completionTime?: string };
}

/** The summary of a PipelineRun or TaskRun object. */
export function summaryOf(kind: RunKind, obj: KubeObject): RunSummary {
  const run = obj as RunLike;
  const labels = run.metadata.labels ?? {};
  const c = succeeded(run.status?.conditions);
  const s: RunSummary = {
    kind, namespace: run.metadata.namespace ?? '', name: run.metadata.name ?? '', uid: run.metadata.uid ?? '',
    created: run.metadata.creationTimestamp ?? '', state: stateOf(run.status?.conditions), labels,
  };
  if (run.status?.startTime) s.start = run.status.startTime;
  if (run.status?.completionTime) s.end = run.status.completionTime;
  if (c?.reason) s.reason = c.reason;
  if (c?.message) s.message = c.message.length > MESSAGE_MAX ? `${c.message.slice(0, MESSAGE_MAX)}…` : c.message;
  const pipeline = labels['tekton.dev/pipeline'] ?? run.spec?.pipelineRef?.name;
  if (kind === 'PipelineRun' && pipeline) s.pipeline = pipeline;
  if (kind === 'TaskRun') {
    const task = labels['tekton.dev/task'] ?? (run.spec?.taskRef?.kind === 'ClusterTask' ? undefined : run.spec?.taskRef?.name);
    if (task) s.task = task;
    if (labels['tekton.dev/pipelineRun']) s.pipelineRun = labels['tekton.dev/pipelineRun'];
    if (labels['tekton.dev/pipelineTask']) s.pipelineTask = labels['tekton.dev/pipelineTask'];
    if (labels['tekton.dev/pipeline']) s.pipeline = labels['tekton.dev/pipeline'];
  }
  return s;
}
