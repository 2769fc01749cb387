/**
 * The view of a PipelineRun (pure): its pipeline tasks as a graph (runAfter and result references as edges,
 * finally tasks after the rest), each with its TaskRuns (one per matrix combination, with earlier attempts),
 * steps, statuses and skip reasons; and the view of a standalone TaskRun.
 */
import type { Param, PipelineRun, PipelineTask, StepState, TaskRun, TaskRunStatus, WhenExpression } from '../../api/types.js';
import { dagNodeOf, taskRefsOf } from '../../engine/pipelinerun/refs.js';
import { stateOf, summaryOf } from './summary.js';
import type { GraphNode, PipelineRunView, RunState, StepView, TaskRunPageView, TaskRunView } from './types.js';

function stepView(s: StepState): StepView {
  const v: StepView = { name: s.name, container: s.container, state: 'pending' };
  if (s.terminated) {
    v.state = s.terminated.exitCode === 0 ? 'succeeded' : /Cancel/.test(s.terminated.reason ?? s.terminationReason ?? '') ? 'cancelled' : 'failed';
    v.exitCode = s.terminated.exitCode;
    const reason = s.terminationReason ?? s.terminated.reason;
    if (reason) v.reason = reason;
    if (s.terminated.startedAt) v.start = s.terminated.startedAt;
    if (s.terminated.finishedAt) v.end = s.terminated.finishedAt;
  } else if (s.running) {
    v.state = 'running';
    if (s.running.startedAt) v.start = s.running.startedAt;
  } else if (s.waiting?.reason) v.reason = s.waiting.reason;
  return v;
}

function named(list: ReadonlyArray<{ name: string; value: unknown }> | undefined): Array<{ name: string; value: unknown }> {
  return (list ?? []).map((p) => ({ name: p.name, value: p.value }));
}

function attempt(st: TaskRunStatus): TaskRunView['retries'][number] {
  const a: TaskRunView['retries'][number] = { state: stateOf(st.conditions) };
  const reason = st.conditions?.find((c) => c.type === 'Succeeded')?.reason;
  if (reason) a.reason = reason;
  if (st.podName) a.podName = st.podName;
  if (st.startTime) a.start = st.startTime;
  if (st.completionTime) a.end = st.completionTime;
  return a;
}

/** The view of one TaskRun; `matrixParams` names the params that make its matrix combination. */
export function taskRunView(tr: TaskRun, matrixParams?: ReadonlySet<string>): TaskRunView {
  const st = tr.status ?? {};
  const c = st.conditions?.find((x) => x.type === 'Succeeded');
  const declared = st.taskSpec?.steps ?? tr.spec.taskSpec?.steps ?? [];
  const seen = new Map((st.steps ?? []).map((s) => [s.name, stepView(s)]));
  // steps not reported yet (pod not started) are listed from the spec, pending
  const steps = declared.length > 0
    ? declared.map((d, i) => seen.get(d.name ?? '') ?? { name: d.name ?? `unnamed-${i}`, container: `step-${d.name ?? `unnamed-${i}`}`, state: 'pending' as RunState })
    : [...seen.values()];
  for (const s of seen.values()) if (!steps.includes(s)) steps.push(s);
  const v: TaskRunView = {
    name: tr.metadata.name ?? '', namespace: tr.metadata.namespace ?? '', state: stateOf(st.conditions), steps,
    sidecars: (st.sidecars ?? []).map((s) => s.name), results: named(st.results), params: named(tr.spec.params),
    retries: (st.retriesStatus ?? []).map(attempt),
  };
  if (c?.reason) v.reason = c.reason;
  if (c?.message) v.message = c.message;
  if (st.startTime) v.start = st.startTime;
  if (st.completionTime) v.end = st.completionTime;
  if (st.podName) v.podName = st.podName;
  if (matrixParams && matrixParams.size > 0) v.matrix = v.params.filter((p) => matrixParams.has(p.name));
  return v;
}

function matrixNames(pt: PipelineTask): Set<string> {
  const names = new Set((pt.matrix?.params ?? []).map((p: Param) => p.name));
  for (const inc of pt.matrix?.include ?? []) for (const p of inc.params ?? []) names.add(p.name);
  return names;
}

