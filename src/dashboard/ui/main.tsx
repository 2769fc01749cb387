/** The dashboard's page: header and navigation, then the page of the current route. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { DashboardInfo } from '../model/types.js';
import { getJson } from './api.js';
import { EventListenerPage } from './pages/eventlistener.js';
import { EventsPage } from './pages/events.js';
import { PipelineRunPage } from './pages/pipelinerun.js';
import { ResourcesPage } from './pages/resources.js';
import { RunsPage } from './pages/runs.js';
import { TaskRunPage } from './pages/taskrun.js';
import { YamlPage } from './pages/yaml.js';
import { href, useRoute, type Route } from './router.js';

const NAV: Array<{ label: string; parts: string[]; match: string[] }> = [
  { label: 'Runs', parts: ['runs'], match: ['runs', 'pipelineruns', 'taskruns', ''] },
  { label: 'Pipelines', parts: ['pipelines'], match: ['pipelines'] },
  { label: 'Tasks', parts: ['tasks'], match: ['tasks'] },
  { label: 'EventListeners', parts: ['eventlisteners'], match: ['eventlisteners', 'triggers', 'triggerbindings', 'triggertemplates'] },
  { label: 'Events', parts: ['events'], match: ['events'] },
];

function Page({ route, info }: { route: Route; info: DashboardInfo | undefined }) {
  const [first = 'runs', ns, name] = route.parts;
  const readOnly = info?.readOnly !== false;
  if (first === 'pipelineruns' && ns && name) return <PipelineRunPage route={route} namespace={ns} name={name} readOnly={readOnly} />;
  if (first === 'taskruns' && ns && name) return <TaskRunPage route={route} namespace={ns} name={name} readOnly={readOnly} />;
  if (first === 'eventlisteners' && ns && name) return <EventListenerPage namespace={ns} name={name} />;
  if (first === 'yaml' && ns && name && route.parts[3]) return <YamlPage kind={ns} namespace={name} name={route.parts[3]} />;
  if (['pipelines', 'tasks', 'eventlisteners', 'triggers', 'triggerbindings', 'triggertemplates', 'stepactions'].includes(first)) return <ResourcesPage route={route} plural={first} />;
  if (first === 'events') return <EventsPage route={route} />;
  return <RunsPage route={route} />;
}

function App() {
  const route = useRoute();
  const [info, setInfo] = useState<DashboardInfo>();
  const [problem, setProblem] = useState('');
  useEffect(() => {
    getJson<DashboardInfo>('info').then(setInfo, (e: Error) => setProblem(e.message));
  }, []);
  const here = route.parts[0] ?? '';
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <a class="brand" href={href(['runs'])}>tektite</a>
        <nav aria-label="Sections">
          {NAV.map((n) => <a href={href(n.parts)} aria-current={n.match.includes(here) ? 'page' : undefined}>{n.label}</a>)}
        </nav>
        <span class="top-info">
          {info?.readOnly ? <span class="badge" title="started with --read-only: no rerun, cancel or delete">read-only</span> : null}
          {info?.namespace ? <span class="badge">namespace {info.namespace}</span> : null}
        </span>
      </header>
      {problem ? <p class="error" role="alert">Cannot reach the dashboard's server: {problem}</p> : null}
      <main id="main" tabIndex={-1}>
        <Page route={route} info={info} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
