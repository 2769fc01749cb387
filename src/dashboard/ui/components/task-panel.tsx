/**
 * One task's details: its runs (one per matrix combination), earlier attempts (retries), steps with state and
 * duration, the selected step's live log, and the run's params and results. What is selected lives in the URL
 * (`run`, `attempt`, `step`, `line`), so every view of a log line is a permalink.
 */
import type { GraphNode, TaskRunView } from '../../model/types.js';
import { took, valueText } from '../format.js';
import { go, withQuery, type Route } from '../router.js';
import { LogView } from './log-view.js';
import { Status } from './status.js';

/** The step shown when none is asked: the first failed, else the running one, else the last that started. */
function defaultStep(run: TaskRunView): string | undefined {
  return (run.steps.find((s) => s.state === 'failed') ?? run.steps.find((s) => s.state === 'running') ?? [...run.steps].reverse().find((s) => s.start) ?? run.steps[0])?.name;
}

export function Values({ title, values }: { title: string; values: Array<{ name: string; value: unknown }> }) {
  if (values.length === 0) return null;
  return (
    <div class="values">
      <h4>{title}</h4>
      <dl>{values.map((v) => <><dt>{v.name}</dt><dd><code>{valueText(v.value)}</code></dd></>)}</dl>
    </div>
  );
}

export function RunDetails({ run, route, now }: { run: TaskRunView; route: Route; now: number }) {
  const attemptAsked = route.query.get('attempt');
  const attempt = attemptAsked === null ? undefined : run.retries[Number(attemptAsked)];
  const stepName = route.query.get('step') ?? defaultStep(run);
  const step = run.steps.find((s) => s.name === stepName);
  const lineText = route.query.get('line');
  const pod = attempt ? attempt.podName : run.podName;
  const live = !attempt && !run.end && (step?.state === 'running' || step?.state === 'pending');
  const set = (changes: Record<string, string | undefined>): void => go(withQuery(route, { ...changes, line: undefined }), true);
  return (
    <div class="run-details">
      {run.message && (run.state === 'failed' || run.state === 'cancelled') ? <p class={`message ${run.state}`}>{run.message}</p> : null}
      {run.retries.length > 0 ? (
        <div class="attempts" role="group" aria-label="Attempts">
          <span class="muted">Attempts:</span>
          {run.retries.map((a, i) => (
            <button type="button" aria-pressed={attempt === a} onClick={() => set({ attempt: String(i) })}>#{i + 1} <Status state={a.state} reason={a.reason} /></button>
          ))}
          <button type="button" aria-pressed={!attempt} onClick={() => set({ attempt: undefined })}>#{run.retries.length + 1} (latest) <Status state={run.state} /></button>
        </div>
      ) : null}
      <ol class="steps" aria-label="Steps">
        {run.steps.map((s) => (
          <li>
            <button type="button" class="step" aria-pressed={s.name === stepName} data-step={s.name} onClick={() => set({ step: s.name })}>
              <Status state={attempt ? 'pending' : s.state} reason={attempt ? undefined : s.reason} />
              <span class="step-name">{s.name}</span>
              <span class="muted">{attempt ? '' : took(s.start, s.end, now)}{s.exitCode ? ` · exit ${s.exitCode}` : ''}</span>
            </button>
          </li>
        ))}
        {run.steps.length === 0 ? <li class="muted">{run.childKind ? `${run.childKind}: no steps to show` : 'No steps reported yet.'}</li> : null}
      </ol>
      {step ? (
        <LogView key={`${pod ?? ''}/${step.container}`} namespace={run.namespace} pod={pod} container={step.container} live={live}
          line={lineText ? Number(lineText) : undefined} label={`step ${step.name}`}
          linkFor={(n) => withQuery(route, { step: step.name, line: n })} />
      ) : null}
      <div class="values-row">
        <Values title="Params" values={run.params} />
        <Values title="Results" values={run.results} />
      </div>
    </div>
  );
}

export function TaskPanel({ node, route, now }: { node: GraphNode; route: Route; now: number }) {
  const asked = route.query.get('run');
  const run = node.runs.find((r) => r.name === asked) ?? node.runs.find((r) => r.state === 'failed') ?? node.runs[0];
  return (
    <section class="task-panel" aria-labelledby="task-title">
      <h3 id="task-title">
        {node.finally ? <span class="badge">finally</span> : null} {node.displayName ?? node.name} <Status state={node.state} reason={node.reason} />
      </h3>
      <p class="muted">{node.taskRef ? `Task ${node.taskRef}` : 'embedded task'}{run ? <> · TaskRun <a href={`#/taskruns/${encodeURIComponent(run.namespace)}/${encodeURIComponent(run.name)}`}>{run.name}</a></> : null}</p>
      {node.skipped ? (
        <div class="skipped" role="note">
          <strong>Skipped:</strong> {node.skipped.reason}
          {node.skipped.when ? <ul>{node.skipped.when.map((w) => <li><code>{w}</code></li>)}</ul> : null}
        </div>
      ) : null}
      {node.runs.length > 1 ? (
        <div class="matrix" role="group" aria-label="Matrix runs">
          {node.runs.map((r, i) => (
            <button type="button" aria-pressed={r === run} onClick={() => go(withQuery(route, { run: r.name, step: undefined, attempt: undefined, line: undefined }), true)}>
              <Status state={r.state} /> {r.matrix?.length ? r.matrix.map((m) => `${m.name}=${valueText(m.value)}`).join(', ') : `#${i + 1}`}
            </button>
          ))}
        </div>
      ) : null}
      {run ? <RunDetails run={run} route={route} now={now} /> : node.skipped ? null : <p class="note">Not started yet.</p>}
    </section>
  );
}
