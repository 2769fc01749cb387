/** A TaskRun: steps with live logs, params and results, YAML; kept live. */
import type { TaskRunPageView } from '../../model/types.js';
import { RunHeader, Tabs, Yaml } from '../components/run-header.js';
import { RunDetails } from '../components/task-panel.js';
import { useNow } from '../format.js';
import type { Route } from '../router.js';
import { useRunView } from './pipelinerun.js';

export function TaskRunPage({ route, namespace, name, readOnly }: { route: Route; namespace: string; name: string; readOnly: boolean }) {
  const { view, error, gone } = useRunView<TaskRunPageView>('taskruns', namespace, name);
  const now = useNow(1000);
  if (!view) return error ? <p class="error" role="alert">{error}</p> : <p class="note">Loading…</p>;
  const tab = route.query.get('tab') ?? 'steps';
  return (
    <article>
      {gone ? <p class="error" role="alert">This TaskRun was deleted.</p> : null}
      <RunHeader s={view.summary} readOnly={readOnly || gone} specStatus={view.specStatus} now={now} />
      <Tabs route={route} tabs={[['steps', 'Steps'], ['yaml', 'YAML']]} />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'steps' ? <RunDetails run={view.run} route={route} now={now} /> : <Yaml kind="TaskRun" namespace={namespace} name={name} version={view.summary.state} />}
      </div>
    </article>
  );
}
