/** A PipelineRun: its graph, the selected task's runs, steps and live log, params, results, YAML; kept live. */
import { useEffect, useState } from 'preact/hooks';
import type { GraphNode, PipelineRunView } from '../../model/types.js';
import { getJson, path, subscribe } from '../api.js';
import { Dag } from '../components/dag.js';
import { RunHeader, Tabs, Yaml } from '../components/run-header.js';
import { TaskPanel, Values } from '../components/task-panel.js';
import { useNow } from '../format.js';
import { go, withQuery, type Route } from '../router.js';

/** Watches a run's view: first read, then every update from its event stream. */
export function useRunView<T>(kind: 'pipelineruns' | 'taskruns', namespace: string, name: string): { view?: T; error: string; gone: boolean } {
  const [view, setView] = useState<T>();
  const [error, setError] = useState('');
  const [gone, setGone] = useState(false);
  useEffect(() => {
    setView(undefined);
    setGone(false);
    setError('');
    const ctl = new AbortController();
    getJson<T>(`${kind}/${path(namespace, name)}`, ctl.signal).then(setView, (e: Error) => { if (e.name !== 'AbortError') setError(e.message); });
    const close = subscribe(`${kind}/${path(namespace, name)}/stream`, {
      view: (v) => { setView(v as T); setGone(false); setError(''); },
      gone: () => setGone(true),
    });
    return () => { ctl.abort(); close(); };
  }, [kind, namespace, name]);
  return { view, error, gone };
}

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia('(max-width: 760px)').matches);
  useEffect(() => {
    const m = window.matchMedia('(max-width: 760px)');
    const on = (): void => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}

function defaultTask(nodes: GraphNode[]): string | undefined {
  return (nodes.find((n) => n.state === 'failed') ?? nodes.find((n) => n.state === 'running') ?? nodes.find((n) => n.runs.length > 0) ?? nodes[0])?.name;
}

export function PipelineRunPage({ route, namespace, name, readOnly }: { route: Route; namespace: string; name: string; readOnly: boolean }) {
  const { view, error, gone } = useRunView<PipelineRunView>('pipelineruns', namespace, name);
  const now = useNow(1000);
  const narrow = useNarrow();
  if (!view) return error ? <p class="error" role="alert">{error}</p> : <p class="note">Loading…</p>;
  const tab = route.query.get('tab') ?? 'graph';
  const taskName = route.query.get('task') ?? defaultTask(view.nodes);
  const node = view.nodes.find((n) => n.name === taskName);
  return (
    <article>
      {gone ? <p class="error" role="alert">This PipelineRun was deleted.</p> : null}
      <RunHeader s={view.summary} readOnly={readOnly || gone} specStatus={view.specStatus} now={now} />
      <Tabs route={route} tabs={[['graph', 'Tasks'], ['values', 'Params & results'], ['yaml', 'YAML']]} />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'graph' ? (
          <div class="graph-layout">
            {view.graphProblem ? <p class="note">{view.graphProblem}</p> : (
              <Dag nodes={view.nodes} selected={taskName} now={now} narrow={narrow}
                onSelect={(t) => go(withQuery(route, { task: t, run: undefined, step: undefined, attempt: undefined, line: undefined }), true)} />
            )}
            {node ? <TaskPanel node={node} route={route} now={now} /> : null}
          </div>
        ) : null}
        {tab === 'values' ? (
          <div class="values-row">
            <Values title="Params" values={view.params} />
            <Values title="Results" values={view.results} />
            {view.params.length + view.results.length === 0 ? <p class="note">No params or results.</p> : null}
          </div>
        ) : null}
        {tab === 'yaml' ? <Yaml kind="PipelineRun" namespace={namespace} name={name} version={view.summary.state} /> : null}
      </div>
    </article>
  );
}
