/** Kubernetes Events (newest first), by namespace, Warnings only if asked; refreshed every few seconds. */
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { ago, useNow } from '../format.js';
import { go, href, withQuery, type Route } from '../router.js';

export interface EventRow {
  namespace: string;
  type: string;
  reason: string;
  message: string;
  object: { kind: string; name: string; namespace?: string };
  count: number;
  last: string;
  source?: string;
}

const PAGES: Record<string, string> = { PipelineRun: 'pipelineruns', TaskRun: 'taskruns', EventListener: 'eventlisteners' };

export function objectLink(e: EventRow): string | undefined {
  const page = PAGES[e.object.kind];
  return page ? href([page, e.object.namespace ?? e.namespace, e.object.name]) : undefined;
}

export function EventTable({ rows, now, showObject = true }: { rows: EventRow[]; now: number; showObject?: boolean }) {
  return (
    <div class="table-wrap">
      <table class="events">
        <thead><tr><th scope="col">Type</th><th scope="col">Reason</th>{showObject ? <th scope="col">Object</th> : null}<th scope="col">Message</th><th scope="col">Count</th><th scope="col">Last seen</th></tr></thead>
        <tbody>
          {rows.map((e) => {
            const link = objectLink(e);
            return (
              <tr class={e.type === 'Warning' ? 'warning' : ''}>
                <td>{e.type}</td><td>{e.reason}</td>
                {showObject ? <td>{e.object.kind}/{link ? <a href={link}>{e.object.name}</a> : e.object.name}</td> : null}
                <td class="msg">{e.message}</td><td>{e.count}</td>
                <td><time dateTime={e.last} title={e.last}>{ago(e.last, now)}</time></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 ? <p class="note">No events.</p> : null}
    </div>
  );
}

export function EventsPage({ route }: { route: Route }) {
  const [rows, setRows] = useState<EventRow[]>();
  const [error, setError] = useState('');
  const now = useNow(5000);
  const ns = route.query.get('namespace') ?? '';
  const warnings = route.query.get('type') === 'Warning';
  useEffect(() => {
    let stop = false;
    const load = (): void => {
      getJson<EventRow[]>(`events?limit=500${ns ? `&namespace=${encodeURIComponent(ns)}` : ''}`).then((r) => { if (!stop) { setRows(r); setError(''); } }, (e: Error) => setError(e.message));
    };
    load();
    const t = setInterval(load, 5000);
    return () => { stop = true; clearInterval(t); };
  }, [ns]);
  const shown = (rows ?? []).filter((e) => !warnings || e.type === 'Warning');
  return (
    <section aria-labelledby="ev-title">
      <div class="page-head"><h1 id="ev-title">Events</h1></div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="field"><span>Namespace</span>
          <input type="search" value={ns} placeholder="all" onChange={(e) => go(withQuery(route, { namespace: (e.target as HTMLInputElement).value.trim() || undefined }))} />
        </label>
        <label class="toggle"><input type="checkbox" checked={warnings} onChange={(e) => go(withQuery(route, { type: (e.target as HTMLInputElement).checked ? 'Warning' : undefined }))} /> Warnings only</label>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {rows ? <EventTable rows={shown} now={now} /> : <p class="note">Loading…</p>}
    </section>
  );
}
