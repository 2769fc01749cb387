/** Pipelines, Tasks, EventListeners and the Triggers kinds: a table each, with links to their runs and YAML. */
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { ago, useNow } from '../format.js';
import { go, href, withQuery, type Route } from '../router.js';

interface Row {
  kind: string;
  namespace?: string;
  name: string;
  created: string;
  description?: string;
  parts: string[];
  address?: string;
  ready?: string;
}

const TITLES: Record<string, string> = {
  pipelines: 'Pipelines', tasks: 'Tasks', eventlisteners: 'EventListeners', triggers: 'Triggers',
  triggerbindings: 'TriggerBindings', triggertemplates: 'TriggerTemplates', stepactions: 'StepActions',
};
const PARTS: Record<string, string> = { pipelines: 'Tasks', tasks: 'Steps', stepactions: 'Steps', eventlisteners: 'Triggers' };
const TRIGGER_KINDS = ['eventlisteners', 'triggers', 'triggerbindings', 'triggertemplates'];

function nameLink(plural: string, r: Row): string {
  if (plural === 'eventlisteners') return href(['eventlisteners', r.namespace ?? '-', r.name]);
  return href(['yaml', r.kind, r.namespace ?? '-', r.name]);
}

export function ResourcesPage({ route, plural }: { route: Route; plural: string }) {
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState('');
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const now = useNow(10_000);
  const ns = route.query.get('namespace') ?? '';
  useEffect(() => {
    setRows(undefined);
    getJson<Row[]>(`resources/${plural}${ns ? `?namespace=${encodeURIComponent(ns)}` : ''}`).then((r) => { setRows(r); setError(''); }, (e: Error) => setError(e.message));
  }, [plural, ns]);
  useEffect(() => {
    getJson<string[]>('namespaces').then(setNamespaces, () => undefined);
  }, []);
  const title = TITLES[plural] ?? plural;
  return (
    <section aria-labelledby="res-title">
      <div class="page-head"><h1 id="res-title">{title}</h1></div>
      {TRIGGER_KINDS.includes(plural) ? (
        <nav class="subnav" aria-label="Triggers kinds">{TRIGGER_KINDS.map((k) => <a href={href([k])} aria-current={k === plural ? 'page' : undefined}>{TITLES[k]}</a>)}</nav>
      ) : null}
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="field"><span>Namespace</span>
          <select value={ns} onChange={(e) => go(withQuery(route, { namespace: (e.target as HTMLSelectElement).value || undefined }))}>
            <option value="">All namespaces</option>
            {[...new Set([...namespaces, ...(ns ? [ns] : [])])].map((n) => <option value={n}>{n}</option>)}
          </select>
        </label>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {rows ? (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Namespace</th>{PARTS[plural] ? <th scope="col">{PARTS[plural]}</th> : null}{plural === 'eventlisteners' ? <><th scope="col">Address</th><th scope="col">Ready</th></> : null}<th scope="col">Created</th>{plural === 'pipelines' || plural === 'tasks' ? <th scope="col">Runs</th> : null}</tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td class="name"><a href={nameLink(plural, r)}>{r.name}</a>{r.description ? <div class="sub">{r.description}</div> : null}</td>
                  <td>{r.namespace ?? ''}</td>
                  {PARTS[plural] ? <td>{r.parts.join(', ')}</td> : null}
                  {plural === 'eventlisteners' ? <><td><code>{r.address ?? ''}</code></td><td>{r.ready ?? ''}</td></> : null}
                  <td><time dateTime={r.created} title={r.created}>{ago(r.created, now)}</time></td>
                  {plural === 'pipelines' ? <td><a href={href(['runs'], { pipeline: r.name, namespace: r.namespace })}>runs</a></td> : null}
                  {plural === 'tasks' ? <td><a href={href(['runs'], { kind: 'TaskRun', task: r.name, namespace: r.namespace })}>runs</a></td> : null}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p class="note">None.</p> : null}
        </div>
      ) : error ? null : <p class="note">Loading…</p>}
    </section>
  );
}