function whenText(w: WhenExpression): string {
  return w.cel !== undefined ? `cel: ${w.cel}` : `${w.input ?? ''} ${w.operator ?? ''} [${(w.values ?? []).join(', ')}]`;
}

/** A node's state from its runs: any running wins, then failed, cancelled, pending, else succeeded. */
function combined(runs: readonly TaskRunView[]): RunState {
  for (const s of ['running', 'failed', 'cancelled', 'pending'] as const) if (runs.some((r) => r.state === s)) return s;
  return 'succeeded';
}

/** The view of a PipelineRun and its TaskRuns (any order; those of other runs are ignored). */
export function pipelineRunView(pr: PipelineRun, taskRuns: readonly TaskRun[]): PipelineRunView {
  const spec = pr.status?.pipelineSpec ?? pr.spec.pipelineSpec;
  const byName = new Map(taskRuns.filter((t) => t.metadata.labels?.['tekton.dev/pipelineRun'] === pr.metadata.name).map((t) => [t.metadata.name ?? '', t]));
  const children = new Map<string, Array<{ name: string; kind: string }>>();
  const claim = (task: string, name: string, kind: string): void => {
    const list = children.get(task) ?? [];
    if (!list.some((x) => x.name === name)) list.push({ name, kind });
    children.set(task, list);
  };
  for (const ref of pr.status?.childReferences ?? []) claim(ref.pipelineTaskName, ref.name, ref.kind);
  // a TaskRun whose creation the PipelineRun's status does not list yet
  for (const t of byName.values()) {
    const task = t.metadata.labels?.['tekton.dev/pipelineTask'];
    if (task) claim(task, t.metadata.name ?? '', 'TaskRun');
  }
  const skipped = new Map((pr.status?.skippedTasks ?? []).map((s) => [s.name, s]));
  const node = (pt: PipelineTask, isFinally: boolean): GraphNode => {
    const mnames = matrixNames(pt);
    const runs = (children.get(pt.name) ?? []).map(({ name, kind }) => {
      const tr = byName.get(name);
      if (tr) return taskRunView(tr, mnames);
      return { name, namespace: pr.metadata.namespace ?? '', state: 'pending' as RunState, steps: [], sidecars: [], results: [], params: [], retries: [], ...(kind !== 'TaskRun' ? { childKind: kind } : {}) };
    });
    const n: GraphNode = {
      name: pt.name, finally: isFinally, deps: isFinally ? [] : [...new Set(dagNodeOf(pt, taskRefsOf(pt)).deps)],
      state: runs.length > 0 ? combined(runs) : 'waiting', runs, matrix: pt.matrix !== undefined,
      retries: runs.reduce((m, r) => Math.max(m, r.retries.length), 0),
    };
    if (pt.displayName) n.displayName = pt.displayName;
    if (pt.taskRef?.name) n.taskRef = pt.taskRef.name;
    const skip = skipped.get(pt.name);
    if (skip) {
      n.skipped = { reason: skip.reason, ...(skip.whenExpressions?.length ? { when: skip.whenExpressions.map(whenText) } : {}) };
      if (runs.length === 0) n.state = 'skipped';
    }
    const first = runs.find((r) => r.state === n.state);
    if (first?.reason) n.reason = first.reason;
    return n;
  };
  const view: PipelineRunView = {
    summary: summaryOf('PipelineRun', pr),
    nodes: [...(spec?.tasks ?? []).map((pt) => node(pt, false)), ...(spec?.finally ?? []).map((pt) => node(pt, true))],
    params: named(pr.spec.params), results: named(pr.status?.results),
  };
  if (pr.spec.status) view.specStatus = pr.spec.status;
  if (!spec) view.graphProblem = pr.spec.pipelineRef ? `Pipeline ${pr.spec.pipelineRef.name ?? ''} is not resolved yet` : 'no pipeline spec';
  return view;
}

/** The view of a standalone TaskRun. */
export function taskRunPageView(tr: TaskRun): TaskRunPageView {
  const v: TaskRunPageView = { summary: summaryOf('TaskRun', tr), run: taskRunView(tr) };
  if (tr.spec.status) v.specStatus = tr.spec.status;
  return v;
}
