/**
 * What the dashboard's backend answers and the browser reads: compact run summaries for the runs page, and the
 * view of one PipelineRun or TaskRun (its graph, steps and statuses). Shared by src/dashboard/server and
 * src/dashboard/ui, so it holds types only.
 */

/** A run's state as the runs page filters it. */
export type RunState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const RUN_STATES: readonly RunState[] = ['pending', 'running', 'succeeded', 'failed', 'cancelled'];

export type RunKind = 'PipelineRun' | 'TaskRun';

/** One run, as small as the runs page needs (the backend keeps one per run, not the object). */
export interface RunSummary {
  kind: RunKind;
  namespace: string;
  name: string;
  uid: string;
  created: string;
  start?: string;
  end?: string;
  state: RunState;
  /** The Succeeded condition's reason (Succeeded, Failed, PipelineRunTimeout, ...). */
  reason?: string;
  /** The condition's message, cut to a few hundred characters. */
  message?: string;
  /** The Pipeline (PipelineRuns) or Task (TaskRuns) it runs, by name; absent for embedded specs. */
  pipeline?: string;
  task?: string;
  /** TaskRuns of a PipelineRun: its name and the pipeline task. */
  pipelineRun?: string;
  pipelineTask?: string;
  labels: Record<string, string>;
}

/** A runs page request. */
export interface RunQuery {
  kind?: RunKind;
  namespace?: string;
  /** Label selector terms, each `key=value`, `key!=value`, `key` or `!key` (AND). */
  labels: string[];
  states: RunState[];
  pipeline?: string;
  task?: string;
  /** Substring of the name. */
  search?: string;
  /** 0-based page. */
  page: number;
  pageSize: number;
}

/** One page of runs, newest first. */
export interface RunPage {
  items: RunSummary[];
  /** Runs matching the filter (all pages). */
  total: number;
  page: number;
  pageSize: number;
  /** Matching runs by state (ignoring the state filter), for the filter chips. */
  counts: Record<RunState, number>;
  /** The index's change counter; the browser refetches when the events stream reports a newer one. */
  version: number;
  /** False until the first list of every kind is in. */
  synced: boolean;
}

/** A step of a TaskRun. */
export interface StepView {
  name: string;
  container: string;
  state: RunState;
  reason?: string;
  exitCode?: number;
  start?: string;
  end?: string;
}

/** One TaskRun (a pipeline task's run, or a standalone one). */
export interface TaskRunView {
  name: string;
  namespace: string;
  state: RunState;
  reason?: string;
  message?: string;
  start?: string;
  end?: string;
  podName?: string;
  steps: StepView[];
  sidecars: string[];
  results: Array<{ name: string; value: unknown }>;
  params: Array<{ name: string; value: unknown }>;
  /** Attempts before this one (`retries`), oldest first. */
  retries: Array<{ state: RunState; reason?: string; podName?: string; start?: string; end?: string }>;
  /** Matrix combination of this run (its params named in the pipeline task's matrix). */
  matrix?: Array<{ name: string; value: unknown }>;
  /** The child kind, when not a TaskRun (CustomRun, PipelineRun). */
  childKind?: string;
}

/** A pipeline task in the graph. */
export interface GraphNode {
  name: string;
  displayName?: string;
  finally: boolean;
  /** Tasks it runs after (runAfter and result references); finally tasks list none. */
  deps: string[];
  state: RunState | 'skipped' | 'waiting';
  reason?: string;
  /** Why it was skipped, with the when expressions that decided it. */
  skipped?: { reason: string; when?: string[] };
  /** Its runs: one, or one per matrix combination. */
  runs: TaskRunView[];
  matrix: boolean;
  retries: number;
  taskRef?: string;
}

/** A PipelineRun as its page shows it. */
export interface PipelineRunView {
  summary: RunSummary;
  nodes: GraphNode[];
  params: Array<{ name: string; value: unknown }>;
  results: Array<{ name: string; value: unknown }>;
  /** spec.status (Cancelled, CancelledRunFinally, StoppedRunFinally, PipelineRunPending) when set. */
  specStatus?: string;
  /** The graph could not be drawn (invalid pipeline, spec not resolved yet): why. */
  graphProblem?: string;
}

/** A standalone TaskRun as its page shows it. */
export interface TaskRunPageView {
  summary: RunSummary;
  run: TaskRunView;
  specStatus?: string;
}

/** What /api/info answers. */
export interface DashboardInfo {
  readOnly: boolean;
  version: string;
  /** Set when the dashboard serves one namespace only. */
  namespace?: string;
  server: string;
}
